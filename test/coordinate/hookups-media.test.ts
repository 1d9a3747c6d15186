import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { allHookups, NO_PLEX_TOKEN } from '../../src/coordinate/hookups/index.js';
import { arrRootFolder } from '../../src/coordinate/hookups/arr-root-folder.js';
import { maintainerrPlex } from '../../src/coordinate/hookups/maintainerr-plex.js';
import { maintainerrRequests } from '../../src/coordinate/hookups/maintainerr-requests.js';
import { maintainerrServer } from '../../src/coordinate/hookups/maintainerr-servers.js';
import { plexLibraries } from '../../src/coordinate/hookups/plex-libraries.js';
import { requestsAdmin } from '../../src/coordinate/hookups/requests-admin.js';
import { requestsInitialize } from '../../src/coordinate/hookups/requests-initialize.js';
import { requestsLibraries } from '../../src/coordinate/hookups/requests-libraries.js';
import { requestsPlex } from '../../src/coordinate/hookups/requests-plex.js';
import { requestsServer } from '../../src/coordinate/hookups/requests-servers.js';
import { converge, kinds, mutations, startTestStack, type TestStack } from './hookups-stack.js';
import { plexarrCommand } from '../../src/ui/invocation.js';

const REQUESTS_CHAIN = () => [
  requestsAdmin(),
  requestsPlex(),
  requestsLibraries(),
  requestsServer('radarr'),
  requestsServer('sonarr'),
  requestsInitialize(),
];
const MAINTAINERR = () => [maintainerrPlex(), maintainerrServer('radarr'), maintainerrServer('sonarr'), maintainerrRequests()];

describe('Plex, request manager and Maintainerr hookups against the fakes', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(['plex', 'radarr', 'sonarr', 'requests', 'maintainerr']);
    for (const app of ['radarr', 'sonarr'] as const) await converge(arrRootFolder(app), stack.ctx());
  });
  afterAll(async () => {
    await stack?.close();
  });

  test('without a Plex token every Plex-dependent hookup is skipped with what to do', () => {
    const { PLEX_TOKEN: _, ...noToken } = stack.secrets;
    const reasons = Object.fromEntries(allHookups().map((h) => [h.id, h.skipReason(stack.config, noToken)]));
    for (const id of [
      'plex.libraries',
      'requests.admin',
      'requests.plex',
      'requests.libraries',
      'requests.radarr',
      'requests.sonarr',
      'requests.initialize',
      'maintainerr.plex',
      'maintainerr.requests',
    ]) {
      expect([id, reasons[id]]).toEqual([id, NO_PLEX_TOKEN]);
    }
    expect(NO_PLEX_TOKEN).toContain('plexarr coordinate --plex-token');
    expect(reasons['maintainerr.radarr']).toBeNull();
    expect(reasons['radarr.root-folder']).toBeNull();
    expect(reasons['lidarr.root-folder']).toMatch(/Lidarr is not enabled/);
  });

  test('plex.libraries: Movies, TV Shows and Music with the current agents', async () => {
    const { first, second } = await converge(plexLibraries(), stack.ctx());
    expect(kinds(first)).toEqual(['create', 'create', 'create']);
    expect(kinds(second)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    const sections = stack.fakes.plex!.state.sections.map((s: { title: string; type: string; agent: string; locations: string[] }) => [
      s.title,
      s.type,
      s.agent,
      s.locations,
    ]);
    expect(sections).toEqual([
      ['Movies', 'movie', 'tv.plex.agents.movie', ['/data/media/movies']],
      ['TV Shows', 'show', 'tv.plex.agents.series', ['/data/media/tv']],
      ['Music', 'artist', 'tv.plex.agents.music', ['/data/media/music']],
    ]);
  });

  test('a dry run before the admin exists plans creates and sends only GETs', async () => {
    const before = stack.fakes.requests!.log.length;
    for (const h of REQUESTS_CHAIN()) {
      const plan = await h.plan(stack.ctx({ dryRun: true }));
      expect([h.id, plan.every((c) => c.kind !== 'unchanged')]).toEqual([h.id, true]);
    }
    const sent = stack.fakes.requests!.log.slice(before);
    expect(sent.filter((e) => e.method !== 'GET')).toEqual([]);
    // The library call enables/disables as a side effect: a plan never makes it.
    expect(sent.filter((e) => e.path.endsWith('/settings/plex/library'))).toEqual([]);
  });

  test('request manager: admin, Plex, libraries, Radarr, Sonarr, initialize — each converges', async () => {
    for (const h of REQUESTS_CHAIN()) {
      const { second } = await converge(h, stack.ctx());
      expect([h.id, kinds(second)]).toEqual([h.id, second.map(() => 'unchanged')]);
    }
    const s = stack.fakes.requests!.state.settings;
    expect(s.public.initialized).toBe(true);
    expect(s.plex).toMatchObject({ ip: 'plex', port: 32400, useSsl: false });
    expect(
      s.plex.libraries
        .filter((l: { enabled: boolean }) => l.enabled)
        .map((l: { name: string }) => l.name)
        .sort(),
    ).toEqual(['Movies', 'TV Shows']);
    expect(s.radarr).toHaveLength(1);
    expect(s.radarr[0]).toMatchObject({
      hostname: 'radarr',
      port: 7878,
      apiKey: stack.secrets.RADARR_API_KEY,
      isDefault: true,
      is4k: false,
      activeDirectory: '/data/media/movies',
    });
    expect(typeof s.radarr[0].activeProfileId).toBe('number');
    expect(s.radarr[0].activeProfileName).toBe('Any');
    expect(s.sonarr).toHaveLength(1);
    expect(s.sonarr[0]).toMatchObject({
      hostname: 'sonarr',
      port: 8989,
      isDefault: true,
      activeDirectory: '/data/media/tv',
      enableSeasonFolders: true,
    });
  });

  test('Maintainerr: Plex, Radarr, Sonarr and the request manager — each converges', async () => {
    for (const h of MAINTAINERR()) {
      const { second } = await converge(h, stack.ctx());
      expect([h.id, kinds(second)]).toEqual([h.id, ['unchanged']]);
    }
    const m = stack.fakes.maintainerr!.state;
    expect(m.settings).toMatchObject({
      media_server_type: 'plex',
      plex_hostname: 'plex',
      plex_port: 32400,
      plex_ssl: 0,
      plex_auth_token: stack.secrets.PLEX_TOKEN,
    });
    expect(m.settings).toMatchObject({ seerr_url: 'http://seerr:5055', seerr_api_key: stack.secrets.REQUESTS_API_KEY });
    expect(m.radarr).toEqual([expect.objectContaining({ url: 'http://radarr:7878', apiKey: stack.secrets.RADARR_API_KEY })]);
    expect(m.sonarr).toHaveLength(1);
  });

  test('a second run plans only unchanged and sends no mutating request', async () => {
    const marks = (['plex', 'requests', 'maintainerr'] as const).map((id) => stack.fakes[id]!.log.length);
    for (const h of [plexLibraries(), ...REQUESTS_CHAIN(), ...MAINTAINERR()]) {
      const plan = await h.plan(stack.ctx());
      expect([h.id, kinds(plan)]).toEqual([h.id, plan.map(() => 'unchanged')]);
    }
    (['plex', 'requests', 'maintainerr'] as const).forEach((id, i) => {
      const fake = stack.fakes[id]!;
      expect([id, mutations({ ...fake, log: fake.log.slice(marks[i]) })]).toEqual([id, []]);
    });
  });

  test('drift in apps without de-duplication: a rotated Radarr key updates the one entry', async () => {
    const seerr = stack.fakes.requests!.state.settings;
    const maintainerr = stack.fakes.maintainerr!.state;
    seerr.radarr[0].apiKey = 'rotated-elsewhere';
    maintainerr.radarr[0].apiKey = 'rotated-elsewhere';
    for (const h of [requestsServer('radarr'), maintainerrServer('radarr')]) {
      const { first, second } = await converge(h, stack.ctx());
      expect(first).toEqual([expect.objectContaining({ kind: 'update', fields: ['apiKey'] })]);
      expect(kinds(second)).toEqual(['unchanged']);
    }
    expect(seerr.radarr).toHaveLength(1);
    expect(seerr.radarr[0].apiKey).toBe(stack.secrets.RADARR_API_KEY);
    expect(maintainerr.radarr).toHaveLength(1);
    expect(maintainerr.radarr[0].apiKey).toBe(stack.secrets.RADARR_API_KEY);
  });

  test('requests.libraries keeps libraries the user enabled and re-enables ours', async () => {
    const plex = stack.fakes.requests!.state.settings.plex;
    for (const l of plex.libraries) l.enabled = l.name === 'TV Shows';
    const { first, second } = await converge(requestsLibraries(), stack.ctx());
    expect(first[0]).toMatchObject({ kind: 'update', fields: ['Movies'] });
    expect(kinds(second)).toEqual(['unchanged']);
  });
});

describe('the same request-manager hookups with Overseerr', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(['plex', 'radarr', 'sonarr', 'requests', 'maintainerr'], { requestManager: 'overseerr' });
    for (const app of ['radarr', 'sonarr'] as const) await converge(arrRootFolder(app), stack.ctx());
    await converge(plexLibraries(), stack.ctx());
  });
  afterAll(async () => {
    await stack?.close();
  });

  test('a Plex token plex.tv does not know: the failure says so and what to do', async () => {
    const bad = stack.ctx({ secrets: { ...stack.secrets, PLEX_TOKEN: 'not-a-plex-token' } });
    await expect(requestsAdmin().apply(bad, [{ kind: 'create', target: 'admin' }])).rejects.toThrow(
      `plex.tv does not accept the Plex account token — run \`${plexarrCommand('coordinate --plex-token <token>')}\` (stored for next time)`,
    );
    await expect(plexLibraries().plan(bad)).rejects.toThrow(/^Plex refused the Plex account token/);
    expect(stack.fakes.requests!.state.users).toEqual([]);
  });

  test("admin, Plex, libraries, Radarr, Sonarr, initialize and Maintainerr's link converge", async () => {
    for (const h of [...REQUESTS_CHAIN(), maintainerrRequests()]) {
      const { second } = await converge(h, stack.ctx());
      expect([h.id, kinds(second)]).toEqual([h.id, second.map(() => 'unchanged')]);
    }
    const s = stack.fakes.requests!.state;
    expect(s.variant).toBe('overseerr');
    expect(s.settings.public.initialized).toBe(true);
    expect(s.settings.radarr).toHaveLength(1);
    expect(s.settings.sonarr).toHaveLength(1);
    expect(stack.fakes.maintainerr!.state.settings.seerr_url).toBe('http://overseerr:5055');
  });
});
