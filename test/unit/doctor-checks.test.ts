import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StackConfig } from '../../src/config/schema.js';
import { composeAvailable } from '../../src/doctor/compose.js';
import { diskSpace } from '../../src/doctor/disk.js';
import { dockerDaemon } from '../../src/doctor/docker-daemon.js';
import { dockerInstalled } from '../../src/doctor/docker-installed.js';
import { secretFileModes } from '../../src/doctor/file-modes.js';
import { hardlinkLayout } from '../../src/doctor/hardlink.js';
import { rootsWritable } from '../../src/doctor/permissions.js';
import { plexToken } from '../../src/doctor/plex-token.js';
import { portsFree } from '../../src/doctor/ports.js';
import { timeZone } from '../../src/doctor/timezone.js';
import { realExec } from '../../src/docker/exec.js';
import { ROOT_IDS_NOTE } from '../../src/host/ids.js';
import { isPortFree } from '../../src/host/ports.js';
import { startPlexTv } from '../fakes/plextv.js';
import { fixtureConfig } from './compose-fixtures.js';
import { fakeDockerEnv, fakeDockerExec } from './status-helpers.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'plexarr-doctor-'));
  // mkdtemp makes 0700; PUID must be able to walk into it for the write probe to mean anything.
  chmodSync(tmp, 0o755);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function roots(name: string, layout = true): Pick<StackConfig, 'mediaRoot' | 'configRoot'> {
  const mediaRoot = join(tmp, name, 'media-root');
  const configRoot = join(tmp, name, 'config-root');
  if (layout) for (const d of [join(mediaRoot, 'media'), join(mediaRoot, 'downloads'), configRoot]) mkdirSync(d, { recursive: true });
  return { mediaRoot, configRoot };
}

/** Tries a tmpfs mount; null (with the reason printed) when this environment does not allow it. */
function mountTmpfs(dir: string, size = '4m'): (() => void) | null {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return () => execFileSync('umount', [dir]);
  } catch (e) {
    console.log(`skipping the tmpfs case: mount is not permitted here (${(e as Error).message.split('\n')[0]})`);
    return null;
  }
}

describe('docker checks (fake docker on PATH)', () => {
  test('installed: ok with a version, fail when missing', async () => {
    expect(await dockerInstalled({ exec: fakeDockerExec(fakeDockerEnv('healthy', 'v2-ndjson')) })).toMatchObject({
      status: 'ok',
      message: 'Docker client 27.3.1',
    });
    const none = await dockerInstalled({ exec: (file, args, opts) => realExec(file, args, { ...opts, env: { PATH: '/nonexistent' } }) });
    expect(none).toMatchObject({ status: 'fail', fix: expect.stringContaining('apt-get install docker.io') });
  });

  test('daemon: reachable, not running, permission denied', async () => {
    const run = (daemon: string) =>
      dockerDaemon({ uid: 1000, exec: fakeDockerExec(fakeDockerEnv('healthy', 'v2-ndjson', { FAKE_DOCKER_DAEMON: daemon })) });
    expect(await run('ok')).toMatchObject({ status: 'ok', message: 'Docker Engine 27.3.1 is reachable' });
    expect(await run('down')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('Is the docker daemon running?'),
      fix: expect.stringContaining('systemctl start docker'),
    });
    const denied = await run('denied');
    expect(denied).toMatchObject({ status: 'fail', message: expect.stringContaining('(uid 1000) may not use the Docker daemon') });
    expect(denied.fix).toContain('usermod -aG docker');
  });

  test('compose: v2, v1, none', async () => {
    const run = (kind: 'v2-ndjson' | 'v1' | 'none') => composeAvailable({ exec: fakeDockerExec(fakeDockerEnv('healthy', kind)) });
    expect(await run('v2-ndjson')).toMatchObject({ status: 'ok', message: 'Compose v2 2.29.7 (`docker compose`)' });
    expect(await run('v1')).toMatchObject({ status: 'ok', message: 'Compose v1 1.29.2 (`docker-compose`)' });
    expect(await run('none')).toMatchObject({ status: 'fail', fix: expect.stringContaining('docker-compose-plugin') });
  });
});

describe('ports', () => {
  let server: Server;
  let port: number;
  /** A port that was free a moment ago (port + 1 may belong to anything else on the machine). */
  let freePort: number;
  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    freePort = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const config = () => {
    const c = fixtureConfig(['radarr', 'nzbget']);
    c.services.radarr.ports.web = port;
    c.services.nzbget.ports.web = freePort;
    return c;
  };
  const exec = fakeDockerExec(fakeDockerEnv('healthy', 'v2-ndjson'));

  test('a port held by another program fails, naming it', async () => {
    const r = await portsFree({ config: config(), exec, isPortFree, stackPorts: async () => new Set() });
    expect(r.status).toBe('fail');
    expect(r.message).toBe(`in use by another program: ${port}/tcp (radarr web)`);
    expect(r.fix).toContain(`:${port}`);
  });

  test('a port held by this stack is fine', async () => {
    const r = await portsFree({ config: config(), exec, isPortFree, stackPorts: async () => new Set([port]) });
    expect(r).toMatchObject({ status: 'ok', message: 'all 2 host ports are free or held by this stack' });
  });

  test('free ports pass', async () => {
    const c = config();
    c.services.radarr.ports.web = c.services.nzbget.ports.web!;
    const r = await portsFree({
      config: { ...c, services: { ...c.services, radarr: { enabled: false, ports: {} } } },
      exec,
      isPortFree,
      stackPorts: async () => new Set(),
    });
    expect(r.status).toBe('ok');
  });
});

describe('hardlink layout', () => {
  const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('.plexarr-doctor'));

  test('one filesystem: a real hardlink works and nothing is left behind', async () => {
    const r = roots('hl-ok');
    const result = await hardlinkLayout({ config: { ...fixtureConfig(), ...r } });
    expect(result).toMatchObject({ status: 'ok', message: expect.stringContaining('a hardlink from') });
    expect(leftovers(join(r.mediaRoot, 'downloads'))).toEqual([]);
    expect(leftovers(join(r.mediaRoot, 'media'))).toEqual([]);
  });

  test('nothing created yet: tested in the closest existing parent', async () => {
    const r = roots('hl-none', false);
    mkdirSync(join(tmp, 'hl-none'), { recursive: true });
    const result = await hardlinkLayout({ config: { ...fixtureConfig(), ...r } });
    expect(result).toMatchObject({ status: 'ok', message: expect.stringContaining('do not exist yet') });
  });

  test('downloads on another filesystem (tmpfs): EXDEV fails with the fix', async () => {
    const r = roots('hl-exdev');
    const downloads = join(r.mediaRoot, 'downloads');
    const unmount = mountTmpfs(downloads);
    if (!unmount) return;
    try {
      const result = await hardlinkLayout({ config: { ...fixtureConfig(), ...r } });
      expect(result).toMatchObject({
        status: 'fail',
        message: expect.stringContaining('different filesystems'),
        fix: expect.stringContaining(r.mediaRoot),
      });
      expect(leftovers(downloads)).toEqual([]);
      expect(leftovers(join(r.mediaRoot, 'media'))).toEqual([]);
    } finally {
      unmount();
    }
  });
});

describe('permissions', () => {
  const isRoot = process.getuid?.() === 0;
  const ctx = (r: Pick<StackConfig, 'mediaRoot' | 'configRoot'>, uid: number) => ({
    config: { ...fixtureConfig(), ...r, puid: 1000, pgid: 1000 },
    exec: realExec,
    uid,
    nodePath: process.execPath,
  });

  test('root proves it with a real write as PUID:PGID: unwritable, then writable after chown', async () => {
    if (!isRoot) return console.log('skipping the as-PUID write probe: not running as root');
    const r = roots('perm-probe');
    for (const d of [r.mediaRoot, join(r.mediaRoot, 'media'), join(r.mediaRoot, 'downloads'), r.configRoot]) chmodSync(d, 0o755);
    const denied = await rootsWritable(ctx(r, 0));
    expect(denied.status).toBe('fail');
    expect(denied.message).toContain('checked by a test write');
    expect(denied.message).toContain(`${r.configRoot} (EACCES)`);
    expect(denied.fix).toContain('chown -R 1000:1000');
    for (const d of [r.mediaRoot, join(r.mediaRoot, 'media'), join(r.mediaRoot, 'downloads'), r.configRoot]) chownSync(d, 1000, 1000);
    expect(await rootsWritable(ctx(r, 0))).toMatchObject({ status: 'ok', message: expect.stringContaining('can write') });
  });

  test('not root: mode bits and ownership decide', async () => {
    const r = roots('perm-bits');
    for (const d of [r.mediaRoot, join(r.mediaRoot, 'media'), join(r.mediaRoot, 'downloads'), r.configRoot]) chmodSync(d, 0o755);
    const denied = await rootsWritable(ctx(r, 1000));
    expect(denied).toMatchObject({ status: 'fail', message: expect.stringContaining('mode 0755') });
    chmodSync(r.configRoot, 0o777);
    expect((await rootsWritable(ctx(r, 1000))).message).not.toContain(`${r.configRoot} (`);
    if (isRoot) {
      for (const d of [r.mediaRoot, join(r.mediaRoot, 'media'), join(r.mediaRoot, 'downloads')]) chownSync(d, 1000, 1000);
      expect(await rootsWritable(ctx(r, 1000))).toMatchObject({ status: 'ok', message: expect.stringContaining('checked by mode bits') });
    }
  });

  test('PUID or PGID 0 passes with a warning that says what it means', async () => {
    const r = roots('perm-root');
    const result = await rootsWritable({ ...ctx(r, 0), config: { ...fixtureConfig(), ...r, puid: 0, pgid: 0 } });
    expect(result).toMatchObject({
      status: 'warn',
      message: expect.stringContaining(`PUID/PGID 0/0 — ${ROOT_IDS_NOTE}`),
      fix: expect.stringContaining('init --puid <uid> --pgid <gid>'),
    });
    const later = roots('perm-root-later', false);
    expect(await rootsWritable({ ...ctx(later, 0), config: { ...fixtureConfig(), ...later, puid: 1000, pgid: 0 } })).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('do not exist yet'),
    });
  });

  test('roots not created yet are fine', async () => {
    expect(await rootsWritable(ctx(roots('perm-none', false), 0))).toMatchObject({
      status: 'ok',
      message: expect.stringContaining('do not exist yet'),
    });
  });
});

describe('disk, time zone, file modes', () => {
  test('free disk is reported per root; a nearly full tmpfs fails', async () => {
    const r = roots('disk');
    const ok = await diskSpace({ config: { ...fixtureConfig(), ...r } });
    expect(ok.message).toMatch(/media root .*: [\d.]+ (GiB|MiB) free; config root .*: [\d.]+ (GiB|MiB) free/);
    const unmount = mountTmpfs(r.mediaRoot, '8m');
    if (!unmount) return;
    try {
      const full = await diskSpace({ config: { ...fixtureConfig(), ...r } });
      expect(full).toMatchObject({
        status: 'fail',
        message: expect.stringContaining('8 MiB free'),
        fix: expect.stringContaining('media root'),
      });
    } finally {
      unmount();
    }
  });

  test('time zone', async () => {
    expect(await timeZone({ config: fixtureConfig() })).toMatchObject({ status: 'ok', message: 'time zone Europe/Berlin' });
    expect(await timeZone({ config: { ...fixtureConfig(), tz: 'Mars/Olympus_Mons' } })).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('timedatectl'),
    });
  });

  test('.env and plexarr.db must be 0600', async () => {
    const dir = join(tmp, 'modes');
    mkdirSync(dir);
    const envFile = join(dir, '.env');
    const dbFile = join(dir, 'plexarr.db');
    expect(await secretFileModes({ envFile, dbFile })).toMatchObject({
      status: 'ok',
      message: expect.stringContaining('no .env or plexarr.db yet'),
    });
    writeFileSync(envFile, 'X=1\n', { mode: 0o644 });
    writeFileSync(dbFile, '', { mode: 0o600 });
    chmodSync(envFile, 0o644);
    const bad = await secretFileModes({ envFile, dbFile });
    expect(bad).toMatchObject({ status: 'fail', message: `readable by others: ${envFile} (mode 0644)`, fix: `\`chmod 600 ${envFile}\`` });
    chmodSync(envFile, 0o600);
    expect((await secretFileModes({ envFile, dbFile })).status).toBe('ok');
  });
});

describe('plex token (fake plex.tv on loopback)', () => {
  type Handle = Awaited<ReturnType<typeof startPlexTv>>;
  let tv: Handle;
  const TOKEN = 'owner-token-abcdef123456';
  beforeAll(async () => {
    tv = await startPlexTv({ accounts: [{ username: 'owner', token: TOKEN }] });
  });
  afterAll(() => tv.close());

  test('accepted, rejected, absent, unreachable', async () => {
    expect(await plexToken({ secrets: { PLEX_TOKEN: TOKEN }, plexTvUrl: tv.url })).toMatchObject({ status: 'ok' });
    const rejected = await plexToken({ secrets: { PLEX_TOKEN: 'wrong-token-0000000' }, plexTvUrl: tv.url });
    expect(rejected).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('rejected the Plex token'),
      fix: expect.stringContaining('--plex-token'),
    });
    expect(rejected.message).not.toContain('wrong-token-0000000');
    expect(await plexToken({ secrets: {}, plexTvUrl: tv.url })).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('no Plex account token'),
    });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const started = Date.now();
    const unreachable = await plexToken({ secrets: { PLEX_TOKEN: TOKEN }, plexTvUrl: `http://127.0.0.1:${deadPort}` });
    expect(unreachable).toMatchObject({ status: 'warn', message: expect.stringContaining('could not be checked') });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
