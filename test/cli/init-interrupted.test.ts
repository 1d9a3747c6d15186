import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openState } from '../../src/state/db.js';
import { skipBecause } from '../helpers/mounts.js';
import { freePortArgs } from '../helpers/ports.js';
import { BIN, REPO_ROOT, runCli } from '../helpers/run-cli.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

/**
 * init failing, or killed, at the renames that put the generated files in place. strace's fault
 * injection makes the kernel fail (or SIGKILL the process at) the Nth rename of a real run: the
 * files and the database must both stay at the old version.
 */

const temp = useTempDirs('plexarr-interrupted-');
const strace = spawnSync('strace', ['-V']).status === 0;

/** Through plexarr's own reader: after a kill it also sees what a -wal file holds. */
function configCount(home: string): number {
  const state = openState(home, { readonly: true });
  try {
    return (state.db.prepare('SELECT count(*) AS n FROM configs').get() as { n: number }).n;
  } finally {
    state.close();
  }
}

const stackFiles = (home: string) => ['.env', 'docker-compose.yml'].map((f) => readFileSync(join(home, 'generated-config', f), 'utf8'));

function initUnderStrace(home: string, ports: string[], inject: string) {
  const syscalls = 'rename,renameat,renameat2';
  return spawnSync(
    'strace',
    [
      '-f',
      '-qq',
      '-o',
      '/dev/null',
      '-e',
      `trace=${syscalls}`,
      '-e',
      `inject=${syscalls}:${inject}`,
      process.execPath,
      BIN,
      'init',
      '--yes',
      '--json',
      '--home',
      home,
      '--tz',
      'UTC',
      ...ports,
    ],
    { cwd: REPO_ROOT, env: { ...process.env, CI: 'true', NO_COLOR: '1', PLEXARR_HOME: '', NODE_OPTIONS: '' }, encoding: 'utf8' },
  );
}

describe('init interrupted at its renames', () => {
  const cases = [
    ['the first rename fails', 'error=EIO:when=1'],
    ['the second rename fails (the first file is put back)', 'error=EIO:when=2'],
    ['the process is SIGKILLed at the first rename', 'signal=SIGKILL:when=1'],
  ] as const;

  test.each(cases)('%s: database and files stay at config #1', async (_name, inject) => {
    if (!strace) return skipBecause('strace is not installed');
    const home = temp.make();
    const { args } = await freePortArgs();
    expect((await runCli(['init', '--yes', '--home', home, ...args])).code).toBe(0);
    const before = stackFiles(home);

    const r = initUnderStrace(home, args, inject);
    if (inject.startsWith('signal')) expect(r.status).not.toBe(0);
    else {
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/Input\/output error on .*generated-config\/(\.env|docker-compose\.yml).*\(EIO\)/);
    }
    expect(configCount(home)).toBe(1);
    expect(stackFiles(home)).toEqual(before);

    // The next run finds the home consistent and goes on.
    expect((await runCli(['init', '--yes', '--home', home, '--tz', 'UTC', ...args])).code).toBe(0);
    expect(configCount(home)).toBe(2);
  });
});
