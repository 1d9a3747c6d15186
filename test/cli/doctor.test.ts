import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { StackConfig } from '../../src/config/schema.js';
import type { CheckResult } from '../../src/doctor/index.js';
import { freePort } from '../fakes/core/index.js';
import { startPlexTv } from '../fakes/plextv.js';
import { fixtureConfig, FIXTURE_SECRETS } from '../unit/compose-fixtures.js';
import { cleanupHomes, fakeDockerEnv, plexarr, seedHome, tempRoots } from './status-home.js';

type PlexTv = Awaited<ReturnType<typeof startPlexTv>>;
let tv: PlexTv;
const held: Server[] = [];

beforeAll(async () => {
  tv = await startPlexTv({ accounts: [{ username: 'owner', token: FIXTURE_SECRETS.PLEX_TOKEN }] });
});
afterAll(async () => {
  await tv.close();
  await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
  cleanupHomes();
});

/** A loopback listener: holds a port like another program would. */
async function holdPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  held.push(server);
  return (server.address() as { port: number }).port;
}

/** Radarr and NZBGet on free high ports, folders under a temp dir writable by PUID 1000. */
async function healthyConfig(): Promise<StackConfig> {
  const config = tempRoots(fixtureConfig(['radarr', 'nzbget']));
  config.services.radarr.ports.web = await freePort();
  config.services.nzbget.ports.web = await freePort();
  for (const dir of [join(config.mediaRoot, 'media'), join(config.mediaRoot, 'downloads'), config.configRoot])
    mkdirSync(dir, { recursive: true });
  chmodSync(dirname(config.mediaRoot), 0o755);
  for (const dir of [config.mediaRoot, join(config.mediaRoot, 'media'), join(config.mediaRoot, 'downloads'), config.configRoot])
    chownSync(dir, 1000, 1000);
  return config;
}

const env = (extra: Record<string, string> = {}) => ({ ...fakeDockerEnv('healthy', 'v2-ndjson'), PLEXARR_PLEX_TV_URL: tv.url, ...extra });
const byId = (checks: CheckResult[]) => Object.fromEntries(checks.map((c) => [c.id, c]));

describe('plexarr doctor', () => {
  test('nothing deployed, no config: host checks only, in seconds, exit 0', async () => {
    const home = mkdtempSync(join(tmpdir(), 'plexarr-doctor-empty-'));
    const started = Date.now();
    const r = await plexarr(['doctor', '--home', home, '--json'], env());
    const elapsed = Date.now() - started;
    rmSync(home, { recursive: true, force: true });
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; checks: CheckResult[] };
    expect(report.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      'docker.installed:ok',
      'docker.daemon:ok',
      'compose:ok',
      'config:warn',
      'plex-token:warn',
      'file-modes:ok',
      'home-mode:ok',
    ]);
    console.log(`doctor with nothing deployed took ${elapsed} ms (CLI process start included)`);
    expect(elapsed).toBeLessThan(15_000);
  });

  test('a healthy host: every check ok, exit 0', async () => {
    const home = seedHome(await healthyConfig(), FIXTURE_SECRETS);
    const r = await plexarr(['doctor', '--home', home], env());
    expect(r.stdout).not.toMatch(/✗ fail/);
    for (const id of [
      'docker.installed',
      'docker.daemon',
      'compose',
      'ports',
      'hardlink',
      'permissions',
      'timezone',
      'plex-token',
      'file-modes',
    ]) {
      expect(r.stdout).toMatch(new RegExp(`✓ ok\\s+${id.replace('.', '\\.')}\\s`));
    }
    // Free space is the machine's: a small CI disk may warn (under 20 GiB), which must not fail doctor.
    expect(r.stdout).toMatch(/(✓ ok|! warn)\s+disk\s/);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^(11 ok, 0 warnings|10 ok, 1 warning), 0 failed$/);
    expect(r.exitCode).toBe(0);
  });

  test('a broken host: each check fails with its fix, exit 1', async () => {
    const config = await healthyConfig();
    config.services.radarr.ports.web = await holdPort();
    const home = seedHome(config, { ...FIXTURE_SECRETS, PLEX_TOKEN: 'revoked-token-0000000000' });
    chmodSync(join(home, 'generated-config', '.env'), 0o644);
    chownSync(config.configRoot, 0, 0);
    chmodSync(config.configRoot, 0o755);
    const downloads = join(config.mediaRoot, 'downloads');
    let unmount: (() => void) | undefined;
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', downloads], { stdio: 'pipe' });
      unmount = () => execFileSync('umount', [downloads]);
    } catch (e) {
      console.log(`skipping the other-filesystem case: mount is not permitted here (${(e as Error).message.split('\n')[0]})`);
    }
    try {
      const r = await plexarr(['doctor', '--home', home, '--json'], env({ FAKE_DOCKER_DAEMON: 'denied' }));
      expect(r.exitCode).toBe(1);
      const checks = byId((JSON.parse(r.stdout) as { checks: CheckResult[] }).checks);
      expect(checks['docker.daemon']).toMatchObject({
        status: 'fail',
        message: expect.stringContaining('permission denied'),
        fix: expect.stringContaining('usermod -aG docker'),
      });
      expect(checks.ports).toMatchObject({
        status: 'fail',
        message: `in use by another program: ${config.services.radarr.ports.web}/tcp (radarr web)`,
      });
      expect(checks.permissions).toMatchObject({
        status: 'fail',
        message: expect.stringContaining(`${config.configRoot} (EACCES)`),
        fix: expect.stringContaining(`chown -R 1000:1000 ${config.configRoot}`),
      });
      expect(checks['plex-token']).toMatchObject({ status: 'fail', message: expect.stringContaining('rejected the Plex token') });
      expect(checks['file-modes']).toMatchObject({ status: 'fail', fix: `\`chmod 600 ${join(home, 'generated-config', '.env')}\`` });
      if (unmount) expect(checks.hardlink).toMatchObject({ status: 'fail', message: expect.stringContaining('different filesystems') });
      expect(r.stdout).not.toContain('revoked-token-0000000000');

      const text = await plexarr(['doctor', '--home', home], env({ FAKE_DOCKER_DAEMON: 'denied' }));
      expect(text.exitCode).toBe(1);
      expect(text.stdout).toMatch(/✗ fail\s+ports\s+in use by another program/);
      expect(text.stdout).toMatch(/\n\s+fix: Stop what holds it/);
      expect(text.stdout.trim().split('\n').at(-1)).toMatch(/^\d+ ok, 0 warnings, [56] failed$/);
    } finally {
      unmount?.();
    }
  });
});
