#!/usr/bin/env node
// Plain JavaScript any Node can parse, so an old Node gets a clear message instead of a syntax error.
import module, { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 12)) {
  console.error(`plexarr needs Node.js 20.12 or newer; this is ${process.version}. Install a current Node LTS and try again.`);
  process.exit(1);
}

// Node 22+ keeps compiled code between runs for this file and the loader too.
module.enableCompileCache?.();

const require = createRequire(import.meta.url);
let loader;
try {
  loader = require('../dist/code-cache.cjs');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('code-cache.cjs')) {
    console.error('plexarr is not built yet: run `npm run build` (npm ci does it for you).');
    process.exit(1);
  }
  throw err;
}
const { main } = loader.requireCached(fileURLToPath(new URL('../dist/cli.cjs', import.meta.url)));
process.exitCode = await main(process.argv);
