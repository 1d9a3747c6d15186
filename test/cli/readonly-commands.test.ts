import { describe, expect, test } from '@jest/globals';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckResult } from '../../src/doctor/index.js';
import { snapshotDir } from '../helpers/dir-snapshot.js';
import { mountReadOnly, skipBecause, unmount } from '../helpers/mounts.js';
import { freePortArgs } from '../helpers/ports.js';
import { runCli } from '../helpers/run-cli.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

/** status, credentials and doctor only read: no -wal/-shm, no lock, and they work on a read-only mount. */

const temp = useTempDirs('plexarr-ro-');
const NO_ENGINE = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
const READERS = [
  ['status', '--json'],
  ['credentials', '--json'],
  ['doctor', '--json'],
];

async function savedHome(): Promise<string> {
  const home = join(temp.make(), 'home');
  const { args } = await freePortArgs();
  // The media and config roots live outside the home, so doctor's folder checks do not write into it.
  const roots = ['--media-root', join(temp.make(), 'media'), '--config-root', join(temp.make(), 'appdata')];
  expect((await runCli(['init', '--yes', '--home', home, ...roots, ...args])).code).toBe(0);
  return home;
}

describe('read-only commands', () => {
  test('leave the home exactly as it was (no plexarr.db-wal / -shm)', async () => {
    const home = await savedHome();
    const before = snapshotDir(home);
    for (const args of READERS) {
      const r = await runCli([...args, '--home', home], { env: NO_ENGINE });
      expect(r.stderr).not.toMatch(/a bug in plexarr|plexarr\.db/);
      expect(snapshotDir(home)).toEqual(before);
    }
  });

  test('work on a read-only bind mount of the home', async () => {
    const home = await savedHome();
    const why = mountReadOnly(home);
    if (why) return skipBecause(why);
    try {
      const credentials = await runCli(['credentials', '--json', '--home', home]);
      expect(credentials.stderr).not.toMatch(/a bug in plexarr|plexarr\.db/);
      expect(credentials.code).toBe(0);
      expect(JSON.parse(credentials.stdout)).toHaveProperty('admin');

      const status = await runCli(['status', '--json', '--home', home], { env: NO_ENGINE });
      expect(status.stderr).not.toMatch(/a bug in plexarr|plexarr\.db/);
      expect(JSON.parse(status.stdout)).toHaveProperty('services');

      const doctor = await runCli(['doctor', '--json', '--home', home], { env: NO_ENGINE });
      const checks = (JSON.parse(doctor.stdout) as { checks: CheckResult[] }).checks;
      expect(checks.map((c) => c.id)).toContain('ports');
    } finally {
      unmount(home);
    }
  });

  test('doctor flags a world-writable home', async () => {
    const home = await savedHome();
    chmodSync(home, 0o777);
    const r = await runCli(['doctor', '--json', '--home', home], { env: NO_ENGINE });
    const check = (JSON.parse(r.stdout) as { checks: CheckResult[] }).checks.find((c) => c.id === 'home-mode');
    expect(check).toMatchObject({ status: 'fail', fix: `\`chmod 750 ${home}\`` });
    expect(check?.message).toContain('writable by every user (mode 0777)');
    expect(r.code).toBe(1);
  });
});
