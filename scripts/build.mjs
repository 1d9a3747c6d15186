#!/usr/bin/env node
// Builds what bin/plexarr.js runs: the CLI bundled by esbuild into dist/ (tsc only type-checks).
// One entry per command, ESM with code splitting, so `plexarr --help` loads the small cli.js and
// none of the commands; a command loads its own chunk and the shared ones. Bundling replaces
// Node's ESM loader walking ~150 small modules (ours, zod's, yaml's) with a few files.
// better-sqlite3 (native) and ajv (loaded with require, also by the cached compiled Compose
// validator) stay in node_modules.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const commands = readdirSync('src/commands')
  .filter((f) => f.endsWith('.ts'))
  .map((f) => `src/commands/${f}`);

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

/**
 * yaml's Node entry is CommonJS, which esbuild can only hand to a dynamic `import('yaml')` as a
 * default export (no named ones) once it is split into a shared chunk. Its ESM build (the same
 * code, shipped in the package as `browser/`, with no browser-only APIs) bundles as real ESM.
 */
const yamlEsm = {
  name: 'yaml-esm',
  setup(b) {
    const entry = join(dirname(createRequire(import.meta.url).resolve('yaml/package.json')), 'browser', 'index.js');
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: entry }));
  },
};

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts', ...commands],
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.12',
  chunkNames: 'chunks/[name]-[hash]',
  external: ['better-sqlite3', 'ajv', 'ajv/*', 'ajv-formats'],
  // CommonJS dependencies bundled into ESM call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __plexarrCreateRequire } from 'node:module'; const require = __plexarrCreateRequire(import.meta.url);",
  },
  plugins: [zodNamespace, yamlEsm],
  sourcemap: true,
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
