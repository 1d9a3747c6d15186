import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startArr, startRadarr, startSonarr } from './arr.js';
import { trackAfterEach } from './cleanup.js';
import { api, tempDirs } from './servarr/testing.js';
import type { LogEntry } from './core/index.js';

const dirs = tempDirs();
const track = trackAfterEach();
afterAll(() => dirs.cleanup());

describe('*arr fakes: API key from config.xml or env (API-NOTES §1.1)', () => {
  it('creates config.xml with a <Config> root and a 32-hex ApiKey, and keeps it across restarts', async () => {
    const configDir = dirs.make();
    const first = await track(startRadarr({ configDir }));
    const xml = readFileSync(path.join(configDir, 'config.xml'), 'utf8');
    expect(xml).toMatch(/^<Config>/);
    expect(first.apiKey).toMatch(/^[0-9a-f]{32}$/);
    expect(xml).toContain(`<ApiKey>${first.apiKey}</ApiKey>`);
    await first.close();
    const second = await track(startRadarr({ configDir }));
    expect(second.apiKey).toBe(first.apiKey);
  });

  it('uses a pre-seeded ApiKey and replaces an empty one, writing it back', async () => {
    const seeded = dirs.make();
    writeFileSync(
      path.join(seeded, 'config.xml'),
      '<Config>\n  <ApiKey>0123456789abcdef0123456789abcdef</ApiKey>\n  <AuthenticationMethod>External</AuthenticationMethod>\n</Config>\n',
    );
    expect((await track(startSonarr({ configDir: seeded }))).apiKey).toBe('0123456789abcdef0123456789abcdef');

    const empty = dirs.make();
    writeFileSync(path.join(empty, 'config.xml'), '<Config><ApiKey>  </ApiKey></Config>');
    const fake = await track(startSonarr({ configDir: empty }));
    expect(fake.apiKey).toMatch(/^[0-9a-f]{32}$/);
    expect(readFileSync(path.join(empty, 'config.xml'), 'utf8')).toContain(fake.apiKey);
  });

  it('deletes unknown elements on start, so a mis-cased <APIKey> is dropped and a new key generated', async () => {
    const configDir = dirs.make();
    writeFileSync(path.join(configDir, 'config.xml'), '<Config><APIKey>0123456789abcdef0123456789abcdef</APIKey></Config>');
    const fake = await track(startRadarr({ configDir }));
    expect(fake.apiKey).not.toBe('0123456789abcdef0123456789abcdef');
    const xml = readFileSync(path.join(configDir, 'config.xml'), 'utf8');
    expect(xml).not.toContain('APIKey');
    expect(xml).toContain(`<ApiKey>${fake.apiKey}</ApiKey>`);
  });

  it('lets <APP>__AUTH__APIKEY win and never writes it to config.xml', async () => {
    const configDir = dirs.make();
    writeFileSync(path.join(configDir, 'config.xml'), '<Config><ApiKey>ffffffffffffffffffffffffffffffff</ApiKey></Config>');
    const key = 'abcdefabcdefabcdefabcdefabcdef12';
    const fake = await track(startArr('lidarr', { configDir, env: { LIDARR__AUTH__APIKEY: key } }));
    expect(fake.apiKey).toBe(key);
    expect((await api(fake, 'GET', '/api/v1/system/status')).status).toBe(200);
    expect(readFileSync(path.join(configDir, 'config.xml'), 'utf8')).not.toContain(key);
  });

  it('refuses to start on a config.xml whose root is not <Config>', async () => {
    const configDir = dirs.make();
    writeFileSync(path.join(configDir, 'config.xml'), '<config><ApiKey>x</ApiKey></config>');
    await expect(startRadarr({ configDir })).rejects.toThrow(/root element must be exactly <Config>/);
  });
});

describe('*arr fakes: authentication (API-NOTES §1.2, §0 trap 8)', () => {
  it('accepts the key as apikey query, X-Api-Key header or Bearer token; 401 without; /ping is anonymous', async () => {
    const fake = await track(startRadarr({}));
    const status = async (suffix: string, headers: Record<string, string> = {}) =>
      (await fetch(`${fake.url}${suffix}`, { headers })).status;
    expect(await status('/api/v3/system/status')).toBe(401);
    expect(await status('/api/v3/system/status', { 'X-Api-Key': 'wrong' })).toBe(401);
    expect(await status(`/api/v3/system/status?apikey=${fake.apiKey}`)).toBe(200);
    expect(await status('/api/v3/system/status', { 'X-Api-Key': fake.apiKey })).toBe(200);
    expect(await status('/api/v3/system/status', { Authorization: `Bearer ${fake.apiKey}` })).toBe(200);
    const ping = await fetch(`${fake.url}/ping`);
    expect([ping.status, await ping.json()]).toEqual([200, { status: 'OK' }]);
  });

  it('still requires the API key with AuthenticationMethod External (trap 8)', async () => {
    const fake = await track(startRadarr({ env: { RADARR__AUTH__METHOD: 'External' } }));
    expect((await api(fake, 'GET', '/api/v3/system/status', undefined, null)).status).toBe(401);
    const ok = await api(fake, 'GET', '/api/v3/system/status');
    expect(ok.body).toMatchObject({ appName: 'Radarr', version: '6.0.3.10276', authentication: 'external', urlBase: '' });
    expect(ok.headers.get('x-application-version')).toBe('6.0.3.10276');
  });

  it('serves /initialize.json with the key only while the UI is unauthenticated', async () => {
    const open = await track(startSonarr({}));
    expect((await api(open, 'GET', '/initialize.json', undefined, null)).body).toMatchObject({ apiKey: open.apiKey, apiRoot: '/api/v3' });
    const forms = await track(startSonarr({ env: { SONARR__AUTH__METHOD: 'Forms' } }));
    expect((await api(forms, 'GET', '/initialize.json', undefined, null)).status).toBe(401);
  });

  it('redirects (307) requests outside the UrlBase, /ping included', async () => {
    const fake = await track(startRadarr({ env: { RADARR__SERVER__URLBASE: 'radarr/' } }));
    const ping = await api(fake, 'GET', '/ping');
    expect([ping.status, ping.headers.get('location')]).toEqual([307, '/radarr/ping']);
    expect((await api(fake, 'GET', '/api/v3/system/status')).status).toBe(307);
    expect((await api(fake, 'GET', '/radarr/api/v3/system/status')).body).toMatchObject({ urlBase: '/radarr' });
  });
});

describe('*arr fakes: state, log and faults', () => {
  it('exposes state and the request log over /__fake/*, and answers 503 during a start-up period', async () => {
    const fake = await track(startRadarr({ faults: { startupMs: 300, startupMode: '503' } }));
    expect((await fetch(`${fake.url}/ping`)).status).toBe(503);
    await new Promise((r) => setTimeout(r, 350));
    expect((await fetch(`${fake.url}/ping`)).status).toBe(200);
    await api(fake, 'POST', '/api/v3/rootfolder', { path: '/nowhere' });
    const state = (await (await fetch(`${fake.url}/__fake/state`)).json()) as Record<string, unknown>;
    expect(state).toMatchObject({ apiKey: fake.apiKey, downloadClients: [], rootFolders: [] });
    const log = (await (await fetch(`${fake.url}/__fake/log`)).json()) as LogEntry[];
    expect(log.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual(['GET /ping 503', 'GET /ping 200', 'POST /api/v3/rootfolder 400']);
    expect(log[2]?.body).toEqual({ path: '/nowhere' });
  });
});

describe('*arr fakes: request validation against the OpenAPI file', () => {
  it('rejects a wrong type in the body with an ASP.NET validation problem', async () => {
    const fake = await track(startRadarr({}));
    const res = await api(fake, 'POST', '/api/v3/downloadclient', { name: 'x', priority: 'high', enable: 'yes' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ title: 'One or more validation errors occurred.', status: 400 });
    expect(Object.keys(res.body.errors).sort()).toEqual(['$.enable', '$.priority']);
  });

  it('matches top-level property names case-insensitively, like System.Text.Json', async () => {
    const fake = await track(startRadarr({}));
    const res = await api(fake, 'POST', '/api/v3/downloadclient', {
      Name: 'Off',
      Implementation: 'Nzbget',
      ConfigContract: 'NzbgetSettings',
      Priority: 1,
      Fields: [],
    });
    expect([res.status, res.body.name, res.body.enable]).toEqual([201, 'Off', false]);
  });

  it('routes ignore case like ASP.NET (Overseerr asks for /qualityProfile); tags are stored lower-case', async () => {
    const fake = await track(startRadarr({}));
    expect((await api(fake, 'GET', '/api/v3/qualityProfile')).body).toHaveLength(6);
    const tag = await api(fake, 'POST', '/api/v3/tag', { label: 'Plexarr' });
    expect([tag.status, tag.body]).toEqual([201, { id: 1, label: 'plexarr' }]);
    expect((await api(fake, 'POST', '/api/v3/tag', { label: 'plexarr' })).body.id).toBe(1);
    expect((await api(fake, 'GET', '/api/v3/tag')).body).toEqual([{ id: 1, label: 'plexarr' }]);
  });

  it('answers 404 for unknown API paths and 405 for a method the spec does not have', async () => {
    const fake = await track(startRadarr({}));
    expect((await api(fake, 'GET', '/api/v3/nothing')).status).toBe(404);
    expect((await api(fake, 'PUT', '/api/v3/rootfolder/1', { path: '/x' })).status).toBe(405);
  });
});
