// Runs once after every test: anything left in the run's private temp folder (see global-setup.js)
// besides the cache is a test that does not clean up after itself, and fails the run by name.
import { readdirSync, rmSync } from 'node:fs';
import { CACHE_NAME } from './global-setup.js';

export default function globalTeardown() {
  const root = process.env.PLEXARR_TEST_TMP;
  if (root === undefined) return;
  const left = readdirSync(root).filter((name) => name !== CACHE_NAME);
  rmSync(root, { recursive: true, force: true });
  if (left.length > 0) throw new Error(`the tests left ${left.length} entries in the temp folder: ${left.sort().join(', ')}`);
}
