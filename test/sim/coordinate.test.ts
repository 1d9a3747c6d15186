import { afterEach, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { createClients } from '../../src/clients/index.js';
import { allHookups } from '../../src/coordinate/hookups/index.js';
import { appliedSecretsSnapshot } from '../../src/state/applied-secrets.js';
import { latestConfig } from '../../src/state/configs.js';
import { openState } from '../../src/state/db.js';
import { getSecrets } from '../../src/state/secrets.js';
import { checkLive } from '../../src/status/live.js';
import { startNewznab } from '../fakes/newznab.js';
import { nzbgetMissing } from '../fakes/nzbget.js';
import { describeNeeding } from '../helpers/tiers.js';
import { startSim, taskRows } from './harness.js';

/**
 * The whole stack wired from scratch by the real CLI (`init --yes`, then `coordinate`) against
 * the fakes and a real NZBGet, every end state read back from the fakes; then the same under
 * start-up delays, 500s and a CLI killed with SIGKILL, converged by `--retry`.
 * Needs `npm run build` first (the CLI runs from dist/).
 */

type Sim = Awaited<ReturnType<typeof startSim>>;
interface Definition {
  name: string;
  implementation: string;
  settings: Record<string, unknown>;
  top: Record<string, unknown>;
}

const ARR = [
  { app: 'radarr', port: 7878, key: 'RADARR_API_KEY', categoryField: 'movieCategory', category: 'Movies', root: '/data/media/movies' },
  { app: 'sonarr', port: 8989, key: 'SONARR_API_KEY', categoryField: 'tvCategory', category: 'Series', root: '/data/media/tv' },
  { app: 'lidarr', port: 8686, key: 'LIDARR_API_KEY', categoryField: 'musicCategory', category: 'Music', root: '/data/media/music' },
] as const;

let sim: Sim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const state = (s: Sim, service: string): any => s.stack.services.get(service)!.state;

/** Every end state the issue names, and nothing duplicated anywhere. */
async function expectWired(s: Sim): Promise<void> {
  const keys = s.secrets();
  const categories: string[] = await s.nzbgetCategories();
  expect(new Set(categories).size).toBe(categories.length);

  const apps: Definition[] = state(s, 'prowlarr').applications;
  expect(apps.map((a) => a.implementation).sort()).toEqual(['Lidarr', 'Radarr', 'Sonarr']);
  for (const a of ARR) {
    const app = apps.find((x) => x.implementation.toLowerCase() === a.app)!;
    expect(app.settings).toMatchObject({ baseUrl: `http://${a.app}:${a.port}`, prowlarrUrl: 'http://prowlarr:9696', apiKey: keys[a.key] });
    expect(app.top.syncLevel).toBe('fullSync');

    const clients: Definition[] = state(s, a.app).downloadClients;
    expect(clients).toHaveLength(1);
    expect(clients[0]).toMatchObject({ implementation: 'Nzbget', top: { enable: true, priority: 1 } });
    expect(clients[0]!.settings).toMatchObject({ host: 'nzbget', port: 6789, username: keys.NZBGET_USER, password: keys.NZBGET_PASS });
    expect(clients[0]!.settings[a.categoryField]).toBe(a.category);
    expect(categories).toContain(a.category);

    expect(state(s, a.app).rootFolders.map((f: { path: string }) => f.path)).toEqual([a.root]);
  }
  const prowlarrClients: Definition[] = state(s, 'prowlarr').downloadClients;
  expect(prowlarrClients).toHaveLength(1);
  expect(prowlarrClients[0]).toMatchObject({ implementation: 'Nzbget', top: { enable: true } });

  const sections = state(s, 'plex').sections as { title: string; type: string; agent: string; locations: string[] }[];
  expect(sections.map((x) => [x.title, x.type, x.agent, x.locations])).toEqual([
    ['Movies', 'movie', 'tv.plex.agents.movie', ['/data/media/movies']],
    ['TV Shows', 'show', 'tv.plex.agents.series', ['/data/media/tv']],
    ['Music', 'artist', 'tv.plex.agents.music', ['/data/media/music']],
  ]);

  const seerr = state(s, 'seerr');
  expect(seerr.users).toHaveLength(1);
  expect(seerr.settings.public.initialized).toBe(true);
  expect(seerr.settings.plex).toMatchObject({ ip: 'plex', port: 32400 });
  expect(
    seerr.settings.plex.libraries
      .filter((l: { enabled: boolean }) => l.enabled)
      .map((l: { name: string }) => l.name)
      .sort(),
  ).toEqual(['Movies', 'TV Shows']);
  for (const a of ARR.slice(0, 2)) {
    const servers = seerr.settings[a.app] as Record<string, unknown>[];
    expect(servers).toHaveLength(1);
    expect(servers[0]).toMatchObject({ hostname: a.app, port: a.port, apiKey: keys[a.key], isDefault: true, activeDirectory: a.root });
  }

  const maintainerr = state(s, 'maintainerr');
  expect(maintainerr.settings).toMatchObject({
    plex_hostname: 'plex',
    plex_port: 32400,
    seerr_url: 'http://seerr:5055',
    seerr_api_key: keys.REQUESTS_API_KEY,
  });
  for (const a of ARR.slice(0, 2)) {
    expect(maintainerr[a.app]).toHaveLength(1);
    expect(maintainerr[a.app][0]).toMatchObject({ url: `http://${a.app}:${a.port}`, apiKey: keys[a.key] });
  }
}

/** Two Usenet servers and two indexers (Newznab stand-ins on loopback), as an answers file gives them. */
async function dayOne() {
  const [movies, tv] = await Promise.all([
    startNewznab({ apiKey: 'geek-key-0123456789', categories: [2000, 5000] }),
    startNewznab({ apiKey: 'tv-key-9876543210', categories: [5000] }),
  ]);
  const answers = [
    'usenetServers:',
    '  - { host: news.example.com, user: me, password: usenet-pass-one, connections: 20 }',
    '  - { host: fill.example.net, tls: false, password: usenet-pass-two, level: 1 }',
    'indexers:',
    '  - { name: Geek, preset: NZBgeek, url: "http://geek.example:8080", apiKey: geek-key-0123456789 }',
    '  - { name: TV Only, url: "http://tv.example", apiKey: tv-key-9876543210 }',
    '',
  ].join('\n');
  // Prowlarr reaches the indexers by host name, as it would on the internet.
  const hosts = { 'geek.example:8080': movies.url, 'tv.example:80': tv.url };
  return { answers, hosts, close: () => Promise.all([movies.close(), tv.close()]) };
}

/** NZBGet's servers, Prowlarr's indexers in Prowlarr and the apps, Plex's scan settings and the apps' Plex notifications. */
async function expectDownloads(s: Sim): Promise<void> {
  const options = (await s.nzbgetConfig()) as { Name: string; Value: string }[];
  const value = (name: string) => options.find((o) => o.Name === name)?.Value;
  expect([1, 2, 3].map((n) => value(`Server${n}.Host`))).toEqual(['news.example.com', 'fill.example.net', undefined]);
  expect([value('Server1.Port'), value('Server1.Encryption'), value('Server1.Connections'), value('Server1.Username')]).toEqual([
    '563',
    'yes',
    '20',
    'me',
  ]);
  expect([value('Server2.Port'), value('Server2.Encryption'), value('Server2.Level'), value('Server2.Connections')]).toEqual([
    '119',
    'no',
    '1',
    '8',
  ]);
  expect([value('Server1.Password'), value('Server2.Password')]).toEqual(['usenet-pass-one', 'usenet-pass-two']);

  const indexers: Definition[] = state(s, 'prowlarr').indexers;
  expect(indexers.map((i) => [i.name, i.top.enable, i.top.appProfileId])).toEqual([
    ['Geek', true, 1],
    ['TV Only', true, 1],
  ]);
  const synced = (app: string) => (state(s, app).indexers as Definition[]).map((i) => i.name).sort();
  expect([synced('radarr'), synced('sonarr'), synced('lidarr')]).toEqual([
    ['Geek (Prowlarr)'],
    ['Geek (Prowlarr)', 'TV Only (Prowlarr)'],
    [],
  ]);

  expect(state(s, 'plex').preferences).toMatchObject({ FSEventLibraryUpdatesEnabled: '1', FSEventLibraryPartialScanEnabled: '1' });
  for (const a of ARR) {
    const notifications: Definition[] = state(s, a.app).notifications;
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({
      implementation: 'PlexServer',
      settings: { host: 'plex', port: 32400, updateLibrary: true, authToken: s.plexToken },
    });
    expect(notifications[0]!.top).toMatchObject({
      [a.app === 'lidarr' ? 'onReleaseImport' : 'onDownload']: true,
      onUpgrade: true,
      onRename: true,
    });
  }
}

/** Every generated secret (control usernames are fixed identifiers, not secrets). */
function expectNoSecrets(s: Sim, outputs: string[]): void {
  const secrets = Object.entries(s.secrets()).filter(([name, v]) => !name.endsWith('_USER') && typeof v === 'string' && v.length >= 4);
  expect(secrets.length).toBeGreaterThanOrEqual(8);
  const all = outputs.join('\n');
  for (const [name, value] of secrets) {
    if (all.includes(value as string)) throw new Error(`the secret ${name} appears in the captured output`);
  }
}

/** Every non-GET request, `/test` endpoints included: plans (a second run, --dry-run, verify) send none. */
const nonGet = (s: Sim) =>
  s
    .nonGet()
    .map(
      (e: { service: string; method: string; path: string; rpc?: string }) =>
        `${e.service} ${e.method} ${e.path}${e.rpc ? ` (${e.rpc})` : ''}`,
    );

/** What `status --live` does past docker: every hookup planned with the read-only fingerprint snapshot. */
async function liveStates(s: Sim): Promise<[string, string][]> {
  const state = openState(s.home, { readonly: true });
  const [config, secrets, applied] = [latestConfig(state.db)!, getSecrets(state.db), appliedSecretsSnapshot(state.db)];
  state.close();
  const clients = createClients({ config, secrets, host: '127.0.0.1', plexTvUrl: s.plexTv.url });
  const live = await checkLive(allHookups(), { config, secrets, clients, applied, timeoutMs: 20_000, concurrency: 4 });
  return [...live].map(([id, r]) => [id, r.state]);
}

describeNeeding(nzbgetMissing())('coordinate against the fakes and a real NZBGet', () => {
  it('wires the stack from scratch, with two Usenet servers and two indexers; a second run changes nothing', async () => {
    const day = await dayOne();
    try {
      sim = await startSim({ answers: day.answers, hosts: day.hosts });
      await wiresAndStays(sim);
    } finally {
      await day.close();
    }
  }, 180_000);

  async function wiresAndStays(sim: Sim): Promise<void> {
    const first = await sim.coordinate();
    expect({ code: first.code, out: first.stdout.split('\n').filter((l: string) => /✖|went wrong/.test(l)) }).toEqual({ code: 0, out: [] });
    await expectWired(sim);
    await expectDownloads(sim);
    expect(nonGet(sim).length).toBeGreaterThan(20);

    sim.resetLogs();
    const second = await sim.coordinate(['--json']);
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout) as { ok: boolean; tasks: { id: string; kind: string; status: string; changes?: unknown[] }[] };
    expect(report.tasks.filter((t) => t.kind === 'hookup').every((t) => t.changes?.length === 0)).toBe(true);
    // Maintainerr masks its Plex token and Seerr key on read: still linked, nothing re-sent.
    const maintainerr = report.tasks.filter((t) => t.id.startsWith('maintainerr.')).map((t) => [t.id, t.status, t.changes?.length]);
    expect(maintainerr.sort()).toEqual(['plex', 'radarr', 'requests', 'sonarr'].map((h) => [`maintainerr.${h}`, 'done', 0]));
    expect(nonGet(sim)).toEqual([]);
    await expectWired(sim);
    await expectDownloads(sim);
    expectNoSecrets(sim, [sim.initOutput, first.stdout, first.stderr, second.stdout, second.stderr]);

    // status --live sees the recorded fingerprints: the masked secrets read as linked too, with GETs only.
    sim.resetLogs();
    const live = await liveStates(sim);
    expect(live.length).toBeGreaterThan(15);
    expect(live.filter(([, state]) => state !== 'linked')).toEqual([]);
    expect(nonGet(sim)).toEqual([]);
  }

  it('--dry-run on a fresh stack plans everything and changes nothing', async () => {
    sim = await startSim();
    sim.resetLogs(); // Plex's own claim at start-up is not plexarr's doing
    const dry = await sim.coordinate(['--dry-run']);
    expect({ code: dry.code, failed: dry.stdout.split('\n').filter((l: string) => /✖|went wrong/.test(l)) }).toEqual({
      code: 0,
      failed: [],
    });
    expect(dry.stdout).toContain('+ radarr.root-folder: create');
    expect(dry.stdout).toContain('+ prowlarr.app.sonarr: create');
    // GET only (NPM's login would be the one exception; NPM is not in this stack).
    expect(nonGet(sim)).toEqual([]);
    expect(state(sim, 'radarr').rootFolders).toEqual([]);
    const run = await sim.coordinate();
    expect(run.code).toBe(0);
    await expectWired(sim);
  }, 180_000);

  it('converges with --retry after 10 s start-ups, 20 % 500s and a SIGKILL mid-run, duplicating nothing', async () => {
    // The faults hit the fakes' calls to each other too (Prowlarr's application test reaches Sonarr's
    // indexer/test, which calls Prowlarr back), as failing containers would: Prowlarr then answers
    // plexarr 400 "Unable to complete application test, cannot connect to Sonarr", which plexarr retries.
    const services = ['plex', 'radarr', 'sonarr', 'lidarr', 'prowlarr', 'seerr', 'maintainerr'];
    const faults = Object.fromEntries(
      services.map((name, i) => [name, { startupMs: 10_000, startupMode: i % 2 === 0 ? 'refuse' : '503', errorRate: 0.2, seed: 11 + i }]),
    );
    sim = await startSim({ faults, nzbgetFaults: { startupMs: 10_000, errorRate: 0.2, seed: 5 } });
    const s = sim;
    const outputs: string[] = [s.initOutput];

    let child: ChildProcess | undefined;
    const killed = s.coordinate([], { onSpawn: (c: ChildProcess) => (child = c) });
    // Kill it once a few hookups are done and others are under way: the worst moment to die.
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const done = (taskRows(s.home) as { status: string; task_id: string }[]).filter(
        (r) => r.status === 'done' && !r.task_id.startsWith('wait.'),
      );
      if (done.length >= 4) break;
    }
    child!.kill('SIGKILL');
    const dead = await killed;
    outputs.push(dead.stdout, dead.stderr);
    expect(dead.signal).toBe('SIGKILL');
    const afterKill = taskRows(s.home) as { status: string }[];
    expect(afterKill.some((r) => r.status === 'pending' || r.status === 'running')).toBe(true);

    let last = { code: 1 as number | null, stdout: '', stderr: '' };
    for (let attempt = 0; attempt < 6 && last.code !== 0; attempt++) {
      last = await s.coordinate(['--retry']);
      outputs.push(last.stdout, last.stderr);
    }
    expect({ code: last.code, tail: last.code === 0 ? '' : last.stdout.slice(-2000) }).toEqual({ code: 0, tail: '' });
    // The faults really happened, and the runner really retried through them.
    expect(s.requests().filter((e: { status: number }) => e.status === 500).length).toBeGreaterThan(10);
    expect((taskRows(s.home) as { attempts: number }[]).some((r) => r.attempts > 1)).toBe(true);
    await expectWired(s);

    // And the converged stack is stable: a full run without faults changes nothing.
    for (const name of services) s.stack.services.get(name)!.setFaults({ errorRate: 0 });
    s.nzbget.faults.errorRate = 0;
    s.resetLogs();
    const again = await s.coordinate();
    outputs.push(again.stdout, again.stderr);
    expect(again.code).toBe(0);
    expect(nonGet(s)).toEqual([]);
    expectNoSecrets(s, outputs);
  }, 300_000);
});
