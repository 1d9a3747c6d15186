import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composePs, detectCompose } from '../../src/docker/compose.js';
import { realExec } from '../../src/docker/exec.js';
import { snapshotDir } from '../helpers/dir-snapshot.js';
import { describeNeeding } from '../helpers/tiers.js';
import { e2eEngine } from './engine.js';
import { buildE2EImages } from './images.js';
import {
  NETWORK,
  attachPlexTv,
  detachPlexTv,
  docker,
  dockerOk,
  fakeState,
  getJson,
  plexarr,
  rebuildImage,
  removeStack,
  stackPortArgs,
  startPlexTv,
} from './stack.js';

/**
 * Day two on a real engine: NZBGet 2 is taken out of a stack with two (its container and plexarr's
 * download clients for it go), the running stack is backed up, uninstalled keeping media byte for
 * byte, purged, restored from the backup and deployed again with the same keys. The fakes keep
 * their state in memory, so the restart for the backup's copy comes after the wiring checks.
 * Prints the figures: backup size and time, restore + deploy time.
 */
const engine = await e2eEngine();
const maybe = describeNeeding(engine.ok ? undefined : engine.reason);

const PLEX_TOKEN = 'e2e-plex-account-token-0002';

afterAll(async () => {
  if (engine.ok) await engine.stop();
}, 120_000);

maybe('plexarr backup, service removal, uninstall and restore on a real Docker engine', () => {
  let home = '';
  let env: Record<string, string> = {};
  let radarrPort = 0;
  let prowlarrPort = 0;
  let backup = '';
  const composeFile = () => join(home, 'generated-config/docker-compose.yml');
  const running = async () =>
    (await composePs(realExec, await detectCompose(realExec), composeFile())).filter((c) => c.state === 'running').map((c) => c.name);
  const deploy = async () => {
    const r = await plexarr(['deploy', '--home', home, '--timeout', '240'], env);
    if (r.exitCode !== 0) console.log(`deploy exit ${r.exitCode}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
    return r.exitCode;
  };

  beforeAll(async () => {
    await buildE2EImages(realExec);
    await removeStack();
    home = mkdtempSync(join(tmpdir(), 'plexarr-e2e-day2-'));
    const { args, ports, plextvPort } = await stackPortArgs();
    radarrPort = ports.radarr;
    prowlarrPort = ports.prowlarr;
    const plextv = await startPlexTv(plextvPort);
    await getJson(`${plextv.url}/__fake/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'e2e', token: PLEX_TOKEN }),
    });
    env = { PLEXARR_PLEX_TV_URL: plextv.url, ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}) };
    const init = await plexarr(
      [
        'init',
        '--yes',
        '--home',
        home,
        '--tz',
        'UTC',
        '--host-address',
        '127.0.0.1',
        '--plex-token',
        PLEX_TOKEN,
        '--services',
        'radarr,sonarr,prowlarr,nzbget,nzbget2',
        ...args,
      ],
      env,
    );
    expect({ code: init.exitCode, err: init.stderr }).toEqual({ code: 0, err: '' });
    expect(await deploy()).toBe(0);
  }, 900_000);

  afterAll(async () => {
    await removeStack();
    if (home) rmSync(home, { recursive: true, force: true });
    if (backup) rmSync(backup, { force: true });
  }, 300_000);

  it('taking NZBGet 2 out removes its container and the download clients plexarr made for it', async () => {
    const radarr = await fakeState<{ downloadClients: { name: string }[] }>(radarrPort);
    expect(radarr.downloadClients.map((c) => c.name).sort()).toEqual(['NZBGet', 'NZBGet 2']);
    const init = await plexarr(['init', '--yes', '--home', home, '--services', 'radarr,sonarr,prowlarr,nzbget'], env);
    expect(init.exitCode).toBe(0);
    const dry = await plexarr(['coordinate', '--home', home, '--dry-run'], env);
    expect(dry.stdout).toContain("delete download client 'NZBGet 2' in Radarr");
    expect(await deploy()).toBe(0);
    expect(await running()).not.toContain('nzbget2');
    for (const port of [radarrPort]) {
      const state = await fakeState<{ downloadClients: { name: string }[] }>(port);
      expect(state.downloadClients.map((c) => c.name)).toEqual(['NZBGet']);
    }
    const prowlarr = await fakeState<{ downloadClients: { name: string }[] }>(prowlarrPort);
    expect(prowlarr.downloadClients.map((c) => c.name)).toEqual(['NZBGet']);
  }, 900_000);

  it('backs up the running stack: stops the containers for the copy, starts them again, 0600', async () => {
    const before = await running();
    backup = join(tmpdir(), `plexarr-e2e-backup-${process.pid}.tar.gz`);
    const t0 = Date.now();
    const r = await plexarr(['backup', '--home', home, '--output', backup, '--json'], env);
    const ms = Date.now() - t0;
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout) as { bytes: number; contentBytes: number; files: number; paused: string[] };
    console.log(
      `backup of the fake stack (4 services): ${(report.bytes / 1024).toFixed(0)} KiB (${report.files} files, ${(report.contentBytes / 1024).toFixed(0)} KiB before compression) in ${ms} ms`,
    );
    expect(report.paused.sort()).toEqual(before.sort());
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    expect((await running()).sort()).toEqual(before.sort());
  }, 600_000);

  it('uninstall removes containers and network and keeps media byte for byte; --purge-config then the configuration', async () => {
    mkdirSync(join(home, 'data/media/movies/Film (2001)'), { recursive: true });
    writeFileSync(join(home, 'data/media/movies/Film (2001)/Film.mkv'), Buffer.from([0, 1, 2, 3, 250, 251]));
    const media = snapshotDir(join(home, 'data'));
    await detachPlexTv();
    const r = await plexarr(['uninstall', '--home', home], env);
    expect(r.exitCode).toBe(0);
    expect((await dockerOk('ps', '-aq', '--filter', 'label=com.docker.compose.project=plexarr')).trim()).toBe('');
    expect((await docker('network', 'inspect', NETWORK)).exitCode).not.toBe(0);
    expect(snapshotDir(join(home, 'data'))).toEqual(media);
    expect(existsSync(join(home, 'plexarr.db'))).toBe(true);
    const purge = await plexarr(['uninstall', '--home', home, '--purge-config', '--yes'], env);
    expect(purge.exitCode).toBe(0);
    expect(existsSync(join(home, 'plexarr.db'))).toBe(false);
    expect(existsSync(join(home, 'appdata/radarr'))).toBe(false);
    expect(snapshotDir(join(home, 'data'))).toEqual(media);
  }, 600_000);

  it('restore onto the purged home, then deploy, gives the same keys and a healthy stack', async () => {
    const t0 = Date.now();
    const r = await plexarr(['restore', backup, '--home', home], env);
    expect({ code: r.exitCode, err: r.stderr }).toEqual({ code: 0, err: '' });
    await attachPlexTv();
    expect(await deploy()).toBe(0);
    console.log(`restore + deploy: ${Date.now() - t0} ms`);
    const dotenv = (await realExec('tar', ['-xzOf', backup, 'generated-config/.env'])).stdout;
    expect(readFileSync(join(home, 'generated-config/.env'), 'utf8').trim()).toBe(dotenv.trim());
    expect((await running()).sort()).toEqual(['nzbget', 'prowlarr', 'radarr', 'sonarr']);
  }, 900_000);
});

maybe('plexarr update on a real Docker engine', () => {
  const IMAGE = 'lscr.io/linuxserver/radarr:latest';
  let home = '';
  let env: Record<string, string> = {};
  /** A new version of Radarr built here under the same tag (no registry: the pull fails, the local image changed). */
  const build = (dockerfile: string) => rebuildImage(IMAGE, dockerfile);
  const radarrImage = async () => (await dockerOk('inspect', '--format', '{{.Image}}', 'radarr')).trim();
  const update = async (extra: string[]) => {
    const r = await plexarr(['update', '--home', home, '--service', 'radarr', '--timeout', '30', '--json', ...extra], env);
    return {
      exitCode: r.exitCode,
      report: JSON.parse(r.stdout) as {
        services: { container: string; outcome: string; previousId?: string; newId?: string; error?: string }[];
      },
    };
  };

  beforeAll(async () => {
    await buildE2EImages(realExec);
    await removeStack();
    home = mkdtempSync(join(tmpdir(), 'plexarr-e2e-update-'));
    const { args, plextvPort } = await stackPortArgs();
    const plextv = await startPlexTv(plextvPort);
    env = { PLEXARR_PLEX_TV_URL: plextv.url, ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}) };
    const init = await plexarr(
      ['init', '--yes', '--home', home, '--tz', 'UTC', '--host-address', '127.0.0.1', '--services', 'radarr,nzbget', ...args],
      env,
    );
    expect(init.exitCode).toBe(0);
    expect((await plexarr(['deploy', '--home', home, '--timeout', '240'], env)).exitCode).toBe(0);
  }, 900_000);

  afterAll(async () => {
    await removeStack();
    await docker('rmi', '-f', IMAGE);
    if (home) rmSync(home, { recursive: true, force: true });
  }, 300_000);

  it('recreates Radarr on a new local image and records it; status shows it', async () => {
    const before = await radarrImage();
    const nzbgetBefore = (await dockerOk('inspect', '--format', '{{.Id}}', 'nzbget')).trim();
    const fresh = await build('LABEL plexarr.e2e.update=good');
    const { exitCode, report } = await update([]);
    expect(exitCode).toBe(0);
    expect(report.services).toEqual([
      expect.objectContaining({ container: 'radarr', outcome: 'updated', previousId: before, newId: fresh }),
    ]);
    expect(await radarrImage()).toBe(fresh);
    expect((await dockerOk('inspect', '--format', '{{.Id}}', 'nzbget')).trim()).toBe(nzbgetBefore);
    const status = JSON.parse((await plexarr(['status', '--home', home, '--json'], env)).stdout) as {
      services: { service: string; image?: { id: string; updatedAt?: string } }[];
    };
    expect(status.services.find((s) => s.service === 'radarr')?.image).toEqual({ id: fresh, updatedAt: expect.any(String) });
  }, 600_000);

  it('a new image that never gets healthy is rolled back to the recorded one (exit 1)', async () => {
    const good = await radarrImage();
    const bad = await build('CMD ["/usr/bin/node", "-e", "process.exit(3)"]');
    const t0 = Date.now();
    const { exitCode, report } = await update([]);
    console.log(`update with rollback: ${Date.now() - t0} ms`);
    expect(exitCode).toBe(1);
    expect(report.services).toEqual([
      expect.objectContaining({ container: 'radarr', outcome: 'rolled-back', previousId: good, newId: bad }),
    ]);
    expect(await radarrImage()).toBe(good);
    expect((await dockerOk('image', 'inspect', '--format', '{{.Id}}', IMAGE)).trim()).toBe(good);
    const ps = await composePs(realExec, await detectCompose(realExec), join(home, 'generated-config/docker-compose.yml'));
    expect(ps.find((c) => c.name === 'radarr')).toMatchObject({ state: 'running', health: 'healthy' });
  }, 600_000);
});
