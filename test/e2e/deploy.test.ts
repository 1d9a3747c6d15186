import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composePs, detectCompose } from '../../src/docker/compose.js';
import { realExec } from '../../src/docker/exec.js';
import { describeNeeding } from '../helpers/tiers.js';
import { e2eEngine } from './engine.js';
import { buildE2EImages } from './images.js';
import {
  NETWORK,
  STACK_FILES,
  attachPlexTv,
  containerIdentity,
  detachPlexTv,
  dockerOk,
  expectPresent,
  fakeLog,
  fakeState,
  getJson,
  plexarr,
  removeStack,
  resetFakeLog,
  stackPortArgs,
  startPlexTv,
  type StackPorts,
} from './stack.js';

/**
 * The real-Docker tier: `plexarr init --yes` → `plexarr deploy` in a temp home, on images built
 * here (fakes, a real NZBGet) under the exact names the generated compose file uses. Skips only
 * when no engine can be had at all; CI starts one.
 */
const engine = await e2eEngine();
const maybe = describeNeeding(engine.ok ? undefined : engine.reason);

const PUID = 4242;
const PGID = 4343;
const PLEX_TOKEN = 'e2e-plex-account-token-0001';
const CONTAINERS = ['plex', 'radarr', 'sonarr', 'lidarr', 'prowlarr', 'seerr', 'maintainerr', 'nzbget'];
/** On by default too, with no health check (the catalog declares none): ready once it runs. */
const RECYCLARR = 'recyclarr';
/** Where the Recyclarr stand-in records each `recyclarr sync` (test/e2e/image/recyclarr.js). */
const syncsOf = (home: string): string[] => {
  const log = join(home, 'appdata/recyclarr/e2e-syncs.log');
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
};
type Ports = StackPorts;

interface DeployJson {
  ok: boolean;
  changes: string[];
  timings: Record<string, number>;
  lastHealthyAt?: number;
  coordinateStartedAt?: number;
  coordinateExitCode?: number;
  coordinate?: unknown;
}

afterAll(async () => {
  if (engine.ok) await engine.stop();
}, 120_000);

/**
 * A temp home with plex.tv running (account PLEX_TOKEN) and `plexarr init --yes` done, on a free
 * block of host ports (see stackPortArgs).
 */
async function prepareHome(initArgs: string[]): Promise<{ home: string; env: Record<string, string>; ports: Ports }> {
  await removeStack();
  const home = mkdtempSync(join(tmpdir(), 'plexarr-e2e-home-'));
  const { args, ports, plextvPort } = await stackPortArgs();
  const plextv = await startPlexTv(plextvPort);
  await getJson(`${plextv.url}/__fake/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'e2e', email: 'e2e@example.com', token: PLEX_TOKEN }),
  });
  const env = { PLEXARR_PLEX_TV_URL: plextv.url, ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}) };
  const init = await plexarr(
    [
      'init',
      '--yes',
      '--home',
      home,
      '--puid',
      String(PUID),
      '--pgid',
      String(PGID),
      '--tz',
      'UTC',
      '--host-address',
      '127.0.0.1',
      '--plex-token',
      PLEX_TOKEN,
      ...args,
      ...initArgs,
    ],
    env,
  );
  expect({ exitCode: init.exitCode, stderr: init.stderr }).toEqual({ exitCode: 0, stderr: '' });
  return { home, env, ports };
}

async function deployJson(home: string, env: Record<string, string>, extra: string[] = []) {
  const r = await plexarr(['deploy', '--home', home, '--json', '--timeout', '240', ...extra], env);
  if (r.exitCode !== 0)
    console.log(`deploy exit ${r.exitCode}\n--- stdout\n${r.stdout.slice(-6000)}\n--- stderr\n${r.stderr.slice(-6000)}`);
  return { exitCode: r.exitCode, report: JSON.parse(r.stdout) as DeployJson, stderr: r.stderr };
}

maybe('plexarr deploy on a real Docker engine', () => {
  let home = '';
  let env: Record<string, string> = {};
  let ports: Ports;
  let fakePorts: number[] = [];
  let first: DeployJson;

  const deploy = (extra: string[] = []) => deployJson(home, env, extra);

  beforeAll(async () => {
    const t0 = Date.now();
    await buildE2EImages(realExec, (line) => console.log(line));
    console.log(`e2e images ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    ({ home, env, ports } = await prepareHome([]));
    fakePorts = [ports.plex, ports.radarr, ports.sonarr, ports.lidarr, ports.prowlarr, ports.requests, ports.maintainerr];
  }, 900_000);

  afterAll(async () => {
    await removeStack();
    if (home) rmSync(home, { recursive: true, force: true });
  }, 300_000);

  it('brings every container up healthy on plexarr_default and coordinates', async () => {
    const { exitCode, report } = await deploy();
    first = report;
    const t = report.timings;
    console.log(
      [
        'deploy timings (fake stack):',
        `  total ${t.total} ms = compose up ${t.up} ms + health wait ${t.health} ms + coordinate ${t.coordinate} ms (+ prerequisites ${t.prerequisites}, folders ${t.folders}, preseed ${t.preseed}, claim ${t.claim})`,
        `  last container healthy → coordinate started: ${t.healthyToCoordinate} ms`,
      ].join('\n'),
    );
    // The first request of a hookup (health probes aside) as the services themselves logged it.
    const probe = /^\/(ping|identity|api\/v1\/status|api\/health\/ready|jsonrpc\/version)$/;
    const logs = (await Promise.all(fakePorts.map(fakeLog))).flat();
    const firstHookup = Math.min(...logs.filter((e) => e.t >= (report.coordinateStartedAt ?? 0) && !probe.test(e.path)).map((e) => e.t));
    console.log(
      `  first hookup request reached a service ${firstHookup - (report.lastHealthyAt ?? 0)} ms after the last container turned healthy`,
    );
    expect(exitCode).toBe(0);
    expect(report.coordinateExitCode).toBe(0);
    expect(t.healthyToCoordinate).toBeLessThan(1000);

    const compose = await detectCompose(realExec);
    const ps = await composePs(realExec, compose, join(home, 'generated-config/docker-compose.yml'));
    expect(ps.map((c) => [c.name, c.state, c.health])).toEqual(
      [...CONTAINERS.map((n) => [n, 'running', 'healthy']), [RECYCLARR, 'running', undefined]].sort(),
    );
    const attached = JSON.parse(await dockerOk('network', 'inspect', '--format', '{{json .Containers}}', NETWORK)) as Record<
      string,
      { Name: string }
    >;
    expect(Object.values(attached).map((c) => c.Name)).toEqual(expect.arrayContaining([...CONTAINERS, RECYCLARR]));
  }, 900_000);

  it('wrote recyclarr.yml and ran `recyclarr sync` once in the Recyclarr container (the recyclarr.sync hookup)', async () => {
    const yml = readFileSync(join(home, 'appdata/recyclarr/recyclarr.yml'), 'utf8');
    expect(yml).toContain('base_url: http://radarr:7878');
    expect(yml).toContain('api_key: !env_var SONARR_API_KEY');
    expect(syncsOf(home)).toHaveLength(1);
    const status = JSON.parse((await plexarr(['status', '--home', home, '--json'], env)).stdout) as {
      hookups: { id: string; state: string }[];
    };
    expect(status.hookups.find((h) => h.id === 'recyclarr.sync')?.state).toBe('linked');
  });

  it('claimed Plex through plex.tv, reached by the Plex container', async () => {
    const plex = await fakeState<{
      claim: { ok: boolean };
      preferences: { PlexOnlineToken?: string };
      sections: { locations: string[] }[];
    }>(ports.plex);
    expect(plex.claim.ok).toBe(true);
    expect(plex.preferences.PlexOnlineToken).toBeTruthy();
    expect(plex.sections.flatMap((s) => s.locations).sort()).toEqual(['/data/media/movies', '/data/media/music', '/data/media/tv']);
  });

  it('wired the *arr apps to NZBGet and Prowlarr to the *arr apps, across containers by name', async () => {
    const categories = {
      radarr: ['movieCategory', 'Movies'],
      sonarr: ['tvCategory', 'Series'],
      lidarr: ['musicCategory', 'Music'],
    } as const;
    for (const app of ['radarr', 'sonarr', 'lidarr'] as const) {
      const state = await fakeState<{
        downloadClients: { settings: Record<string, unknown>; top: { enable: boolean } }[];
        rootFolders: { path: string }[];
        indexerTests: { baseUrl: string }[];
      }>(ports[app]);
      const [field, category] = categories[app];
      expect(state.downloadClients).toHaveLength(1);
      expect(state.downloadClients[0]?.settings).toMatchObject({ host: 'nzbget', port: 6789, [field]: category });
      expect(state.downloadClients[0]?.top.enable).toBe(true);
      expect(state.rootFolders.map((r) => r.path)).toHaveLength(1);
      // Prowlarr's application test: sent from inside the Prowlarr container to http://<app>:<port>,
      // naming Prowlarr by its container name.
      expect(state.indexerTests.length).toBeGreaterThan(0);
      expect(state.indexerTests[0]?.baseUrl).toMatch(/^http:\/\/prowlarr:9696\//);
      // The download client was saved enabled, so the app's live test reached NZBGet at nzbget:6789.
      const log = await fakeLog(ports[app]);
      expect(log.filter((e) => e.method === 'POST' && /\/downloadclient$/.test(e.path)).map((e) => e.status)).toContain(201);
    }
    const prowlarr = await fakeState<{ applications: { implementation: string; settings: { baseUrl: string; prowlarrUrl: string } }[] }>(
      ports.prowlarr,
    );
    expect(Object.fromEntries(prowlarr.applications.map((a) => [a.implementation, a.settings.baseUrl]))).toEqual({
      Radarr: 'http://radarr:7878',
      Sonarr: 'http://sonarr:8989',
      Lidarr: 'http://lidarr:8686',
    });
    expect(new Set(prowlarr.applications.map((a) => a.settings.prowlarrUrl))).toEqual(new Set(['http://prowlarr:9696']));
  });

  it('configured the real NZBGet categories and paths', async () => {
    const dotenv = readFileSync(join(home, 'generated-config/.env'), 'utf8');
    const secret = (name: string) => new RegExp(`^${name}='?([^'\\n]*)'?$`, 'm').exec(dotenv)?.[1] ?? '';
    const rpc = await getJson<{ result: { Name: string; Value: string }[] }>(`http://127.0.0.1:${ports.nzbget}/jsonrpc`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${secret('NZBGET_USER')}:${secret('NZBGET_PASS')}`).toString('base64')}` },
      body: JSON.stringify({ method: 'config', params: [], id: 1 }),
    });
    const conf = Object.fromEntries(rpc.result.map((o) => [o.Name, o.Value]));
    const names = Object.entries(conf)
      .filter(([k]) => /^Category\d+\.Name$/.test(k))
      .map(([, v]) => v);
    expect(names).toEqual(expect.arrayContaining(['Movies', 'Series', 'Music']));
  });

  it('wired the request manager and Maintainerr to Plex and the *arr apps by container name', async () => {
    const seerr = await fakeState<{
      settings: { plex: { ip: string }; radarr: { hostname: string }[]; sonarr: { hostname: string }[]; public: { initialized: boolean } };
    }>(ports.requests);
    expect(seerr.settings.plex.ip).toBe('plex');
    expect(seerr.settings.radarr.map((r) => r.hostname)).toEqual(['radarr']);
    expect(seerr.settings.sonarr.map((r) => r.hostname)).toEqual(['sonarr']);
    expect(seerr.settings.public.initialized).toBe(true);
    const maintainerr = await fakeState<{ settings: Record<string, unknown>; radarr: { url: string }[]; sonarr: { url: string }[] }>(
      ports.maintainerr,
    );
    expect(maintainerr.settings).toMatchObject({ plex_hostname: 'plex', plex_port: 32400, seerr_url: 'http://seerr:5055' });
    expect(maintainerr.radarr.map((r) => r.url)).toEqual(['http://radarr:7878']);
    expect(maintainerr.sonarr.map((r) => r.url)).toEqual(['http://sonarr:8989']);
  });

  it('made the folders and config files belong to PUID/PGID (Seerr to 1000:1000)', async () => {
    const owner = (p: string) => `${statSync(p).uid}:${statSync(p).gid}`;
    const mine = `${PUID}:${PGID}`;
    for (const dir of [
      'data',
      'data/media/movies',
      'data/downloads/incomplete',
      'appdata',
      'appdata/radarr',
      'appdata/plex',
      'appdata/nzbget',
      'appdata/maintainerr',
    ]) {
      expect([dir, owner(join(home, dir))]).toEqual([dir, mine]);
    }
    expect(owner(join(home, 'appdata/seerr'))).toBe('1000:1000');
    for (const file of ['appdata/radarr/config.xml', 'appdata/nzbget/nzbget.conf', 'appdata/recyclarr/recyclarr.yml']) {
      expect(existsSync(join(home, file))).toBe(true);
      expect([file, owner(join(home, file))]).toEqual([file, mine]);
    }
    expect(statSync(join(home, 'generated-config/.env')).mode & 0o777).toBe(0o600);
  });

  it('changes nothing when deployed again', async () => {
    const before = await containerIdentity([...CONTAINERS, RECYCLARR]);
    const envBefore = readFileSync(join(home, 'generated-config/.env'), 'utf8');
    await Promise.all(fakePorts.map(resetFakeLog));
    const { exitCode, report } = await deploy();
    expect(exitCode).toBe(0);
    expect(report.changes).toEqual([]);
    expect(await containerIdentity([...CONTAINERS, RECYCLARR])).toEqual(before);
    // recyclarr.yml is unchanged, so the recyclarr.sync hookup plans nothing: no second sync.
    expect(syncsOf(home)).toHaveLength(1);
    expect(readFileSync(join(home, 'generated-config/.env'), 'utf8')).toBe(envBefore);
    for (const port of fakePorts) {
      const writes = (await fakeLog(port)).filter((e) => e.method !== 'GET' && !/\/test$|\/testall$/.test(e.path) && e.path !== '/jsonrpc');
      expect([port, writes]).toEqual([port, []]);
    }
  }, 900_000);

  it('down stops everything and keeps every file; deploy brings it back', async () => {
    await detachPlexTv();
    const down = await plexarr(['down', '--home', home], env);
    expect(down.exitCode).toBe(0);
    const left = (await dockerOk('ps', '-aq', '--filter', 'label=com.docker.compose.project=plexarr')).trim();
    expect(left).toBe('');
    expectPresent(home, [...STACK_FILES, 'data/media/movies']);
    await attachPlexTv();
    const again = await deploy(['--no-coordinate']);
    expect(again.exitCode).toBe(0);
    expect(again.report.changes).toEqual([]);
    const ps = await composePs(realExec, await detectCompose(realExec), join(home, 'generated-config/docker-compose.yml'));
    expect(ps.filter((c) => c.health === 'healthy')).toHaveLength(CONTAINERS.length);
    expect(first.changes.length).toBeGreaterThan(0);
  }, 900_000);
});

maybe('plexarr deploy with Overseerr and a second NZBGet', () => {
  let home = '';
  let env: Record<string, string> = {};
  let ports: Ports;

  beforeAll(async () => {
    await buildE2EImages(realExec);
    ({ home, env, ports } = await prepareHome([
      '--request-manager',
      'overseerr',
      '--services',
      'plex,radarr,sonarr,requests,nzbget,nzbget2',
    ]));
  }, 900_000);

  afterAll(async () => {
    await removeStack();
    if (home) rmSync(home, { recursive: true, force: true });
  }, 300_000);

  it("pre-seeds Overseerr's API key, which the running app then accepts", async () => {
    const { exitCode, report } = await deployJson(home, env);
    expect(report.changes).toContain(
      `write ${join(home, 'appdata/overseerr/settings.json')} (Overseerr API key, mode 0600, owner ${PUID}:${PGID})`,
    );
    expect(exitCode).toBe(0);
    const credentials = JSON.parse((await plexarr(['credentials', '--home', home, '--json'], env)).stdout) as unknown;
    const key = JSON.stringify(credentials).match(/"([0-9a-f]{32})"/g) ?? [];
    const overseerr = await fakeState<{
      variant: string;
      settings: { main: { apiKey: string }; radarr: { hostname: string }[]; public: { initialized: boolean } };
    }>(ports.requests);
    expect(overseerr.variant).toBe('overseerr');
    expect(key).toContain(`"${overseerr.settings.main.apiKey}"`);
    expect(overseerr.settings.radarr.map((r) => r.hostname)).toEqual(['radarr']);
    expect(overseerr.settings.public.initialized).toBe(true);
  }, 900_000);

  it('runs the second NZBGet on its own port and wires both', async () => {
    const compose = await detectCompose(realExec);
    const ps = await composePs(realExec, compose, join(home, 'generated-config/docker-compose.yml'));
    expect(ps.map((c) => [c.name, c.health, c.publishedPorts])).toEqual([
      ['nzbget', 'healthy', [ports.nzbget]],
      ['nzbget2', 'healthy', [ports.nzbget2]],
      ['overseerr', 'healthy', [ports.requests]],
      ['plex', 'healthy', [ports.plex]],
      ['radarr', 'healthy', [ports.radarr]],
      ['sonarr', 'healthy', [ports.sonarr]],
    ]);
    const radarr = await fakeState<{ downloadClients: { settings: { host: string; port: number } }[] }>(ports.radarr);
    // Both clients were tested live from inside the Radarr container, by container name and internal port.
    expect(radarr.downloadClients.map((d) => `${d.settings.host}:${d.settings.port}`).sort()).toEqual(['nzbget2:6789', 'nzbget:6789']);
  });
});
