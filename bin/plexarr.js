#!/usr/bin/env node
// Plain JavaScript any Node can parse, so an old Node gets a clear message instead of a syntax error.
import module from 'node:module';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 12)) {
  console.error(`plexarr needs Node.js 20.12 or newer; this is ${process.version}. Install a current Node LTS and try again.`);
  process.exit(1);
}

// Node 22+ keeps compiled module code between runs, which cuts start-up a lot; Node 20 has no such cache.
module.enableCompileCache?.();

import('../dist/cli.js').then(
  async ({ main }) => {
    process.exitCode = await main(process.argv);
  },
  (err) => {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli.js')) {
      console.error('plexarr is not built yet: run `npm run build` (npm ci does it for you).');
    } else {
      console.error(err);
    }
    process.exit(1);
  },
);
