#!/usr/bin/env node
// Builds what bin/plexarr.js runs: the CLI bundled by esbuild into dist/ (tsc only type-checks).
//   dist/code-cache.cjs  loads the other two with V8's compiled code kept between runs
//   dist/cli.cjs         the command line (commander): all `plexarr --help` loads
//   dist/app.cjs         every command, loaded once one is chosen
//   dist/compose-spec-<key>.cjs  the Compose spec compiled by ajv, so no user waits for that
// CommonJS, because Node 20 can only hand V8 a code cache for a script (vm.Script), not for an
// ES module; each file is one bundle, so a start reads three files instead of walking ~150 small
// modules. Code imported with `import()` stays lazy inside the bundle (esbuild wraps it in a
// function run on first use). better-sqlite3 (native) and ajv (loaded with require, also by the
// cached compiled Compose validator) stay in node_modules.
import { readFileSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

/**
 * `import { z } from 'zod'` binds zod's whole namespace object, which keeps all of zod (every
 * locale included: ~450 kB) in the bundle. Read as `import * as z from 'zod'`, the same code
 * (only `z.x` property uses and types) lets esbuild keep just the parts that are used.
 */
const zodNamespace = {
  name: 'zod-namespace',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(/^import (type )?\{ z \} from 'zod';$/gm, "import $1* as z from 'zod';"),
      loader: 'ts',
    }));
  },
};

/** yaml's ESM build (the same code, shipped in the package as `browser/`, with no browser-only APIs). */
const yamlEsm = {
  name: 'yaml-esm',
  setup(b) {
    const entry = join(dirname(createRequire(import.meta.url).resolve('yaml/package.json')), 'browser', 'index.js');
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: entry }));
  },
};

/**
 * The three bundles stay separate files: cli.cjs loads app.cjs through the code cache (the
 * `import('./app.js')` in src/cli.ts), and both share the one loader module rather than a copy.
 */
const separateBundles = {
  name: 'separate-bundles',
  setup(b) {
    b.onResolve({ filter: /^\.\/app\.js$/ }, (args) =>
      args.importer.endsWith(join('src', 'cli.ts')) ? { path: 'app', namespace: 'plexarr-app' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'plexarr-app' }, () => ({
      contents: "module.exports = require('./code-cache.cjs').requireCached(require('node:path').join(__dirname, 'app.cjs'));",
      loader: 'js',
    }));
    b.onResolve({ filter: /[\\/]startup[\\/]code-cache\.js$|^\.\/code-cache\.cjs$/ }, () => ({ path: './code-cache.cjs', external: true }));
  },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.12',
  external: ['better-sqlite3', 'ajv', 'ajv/*', 'ajv-formats'],
  // Every `import()` becomes a lazily run part of the same bundle.
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__plexarrUrl' },
  banner: { js: "var __plexarrUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [zodNamespace, yamlEsm],
  sourcemap: true,
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
};

rmSync('dist', { recursive: true, force: true });
await Promise.all([
  build({ ...common, entryPoints: { 'code-cache': 'src/startup/code-cache.ts' }, outdir: 'dist', outExtension: { '.js': '.cjs' } }),
  build({
    ...common,
    entryPoints: { cli: 'src/cli.ts', app: 'src/app.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    plugins: [separateBundles, ...common.plugins],
  }),
]);

// The Compose validator, compiled by the same code that would otherwise compile it on a user's
// first run (src/compose/spec-validator.ts), bundled for a moment to run it here.
const compiler = join('dist', '.spec-validator.mjs');
await build({
  entryPoints: ['src/compose/spec-validator.ts'],
  outfile: compiler,
  bundle: true,
  format: 'esm',
  platform: 'node',
  external: ['ajv', 'ajv/*'],
  logLevel: 'warning',
});
try {
  const { writeSpecValidator } = await import(pathToFileURL(join(process.cwd(), compiler)).href);
  writeSpecValidator(join('schemas', 'compose-spec.json'), 'dist');
} finally {
  rmSync(compiler, { force: true });
}
