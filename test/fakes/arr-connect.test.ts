// Radarr/Sonarr/Lidarr fakes: indexers (what Prowlarr's sync writes) and the Plex Media Server
// Connect notification with its create-time test against the Plex fake.
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLidarr, startRadarr, startSonarr } from './arr.js';
import { startNewznab } from './newznab.js';
import { PREFERENCES_RELATIVE, startPlex } from './plex.js';
import { api, failureList, resolver } from './servarr/testing.js';
import { cleanupAfterEach, trackAfterEach } from './cleanup.js';

const track = trackAfterEach();
const { dirs } = cleanupAfterEach();
const TOKEN = 'plex-server-token-0123';

type Field = { name: string; value: unknown };
const values = (resource: { fields: Field[] }) => Object.fromEntries(resource.fields.map((f) => [f.name, f.value]));
const body = (implementation: string, name: string, fields: Record<string, unknown>, top: Record<string, unknown>) => ({
  name,
  implementation,
  configContract: `${implementation}Settings`,
  tags: [],
  ...top,
  fields: Object.entries(fields).map(([n, value]) => ({ name: n, value })),
});

describe('*arr indexers', () => {
  it('schema offers Newznab and Torznab with the settings defaults', async () => {
    const radarr = await track(startRadarr());
    const schema = (await api(radarr, 'GET', '/api/v3/indexer/schema')).body;
    expect(schema.map((t: { implementation: string }) => t.implementation)).toEqual(['Newznab', 'Torznab']);
    expect(values(schema[0])).toMatchObject({ apiPath: '/api', categories: [2000, 2010, 2020, 2030, 2040, 2045, 2050, 2060] });
    expect(schema[0]).toMatchObject({ protocol: 'usenet', priority: 25, enableRss: true });
    expect(values(schema[1])).toMatchObject({ minimumSeeders: 1 });
  });

  it('refuses priority 0 and empty categories, tests the feed on save and keeps the key masked', async () => {
    const radarr = await track(startRadarr());
    const nz = await track(startNewznab({ apiKey: 'k' }));
    const fields = { baseUrl: nz.url, apiKey: 'k' };
    const naive = await api(radarr, 'POST', '/api/v3/indexer', body('Newznab', 'naive', fields, { enableRss: true }));
    expect(failureList(naive.body)).toEqual(["Priority: 'Priority' must be between 1 and 50. You entered 0."]);
    const top = { enableRss: true, enableAutomaticSearch: true, enableInteractiveSearch: true, priority: 25 };
    const noCats = await api(radarr, 'POST', '/api/v3/indexer', body('Newznab', 'no cats', { ...fields, categories: [] }, top));
    expect(failureList(noCats.body)).toEqual([": 'Categories' must be provided"]);
    const wrongKey = await api(radarr, 'POST', '/api/v3/indexer', body('Newznab', 'wrong', { ...fields, apiKey: 'nope' }, top));
    expect([wrongKey.status, failureList(wrongKey.body)]).toEqual([400, ['ApiKey: Invalid API Key']]);
    expect(JSON.stringify(wrongKey.body)).not.toContain('nope');
    const ok = await api(radarr, 'POST', '/api/v3/indexer', body('Newznab', 'works', fields, top));
    expect(ok.status).toBe(201);
    expect(values(ok.body)).toMatchObject({ baseUrl: nz.url, apiKey: '********' });
    expect((await api(radarr, 'GET', '/api/v3/indexer')).body.map((i: { name: string }) => i.name)).toEqual(['works']);
  });

  it('Sonarr takes anime categories instead of categories; Lidarr lives on /api/v1', async () => {
    const [sonarr, lidarr] = await Promise.all([track(startSonarr()), track(startLidarr())]);
    const nz = await track(startNewznab({ apiKey: 'k' }));
    const top = { enableRss: true, priority: 10 };
    const anime = await api(
      sonarr,
      'POST',
      '/api/v3/indexer',
      body('Newznab', 'anime', { baseUrl: nz.url, apiKey: 'k', categories: [], animeCategories: [5070] }, top),
    );
    expect(anime.status).toBe(201);
    const neither = await api(
      sonarr,
      'POST',
      '/api/v3/indexer',
      body('Newznab', 'neither', { baseUrl: nz.url, apiKey: 'k', categories: [] }, top),
    );
    expect(failureList(neither.body)).toEqual([": Either 'Categories' or 'Anime Categories' must be provided"]);
    expect((await api(lidarr, 'POST', '/api/v1/indexer', body('Newznab', 'music', { baseUrl: nz.url, apiKey: 'k' }, top))).status).toBe(
      201,
    );
  });
});

async function plexWithSections(kinds: ('movie' | 'show')[]) {
  const root = mkdtempSync(join(tmpdir(), 'plexarr-connect-'));
  dirs.push(root);
  const configDir = join(root, 'config');
  mkdirSync(join(configDir, PREFERENCES_RELATIVE, '..'), { recursive: true });
  writeFileSync(
    join(configDir, PREFERENCES_RELATIVE),
    `<Preferences MachineIdentifier="m" ProcessedMachineIdentifier="p" PlexOnlineToken="${TOKEN}"/>`,
  );
  for (const dir of ['movies', 'tv']) mkdirSync(join(root, 'data', dir), { recursive: true });
  const plex = await track(
    startPlex({ configDir, plexTvUrl: 'http://127.0.0.1:1', pathMap: (p: string) => (p.startsWith('/data/') ? join(root, p) : undefined) }),
  );
  const agents: Record<string, [string, string, string]> = {
    movie: ['tv.plex.agents.movie', 'Plex Movie', '/data/movies'],
    show: ['tv.plex.agents.series', 'Plex TV Series', '/data/tv'],
  };
  for (const kind of kinds) {
    const [agent, scanner, location] = agents[kind] as [string, string, string];
    const q = new URLSearchParams({ name: kind, type: kind, agent, scanner, language: 'en-US', location });
    expect((await fetch(`${plex.url}/library/sections?${q}`, { method: 'POST', headers: { 'X-Plex-Token': TOKEN } })).status).toBe(200);
  }
  return plex;
}

/** The notification a careful client sends: host `plex`, the token, update library on import/upgrade/rename. */
const plexNotification = (token: string, flags: Record<string, boolean> = { onDownload: true, onUpgrade: true, onRename: true }) =>
  body('PlexServer', 'Plex', { host: 'plex', port: 32400, useSsl: false, authToken: token, updateLibrary: true }, flags);

describe('*arr Plex Media Server notification', () => {
  it("schema: PlexServer with its defaults; Lidarr's import flag is onReleaseImport", async () => {
    const [radarr, lidarr] = await Promise.all([track(startRadarr()), track(startLidarr())]);
    const [template] = (await api(radarr, 'GET', '/api/v3/notification/schema')).body;
    expect(template).toMatchObject({
      implementation: 'PlexServer',
      implementationName: 'Plex Media Server',
      configContract: 'PlexServerSettings',
      onDownload: false,
      supportsOnDownload: true,
      supportsOnGrab: false,
    });
    expect(values(template)).toMatchObject({
      host: '',
      port: 32400,
      useSsl: false,
      updateLibrary: true,
      authToken: null,
      mapFrom: null,
      mapTo: null,
    });
    const [lidarrTemplate] = (await api(lidarr, 'GET', '/api/v1/notification/schema')).body;
    expect(lidarrTemplate).toHaveProperty('onReleaseImport', false);
    expect(lidarrTemplate).not.toHaveProperty('onDownload');
  });

  it("create tests Plex: no library of the app's kind, a wrong token or no server fail with the app's message, even with forceSave", async () => {
    const { routes, resolve } = resolver();
    const [radarr, sonarr] = await Promise.all([track(startRadarr({ resolve })), track(startSonarr({ resolve }))]);
    const down = await api(radarr, 'POST', '/api/v3/notification', plexNotification(TOKEN));
    expect(failureList(down.body)).toEqual(['Host: Unable to connect to Plex Media Server']);
    const plex = await plexWithSections([]);
    routes.set('plex:32400', plex.url);
    const empty = await api(radarr, 'POST', '/api/v3/notification?forceSave=true', plexNotification(TOKEN));
    expect([empty.status, failureList(empty.body)]).toEqual([400, ['Host: At least one Movie library is required']]);
    const wrong = await api(radarr, 'POST', '/api/v3/notification', plexNotification('not-the-token'));
    expect(failureList(wrong.body)).toEqual(['AuthToken: Authentication Token is invalid']);
    const moviesOnly = await plexWithSections(['movie']);
    routes.set('plex:32400', moviesOnly.url);
    const tv = await api(sonarr, 'POST', '/api/v3/notification', plexNotification(TOKEN));
    expect(failureList(tv.body)).toEqual(['Host: At least one TV library is required']);
    const ok = await api(radarr, 'POST', '/api/v3/notification', plexNotification(TOKEN));
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ onDownload: true, onUpgrade: true, onRename: true, onGrab: false });
    expect(values(ok.body)).toMatchObject({ host: 'plex', port: 32400, authToken: '********', updateLibrary: true });
    expect(radarr.state.notifications[0].settings.authToken).toBe(TOKEN);
    // the app asks with the token as a query parameter, as PlexServerProxy does
    const asked = moviesOnly.log.filter((e) => e.method === 'GET' && e.path === '/library/sections');
    expect(asked.map((e) => [e.query['X-Plex-Product'], e.query['X-Plex-Token'], e.status])).toEqual([
      ['Sonarr', TOKEN, 200],
      ['Radarr', TOKEN, 200],
    ]);
  });

  it('Lidarr imports with onReleaseImport, needs a music library and words its token error its own way', async () => {
    const { routes, resolve } = resolver();
    const lidarr = await track(startLidarr({ resolve }));
    routes.set('plex:32400', (await plexWithSections(['movie'])).url);
    const flags = { onReleaseImport: true, onUpgrade: true, onRename: true };
    const noMusic = await api(lidarr, 'POST', '/api/v1/notification', plexNotification(TOKEN, flags));
    expect(failureList(noMusic.body)).toEqual(['Host: At least one Music library is required']);
    const wrong = await api(lidarr, 'POST', '/api/v1/notification', plexNotification('nope', flags));
    expect(failureList(wrong.body)).toEqual(['AuthToken: Invalid authentication token']);
  });

  it('a notification with no event (or only "on upgrade") is saved disabled and untested; bad bodies are refused', async () => {
    const radarr = await track(startRadarr());
    const untested = await api(radarr, 'POST', '/api/v3/notification', plexNotification(TOKEN, {}));
    expect([untested.status, untested.body.onDownload]).toEqual([201, false]);
    const upgradeOnly = await api(radarr, 'POST', '/api/v3/notification', {
      ...plexNotification(TOKEN, { onUpgrade: true }),
      name: 'upgrade only',
    });
    expect(upgradeOnly.status).toBe(201);
    const typed = await api(radarr, 'POST', '/api/v3/notification', { ...plexNotification(TOKEN), name: 'typed', onDownload: 'yes' });
    expect(typed.status).toBe(400);
    const badHost = await api(
      radarr,
      'POST',
      '/api/v3/notification',
      body('PlexServer', 'url as host', { host: 'http://plex', authToken: TOKEN }, { onDownload: true }),
    );
    expect(failureList(badHost.body)).toEqual(["Host: 'Host' must be valid Host without http://"]);
    const mapHalf = await api(
      radarr,
      'POST',
      '/api/v3/notification',
      body('PlexServer', 'half map', { host: 'plex', mapFrom: '/data' }, { onDownload: true }),
    );
    expect(failureList(mapHalf.body)).toEqual(["MapTo: 'Map To' must not be empty."]);
  });
});
