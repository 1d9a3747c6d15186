import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlex } from './plex.js';
import { startPlexTv } from './plextv.js';
import { startOverseerr, startSeerr } from './seerr.js';
import { cleanupAfterEach } from './cleanup.js';
import { seerrRadarrEntry } from './seerr-entries.js';

const { closers, dirs } = cleanupAfterEach();

const OWNER = 'owner-token-123456789';
const KEY = '0123456789abcdef0123456789abcdef';

function tempDir() {
  const d = mkdtempSync(join(tmpdir(), 'plexarr-seerr-'));
  dirs.push(d);
  return d;
}

/** plex.tv + a claimed Plex with two video libraries and a music one, reachable as http://plex:32400. */
async function plexStack() {
  const tv = await startPlexTv({
    accounts: [
      { username: 'owner', email: 'Owner@Example.test', token: OWNER },
      { username: 'other', token: 'other-token-12345678' },
    ],
  });
  closers.push(() => tv.close());
  const claim = (
    (await (await fetch(`${tv.url}/api/claim/token.json`, { headers: { 'X-Plex-Token': OWNER } })).json()) as { token: string }
  ).token;
  const media = tempDir();
  for (const d of ['movies', 'tv', 'music', 'photos']) mkdirSync(join(media, d));
  const plex = await startPlex({
    env: { PLEX_CLAIM: claim },
    configDir: join(media, 'plex-config'),
    plexTvUrl: tv.url,
    pathMap: (p: string) => join(media, p.replace(/^\/data\//, '')),
  });
  closers.push(() => plex.close());
  const add = (q: Record<string, string>) =>
    fetch(`${plex.url}/library/sections?${new URLSearchParams({ language: 'en-US', ...q })}`, {
      method: 'POST',
      headers: { 'X-Plex-Token': OWNER },
    });
  await add({ name: 'Movies', type: 'movie', agent: 'tv.plex.agents.movie', scanner: 'Plex Movie', location: '/data/movies' });
  await add({ name: 'TV Shows', type: 'show', agent: 'tv.plex.agents.series', scanner: 'Plex TV Series', location: '/data/tv' });
  await add({ name: 'Music', type: 'artist', agent: 'tv.plex.agents.music', scanner: 'Plex Music', location: '/data/music' });
  await add({ name: 'Photos', type: 'photo', agent: 'com.plexapp.agents.none', scanner: 'Plex Photo Scanner', location: '/data/photos' });
  // Like the compose network: only `plex:32400` exists; anything else is refused (no DNS lookup).
  const resolve = (url: string) =>
    url.startsWith('http://plex:32400') ? url.replace('http://plex:32400', plex.url) : `http://127.0.0.1:9${new URL(url).pathname}`;
  return { tv, plex, resolve };
}

// Response bodies are whatever the fake sends; the assertions check their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: any }>;
function api(base: string, key?: string): Api {
  return async (method, path, body, headers = {}) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { ...(key ? { 'X-Api-Key': key } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

const radarr = seerrRadarrEntry('radarr-key');

describe('Seerr / Overseerr fake', () => {
  it('answers 403 on /settings until /auth/plex created user 1, even with the right key (trap 9)', async () => {
    const { tv, resolve } = await plexStack();
    const seerr = await startSeerr({ env: { API_KEY: KEY }, configDir: tempDir(), plexTvUrl: tv.url, resolve });
    closers.push(() => seerr.close());
    const call = api(seerr.url, KEY);
    expect((await call('GET', '/status')).status).toBe(200);
    // The OpenAPI validator has no HEAD route; the image's busybox `wget --spider` sends GET.
    expect((await fetch(`${seerr.url}/api/v1/status`, { method: 'HEAD' })).status).toBe(405);
    expect((await call('GET', '/settings/public')).body).toMatchObject({ initialized: false, mediaServerType: 4 });
    const before = await call('GET', '/settings/main');
    expect(before).toEqual({ status: 403, body: { status: 403, error: 'You do not have permission to access this endpoint' } });

    expect((await call('POST', '/auth/plex', {})).status).toBe(400);
    expect((await call('POST', '/auth/plex', { authToken: '' })).body).toEqual({ message: 'Authentication token required.' });
    expect(await call('POST', '/auth/plex', { authToken: 'not-a-plex-token' })).toEqual({
      status: 500,
      body: { message: 'Unable to authenticate.' },
    });
    expect((await call('GET', '/settings/main')).status).toBe(403);

    const login = await call('POST', '/auth/plex', { authToken: OWNER });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ id: 1, plexUsername: 'owner', permissions: 2 });
    for (const hidden of ['plexToken', 'email', 'plexId']) expect(login.body).not.toHaveProperty(hidden);
    expect((await call('GET', '/auth/me')).body).toMatchObject({ id: 1, email: 'owner@example.test' });
    const after = await call('GET', '/settings/main');
    expect(after.status).toBe(200);
    expect(after.body.apiKey).toBe(KEY);
    // Seerr 3's main settings: the proxy/CSRF switches moved to `network`, region was split.
    for (const gone of ['csrfProtection', 'trustProxy', 'region']) expect(after.body).not.toHaveProperty(gone);
    expect(after.body).toMatchObject({ discoverRegion: '', streamingRegion: '', hideBlacklisted: false, mediaServerLogin: true });
    expect((await api(seerr.url, 'wrong-key')('GET', '/settings/main')).status).toBe(403);
    // No credential at all is refused earlier, by the OpenAPI validator's security check.
    expect(await api(seerr.url)('GET', '/settings/main')).toEqual({
      status: 401,
      body: {
        message: "cookie 'connect.sid' required",
        errors: [{ path: '/api/v1/settings/main', message: "cookie 'connect.sid' required" }],
      },
    });
    // The session cookie from /auth/plex works without the key.
    const cookie =
      (
        await fetch(`${seerr.url}/api/v1/auth/plex`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ authToken: OWNER }),
        })
      ).headers
        .get('set-cookie')
        ?.split(';')[0] ?? '';
    expect((await api(seerr.url)('GET', '/settings/main', undefined, { cookie })).status).toBe(200);
    expect((await call('GET', '/settings/public')).body.mediaServerType).toBe(1);
    expect((await call('POST', '/auth/plex', { authToken: 'other-token-12345678' })).status).toBe(403);
  });

  it('reads the Overseerr key from settings.json (deep-merged) and generates one when empty', async () => {
    const preseeded = tempDir();
    writeFileSync(join(preseeded, 'settings.json'), JSON.stringify({ main: { apiKey: KEY } }));
    const o1 = await startOverseerr({ configDir: preseeded, env: { API_KEY: 'ignored-by-overseerr' } });
    closers.push(() => o1.close());
    const saved = JSON.parse(readFileSync(join(preseeded, 'settings.json'), 'utf8'));
    expect(saved.main.apiKey).toBe(KEY);
    expect(saved.main.applicationTitle).toBe('Overseerr');
    expect(saved.public).toEqual({ initialized: false });
    expect(o1.state.settings.main.mediaServerType).toBeUndefined();

    const empty = tempDir();
    const o2 = await startOverseerr({ configDir: empty });
    closers.push(() => o2.close());
    const generated = JSON.parse(readFileSync(join(empty, 'settings.json'), 'utf8')).main.apiKey;
    expect(Buffer.from(generated, 'base64').toString()).toMatch(/^\d{13}[0-9a-f-]{36}$/);
  });

  it('lets Seerr env API_KEY override a different stored key', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ main: { apiKey: 'old-key' } }));
    const s = await startSeerr({ configDir: dir, env: { API_KEY: KEY } });
    closers.push(() => s.close());
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).main.apiKey).toBe(KEY);
  });

  it('connects /settings/plex to the Plex fake, syncs movie/show libraries and applies enable= (trap 11)', async () => {
    const { tv, plex, resolve } = await plexStack();
    const o = await startOverseerr({ configDir: tempDir(), plexTvUrl: tv.url, resolve });
    closers.push(() => o.close());
    const call = api(o.url, o.state.settings.main.apiKey);
    await call('POST', '/auth/plex', { authToken: OWNER });

    const readOnly = await call('POST', '/settings/plex', { name: 'x', ip: 'plex', port: 32400, useSsl: false });
    expect(readOnly.status).toBe(400);
    expect(readOnly.body.errors[0]).toMatchObject({ path: '.body.name', message: 'is read-only' });
    expect((await call('POST', '/settings/plex', { ip: 'plex', port: '32400' })).status).toBe(400);

    const wrongHost = await call('POST', '/settings/plex', { ip: 'plexx', port: 32400, useSsl: false });
    expect(wrongHost).toEqual({ status: 500, body: { message: 'Unable to connect to Plex.' } });

    const ok = await call('POST', '/settings/plex', { ip: 'plex', port: 32400, useSsl: false, webAppUrl: '' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ip: 'plex', port: 32400, name: 'plex', machineId: plex.state.preferences.ProcessedMachineIdentifier });

    const synced = await call('GET', '/settings/plex/library?sync=true');
    expect(synced.body).toEqual([
      { id: '1', name: 'Movies', enabled: false, type: 'movie' },
      { id: '2', name: 'TV Shows', enabled: false, type: 'show' },
    ]);
    expect((await call('GET', '/settings/plex/library?enabled=1')).status).toBe(400);
    expect((await call('GET', '/settings/plex/library?enable=1,2')).body.map((l: { enabled: boolean }) => l.enabled)).toEqual([true, true]);
    expect((await call('GET', '/settings/plex/library?enable=2')).body.map((l: { enabled: boolean }) => l.enabled)).toEqual([false, true]);
    // Overseerr's own quirk: a plain GET (no enable) disables everything.
    expect((await call('GET', '/settings/plex/library')).body.map((l: { enabled: boolean }) => l.enabled)).toEqual([false, false]);
  });

  it('stores radarr entries without de-duplication, validates bodies, replaces on PUT and moves isDefault (trap 10)', async () => {
    const o = await startOverseerr({ configDir: tempDir() });
    closers.push(() => o.close());
    const tv = await startPlexTv({ accounts: [{ token: OWNER }] });
    closers.push(() => tv.close());
    const s = await startSeerr({ env: { API_KEY: KEY }, plexTvUrl: tv.url });
    closers.push(() => s.close());
    const call = api(s.url, KEY);

    const { minimumAvailability: _m, ...missing } = radarr;
    const noAuthButBad = await call('POST', '/settings/radarr', missing);
    expect(noAuthButBad.status).toBe(400);
    await call('POST', '/auth/plex', { authToken: OWNER });
    expect((await call('POST', '/settings/radarr', radarr)).status).toBe(201);

    const missingField = await call('POST', '/settings/radarr', missing);
    expect(missingField.status).toBe(400);
    expect(missingField.body.errors).toEqual([
      expect.objectContaining({ path: '.body.minimumAvailability', message: "should have required property 'minimumAvailability'" }),
    ]);
    expect((await call('POST', '/settings/radarr', { ...radarr, port: '7878' })).status).toBe(400);
    expect((await call('POST', '/settings/radarr', { ...radarr, is4k: 'no' })).status).toBe(400);

    const second = await call('POST', '/settings/radarr', radarr);
    expect(second).toMatchObject({ status: 201, body: { id: 1, isDefault: true } });
    const list = await call('GET', '/settings/radarr');
    expect(list.body.map((r: { id: number; isDefault: boolean }) => [r.id, r.isDefault])).toEqual([
      [0, false],
      [1, true],
    ]);
    const put = await call('PUT', '/settings/radarr/0', { ...radarr, name: 'Radarr 4K', is4k: true, isDefault: true });
    expect(put.body).toMatchObject({ id: 0, name: 'Radarr 4K', is4k: true, isDefault: true });
    expect((await call('GET', '/settings/radarr')).body.map((r: { isDefault: boolean }) => r.isDefault)).toEqual([true, true]);
    expect((await call('PUT', '/settings/radarr/7', radarr)).status).toBe(404);
    expect((await call('PUT', '/settings/radarr/x', radarr)).status).toBe(400);
    expect((await call('DELETE', '/settings/radarr/1')).body).toMatchObject({ id: 1 });
    expect((await call('GET', '/settings/radarr')).body).toHaveLength(1);

    const { enableSeasonFolders: _e, ...sonarrMissing } = { ...radarr, enableSeasonFolders: true, activeLanguageProfileId: 1 };
    expect((await call('POST', '/settings/sonarr', sonarrMissing)).status).toBe(400);
    expect((await call('POST', '/settings/sonarr', { ...sonarrMissing, enableSeasonFolders: true })).status).toBe(201);

    expect((await call('POST', '/settings/initialize')).body).toEqual({ initialized: true });
    expect((await call('GET', '/settings/public')).body.initialized).toBe(true);
    expect((await call('GET', '/no/such/thing')).status).toBe(404);
    expect((await call('DELETE', '/settings/main')).status).toBe(405);
  });

  it('answers 500 "Failed to connect to Radarr" when the test cannot reach Radarr', async () => {
    const tv = await startPlexTv({ accounts: [{ token: OWNER }] });
    closers.push(() => tv.close());
    const s = await startSeerr({
      env: { API_KEY: KEY },
      plexTvUrl: tv.url,
      resolve: (u: string) => u.replace('http://radarr:7878', 'http://127.0.0.1:9'),
    });
    closers.push(() => s.close());
    const call = api(s.url, KEY);
    await call('POST', '/auth/plex', { authToken: OWNER });
    const res = await call('POST', '/settings/radarr/test', { hostname: 'radarr', port: 7878, apiKey: 'k', useSsl: false });
    expect(res).toEqual({ status: 500, body: { message: 'Failed to connect to Radarr' } });
  });
});
