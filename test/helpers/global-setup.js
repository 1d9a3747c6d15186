// Runs once before any test: gives the run a private temp folder (TMPDIR, which os.tmpdir() and
// mktemp honour) and a private cache (XDG_CACHE_HOME), so tests never write the real
// ~/.cache/plexarr and whatever a test leaves behind is found by global-teardown.js. The workers
// and every spawned CLI inherit both variables.
import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CACHE_NAME = 'xdg-cache';

export default function globalSetup() {
  const root = mkdtempSync(join(tmpdir(), 'plexarr-jest-'));
  // Sticky and open to all like /tmp itself: some tests run the CLI as another user.
  chmodSync(root, 0o1777);
  mkdirSync(join(root, CACHE_NAME), { mode: 0o700 });
  process.env.PLEXARR_TEST_TMP = root;
  process.env.TMPDIR = root;
  process.env.XDG_CACHE_HOME = join(root, CACHE_NAME);
}
