// Prowlarr fake: indexer schema/presets, the create-time test against a loopback Newznab server,
// app profiles, and ApplicationIndexerSync into the Radarr/Sonarr/Lidarr fakes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startLidarr, startRadarr, startSonarr, type ArrHandle } from './arr.js';
import { startProwlarr } from './prowlarr.js';
import { startNewznab } from './newznab.js';
import { api, failureList, resolver } from './servarr/testing.js';
import { trackAfterEach } from './cleanup.js';

const track = trackAfterEach();
const { routes, resolve } = resolver();
let prowlarr: ArrHandle;
let radarr: ArrHandle;
let sonarr: ArrHandle;
let lidarr: ArrHandle;

beforeAll(async () => {
  [prowlarr, radarr, sonarr, lidarr] = await Promise.all([
    startProwlarr({ resolve }),
    startRadarr({ resolve }),
    startSonarr({ resolve }),
    startLidarr({ resolve }),
  ]);
  routes.set('prowlarr:9696', prowlarr.url);
  routes.set('radarr:7878', radarr.url);
  routes.set('sonarr:8989', sonarr.url);
  routes.set('lidarr:8686', lidarr.url);
});
afterAll(async () => {
  await Promise.all([prowlarr, radarr, sonarr, lidarr].filter(Boolean).map((f) => f.close()));
});

type Field = { name: string; value: unknown };
const values = (resource: { fields: Field[] }) => Object.fromEntries(resource.fields.map((f) => [f.name, f.value]));

/** What a careful client sends: a preset from /schema with the URL and key filled in. */
function newznab(
  name: string,
  baseUrl: string,
  apiKey: string,
  top: Record<string, unknown> = { enable: true, redirect: true, priority: 25, appProfileId: 1 },
) {
  return {
    name,
    implementation: 'Newznab',
    configContract: 'NewznabSettings',
    protocol: 'usenet',
    tags: [],
    ...top,
    fields: [
      { name: 'baseUrl', value: baseUrl },
      { name: 'apiPath', value: '/api' },
      { name: 'apiKey', value: apiKey },
    ],
  };
}

async function runCommand(body: Record<string, unknown>) {
  const started = await api(prowlarr, 'POST', '/api/v1/command', body);
  expect([started.status, started.body.status]).toEqual([201, 'queued']);
  for (let i = 0; i < 200; i += 1) {
    const now = await api(prowlarr, 'GET', `/api/v1/command/${started.body.id}`);
    if (now.body.status === 'completed') return now.body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('command did not complete');
}

describe('Prowlarr indexer schema and app profiles', () => {
  it('lists each Newznab preset as its own template, with the preset URL and the Newznab settings fields', async () => {
    const schema = (await api(prowlarr, 'GET', '/api/v1/indexer/schema')).body;
    const byName = Object.fromEntries(schema.map((t: { name: string }) => [t.name, t]));
    expect(Object.keys(byName)).toEqual(expect.arrayContaining(['NZBgeek', 'NZBFinder', 'DrunkenSlug', 'Generic Newznab']));
    const geek = byName.NZBgeek;
    expect(geek).toMatchObject({
      implementation: 'Newznab',
      implementationName: 'Newznab',
      configContract: 'NewznabSettings',
      protocol: 'usenet',
      enable: true,
      redirect: true,
      priority: 25,
    });
    expect(geek.fields.map((f: Field) => f.name)).toEqual([
      'baseUrl',
      'apiPath',
      'apiKey',
      'additionalParameters',
      'vipExpiration',
      'baseSettings.queryLimit',
      'baseSettings.grabLimit',
      'baseSettings.limitsUnit',
    ]);
    expect(values(geek)).toMatchObject({ baseUrl: 'https://api.nzbgeek.info', apiPath: '/api', apiKey: null });
    expect(geek.capabilities.categories.map((c: { id: number }) => c.id)).toContain(2000);
    expect(values(byName['Generic Newznab']).baseUrl).toBe('');
  });

  it('has the "Standard" app profile a fresh install creates', async () => {
    const res = await api(prowlarr, 'GET', '/api/v1/appprofile');
    expect(res.body).toEqual([
      { id: 1, name: 'Standard', enableRss: true, enableAutomaticSearch: true, enableInteractiveSearch: true, minimumSeeders: 1 },
    ]);
  });
});

describe('Prowlarr indexer create', () => {
  it('refuses a body without priority, app profile and redirect, the way IndexerController does', async () => {
    const nz = await track(startNewznab({ apiKey: 'good' }));
    const naive = await api(prowlarr, 'POST', '/api/v1/indexer', newznab('naive', nz.url, 'good', { enable: true }));
    expect([naive.status, failureList(naive.body)]).toEqual([
      400,
      [
        "AppProfileId: 'App Profile Id' must be greater than '0'.",
        "Priority: 'Priority' must be between 1 and 50. You entered 0.",
        'Redirect: Redirect must be enabled for Usenet indexers',
      ],
    ]);
    const ghostProfile = await api(
      prowlarr,
      'POST',
      '/api/v1/indexer',
      newznab('ghost', nz.url, 'good', { enable: true, redirect: true, priority: 25, appProfileId: 9 }),
    );
    expect(failureList(ghostProfile.body)).toEqual(['AppProfileId: App Profile does not exist']);
    expect(nz.log).toHaveLength(0);
  });

  it("tests the indexer (caps, then a search) and fails with Prowlarr's message when the key is refused, the server is down or it has no results", async () => {
    const nz = await track(startNewznab({ apiKey: 'good' }));
    const wrongKey = await api(prowlarr, 'POST', '/api/v1/indexer', newznab('Wrong key', nz.url, 'bad'));
    expect(failureList(wrongKey.body)).toEqual([
      ': Indexer returned result for RSS URL, Credentials appears to be invalid. Response: Incorrect user credentials',
    ]);
    const down = await api(prowlarr, 'POST', '/api/v1/indexer?forceSave=true', newznab('Down', 'http://127.0.0.1:1', 'good'));
    expect(down.status).toBe(400);
    expect(failureList(down.body)[0]).toMatch(
      /^: Unable to connect to indexer\. This is typically caused by DNS\/SSL issues\. .*ECONNREFUSED$/,
    );
    const empty = await track(startNewznab({ apiKey: 'good', results: 0 }));
    const none = await api(prowlarr, 'POST', '/api/v1/indexer', newznab('Empty', empty.url, 'good'));
    expect(failureList(none.body)[0]).toMatch(/^: Query successful, but no results were returned from your indexer/);
    expect(nz.log.map((e) => e.query.t)).toEqual(['caps']);
    expect(prowlarr.state.indexers).toHaveLength(0);
  });

  it('takes back a template from /schema with the URL, key and app profile filled in (how a client builds the body)', async () => {
    const nz = await track(startNewznab({ apiKey: 'good' }));
    const schema = (await api(prowlarr, 'GET', '/api/v1/indexer/schema')).body;
    const template = schema.find((t: { name: string }) => t.name === 'Generic Newznab');
    const filled = {
      ...template,
      name: 'From template',
      appProfileId: 1,
      fields: template.fields.map((f: Field) =>
        f.name === 'baseUrl' ? { ...f, value: nz.url } : f.name === 'apiKey' ? { ...f, value: 'good' } : f,
      ),
    };
    const created = await api(prowlarr, 'POST', '/api/v1/indexer', filled);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'From template', enable: true, redirect: true, priority: 25, appProfileId: 1 });
    const asIs = await api(prowlarr, 'POST', '/api/v1/indexer', { ...template, name: 'As is' });
    expect(failureList(asIs.body)).toEqual(["AppProfileId: 'App Profile Id' must be greater than '0'."]);
    await api(prowlarr, 'DELETE', `/api/v1/indexer/${created.body.id}`);
  });

  it('saves a working indexer with its key masked, and a disabled one without testing it', async () => {
    const nz = await track(startNewznab({ apiKey: 'good', categories: [2000] }));
    const ok = await api(prowlarr, 'POST', '/api/v1/indexer', newznab('Works', nz.url, 'good'));
    expect(ok.status).toBe(201);
    expect(values(ok.body)).toMatchObject({ baseUrl: nz.url, apiKey: '********' });
    expect(ok.body.capabilities.categories).toEqual([
      expect.objectContaining({ id: 2000, subCategories: [expect.objectContaining({ id: 2030 }), expect.objectContaining({ id: 2040 })] }),
    ]);
    expect(nz.log.map((e) => [e.query.t, e.query.apikey])).toEqual([
      ['caps', 'good'],
      ['search', 'good'],
    ]);
    const off = await api(
      prowlarr,
      'POST',
      '/api/v1/indexer',
      newznab('Off', 'http://127.0.0.1:1', 'x', { enable: false, redirect: false, priority: 25, appProfileId: 1 }),
    );
    expect(off.status).toBe(201);
    const listed = (await api(prowlarr, 'GET', '/api/v1/indexer')).body.map((i: { name: string }) => i.name);
    expect(listed).toEqual(['Off', 'Works']);
    for (const created of [ok, off]) await api(prowlarr, 'DELETE', `/api/v1/indexer/${created.body.id}`);
  });
});

describe('Prowlarr ApplicationIndexerSync', () => {
  const application = (impl: 'Radarr' | 'Sonarr' | 'Lidarr', port: number, apiKey: string) => ({
    name: impl,
    implementation: impl,
    configContract: `${impl}Settings`,
    syncLevel: 'fullSync',
    tags: [],
    fields: [
      { name: 'prowlarrUrl', value: 'http://prowlarr:9696' },
      { name: 'baseUrl', value: `http://${impl.toLowerCase()}:${port}` },
      { name: 'apiKey', value: apiKey },
    ],
  });
  const synced = async (app: ArrHandle) =>
    (await api(app, 'GET', `${app.apiRoot}/indexer`)).body.filter((i: { name: string }) => i.name.endsWith('(Prowlarr)'));
  const mutations = (app: ArrHandle) => app.log.filter((e) => e.method !== 'GET' && /\/indexer(\/\d+)?$/.test(e.path)).length;
  // the indexers' own servers stay up for the whole block: Prowlarr re-tests an indexer on every PUT
  let video: Awaited<ReturnType<typeof startNewznab>>;
  let music: Awaited<ReturnType<typeof startNewznab>>;
  beforeAll(async () => {
    [video, music] = await Promise.all([
      startNewznab({ apiKey: 'k1', categories: [2000, 5000] }),
      startNewznab({ apiKey: 'k2', categories: [3000] }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([video, music].filter(Boolean).map((f) => f.close()));
  });

  it('pushes each enabled indexer into the apps as "<name> (Prowlarr)" with the categories each app syncs; a second run changes nothing', async () => {
    for (const [impl, app, port] of [
      ['Radarr', radarr, 7878],
      ['Sonarr', sonarr, 8989],
      ['Lidarr', lidarr, 8686],
    ] as const) {
      expect((await api(prowlarr, 'POST', '/api/v1/applications', application(impl, port, app.apiKey))).status).toBe(201);
    }
    const geek = await api(prowlarr, 'POST', '/api/v1/indexer', newznab('NZBgeek', video.url, 'k1'));
    const tunes = await api(prowlarr, 'POST', '/api/v1/indexer', newznab('Tunes', music.url, 'k2'));
    expect([geek.status, tunes.status]).toEqual([201, 201]);
    await runCommand({ name: 'ApplicationIndexerSync', forceSync: false });

    const [inRadarr] = await synced(radarr);
    expect((await synced(radarr)).map((i: { name: string }) => i.name)).toEqual(['NZBgeek (Prowlarr)']);
    expect(inRadarr).toMatchObject({
      implementation: 'Newznab',
      configContract: 'NewznabSettings',
      enableRss: true,
      enableAutomaticSearch: true,
      enableInteractiveSearch: true,
      priority: 25,
    });
    expect(values(inRadarr)).toMatchObject({
      baseUrl: `http://prowlarr:9696/${geek.body.id}/`,
      apiPath: '/api',
      apiKey: '********',
      categories: [2000, 2030, 2040],
    });
    expect(radarr.state.indexers[0].settings.apiKey).toBe(prowlarr.apiKey);
    expect(values((await synced(sonarr))[0]).categories).toEqual([5000, 5030, 5040]);
    expect((await synced(lidarr)).map((i: Field & { fields: Field[] }) => [i.name, values(i).baseUrl, values(i).categories])).toEqual([
      ['Tunes (Prowlarr)', `http://prowlarr:9696/${tunes.body.id}/`, [3000, 3030, 3040]],
    ]);
    // the apps tested the synced indexer against Prowlarr's own Newznab endpoint for it
    expect(prowlarr.log.some((e) => e.path === `/${geek.body.id}/api` && e.query.t === 'caps')).toBe(true);

    const before = [radarr, sonarr, lidarr].map(mutations);
    expect(before).toEqual([1, 1, 1]);
    await runCommand({ name: 'applicationindexersync' });
    expect([radarr, sonarr, lidarr].map(mutations)).toEqual(before);
    expect(prowlarr.state.syncLog.filter((l: string) => / (POST|PUT|DELETE) /.test(l) && !/→ 20\d$/.test(l))).toEqual([]);
  });

  it('a changed indexer is updated in the apps (full sync); an application added later gets every enabled indexer', async () => {
    const tunes = (await api(prowlarr, 'GET', '/api/v1/indexer')).body.find((i: { name: string }) => i.name === 'Tunes');
    const changed = await api(prowlarr, 'PUT', `/api/v1/indexer/${tunes.id}`, { ...tunes, priority: 10 });
    expect(changed.status).toBe(202);
    expect((await synced(lidarr)).map((i: { priority: number }) => i.priority)).toEqual([10]);
    expect(
      lidarr.log.filter((e) => e.method === 'PUT' && e.path === `/api/v1/indexer/${lidarr.state.indexers[0].id}`).map((e) => e.status),
    ).toEqual([202]);

    const late = await track(startRadarr({ resolve }));
    routes.set('late:7878', late.url);
    const added = await api(prowlarr, 'POST', '/api/v1/applications', {
      ...application('Radarr', 7878, late.apiKey),
      name: 'Late',
      fields: [
        { name: 'prowlarrUrl', value: 'http://prowlarr:9696' },
        { name: 'baseUrl', value: 'http://late:7878' },
        { name: 'apiKey', value: late.apiKey },
      ],
    });
    expect(added.status).toBe(201);
    expect((await synced(late)).map((i: { name: string }) => i.name)).toEqual(['NZBgeek (Prowlarr)']);
    expect((await api(prowlarr, 'DELETE', `/api/v1/applications/${added.body.id}`)).status).toBe(200);
  });

  it('removes what Prowlarr no longer has, and refuses an unknown command with a 500', async () => {
    const gone = (await api(prowlarr, 'GET', '/api/v1/indexer')).body.find((i: { name: string }) => i.name === 'NZBgeek');
    expect((await api(prowlarr, 'DELETE', `/api/v1/indexer/${gone.id}`)).status).toBe(200);
    await runCommand({ name: 'ApplicationIndexerSync' });
    expect(await synced(radarr)).toEqual([]);
    expect((await synced(lidarr)).map((i: { name: string }) => i.name)).toEqual(['Tunes (Prowlarr)']);
    const unknown = await api(prowlarr, 'POST', '/api/v1/command', { name: 'NoSuchThing' });
    expect(unknown.status).toBe(500);
  });
});
