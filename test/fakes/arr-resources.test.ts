// Root folders, profiles, config/host and indexer/test of the *arr fakes (API-NOTES §1.2, §1.6, §1.7, §9).
import { afterAll, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startLidarr, startRadarr, startSonarr } from './arr.js';
import { trackAfterEach } from './cleanup.js';
import { api, failureList, tempDirs } from './servarr/testing.js';

const dirs = tempDirs();
const track = trackAfterEach();
afterAll(() => dirs.cleanup());

/** A media root on the host, mounted at /data in the fake "container". */
function mediaRoot() {
  const host = dirs.make('plexarr-media-');
  for (const d of ['media/movies', 'media/tv', 'media/music']) mkdirSync(path.join(host, d), { recursive: true });
  const pathMap = (p: string) =>
    p === '/data' || p.startsWith('/data/') ? path.join(host, p.slice('/data'.length)) : path.join(host, 'not-mounted', p);
  return { host, pathMap };
}

describe('root folders (§1.6)', () => {
  it('Radarr/Sonarr: path must be absolute, exist through the volume mapping, and not be a duplicate', async () => {
    const { pathMap } = mediaRoot();
    const radarr = await track(startRadarr({ pathMap }));
    const relative = await api(radarr, 'POST', '/api/v3/rootfolder', { path: 'data/media/movies' });
    expect(failureList(relative.body)).toEqual(["Path: Invalid Path: 'data/media/movies'"]);
    const unmapped = await api(radarr, 'POST', '/api/v3/rootfolder', { path: '/movies' });
    expect(failureList(unmapped.body)).toEqual(["Path: Path '/movies' does not exist"]);
    const ok = await api(radarr, 'POST', '/api/v3/rootfolder', { path: '/data/media/movies' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ path: '/data/media/movies', accessible: true, unmappedFolders: [] });
    const dup = await api(radarr, 'POST', '/api/v3/rootfolder', { path: '/data/media/movies/' });
    expect(failureList(dup.body)).toEqual(["Path: Path '/data/media/movies' is already configured as a root folder"]);
    expect((await api(radarr, 'GET', '/api/v3/rootfolder')).body).toHaveLength(1);
    expect((await api(radarr, 'PUT', `/api/v3/rootfolder/${ok.body.id}`, { path: '/data/media/tv' })).status).toBe(405);
  });

  // root may write anywhere, so the rule can only be shown as a non-root user
  (process.getuid?.() === 0 ? it.skip : it)('rejects a folder the app user cannot write', async () => {
    const { host, pathMap } = mediaRoot();
    chmodSync(path.join(host, 'media/tv'), 0o555);
    const sonarr = await track(startSonarr({ pathMap }));
    const res = await api(sonarr, 'POST', '/api/v3/rootfolder', { path: '/data/media/tv' });
    expect(failureList(res.body)).toEqual(["Path: Folder '/data/media/tv' is not writable by user 'abc'"]);
  });

  it('Lidarr: needs a name and existing default profile ids, looked up by name', async () => {
    const { pathMap } = mediaRoot();
    const lidarr = await track(startLidarr({ pathMap }));
    const naive = await api(lidarr, 'POST', '/api/v1/rootfolder', {
      path: '/data/media/music',
      defaultQualityProfileId: 1,
      defaultMetadataProfileId: 1,
    });
    expect(failureList(naive.body)).toEqual([
      "Name: 'Name' must not be empty.",
      'DefaultQualityProfileId: Quality Profile does not exist',
      'DefaultMetadataProfileId: Metadata Profile does not exist',
    ]);
    const quality = (await api(lidarr, 'GET', '/api/v1/qualityprofile')).body;
    const metadata = (await api(lidarr, 'GET', '/api/v1/metadataprofile')).body;
    expect(quality.map((p: { name: string }) => p.name)).toEqual(['Any', 'Lossless', 'Standard']);
    expect(metadata.map((p: { name: string }) => p.name)).toEqual(['Standard', 'None']);
    const byName = (list: { id: number; name: string }[], name: string) => list.find((p) => p.name === name)?.id;
    const body = {
      name: 'Music',
      path: '/data/media/music',
      defaultQualityProfileId: byName(quality, 'Lossless'),
      defaultMetadataProfileId: byName(metadata, 'Standard'),
    };
    const ok = await api(lidarr, 'POST', '/api/v1/rootfolder', body);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      ...body,
      defaultMonitorOption: 'all',
      defaultNewItemMonitorOption: 'all',
      defaultTags: [],
      accessible: true,
    });
    const put = await api(lidarr, 'PUT', `/api/v1/rootfolder/${ok.body.id}`, { ...ok.body, name: 'Music library' });
    expect([put.status, put.body.name]).toEqual([202, 'Music library']);
  });
});

describe('profiles', () => {
  it('Radarr/Sonarr list their default quality profiles; Sonarr keeps the language-profile stub', async () => {
    const radarr = await track(startRadarr({}));
    const names = (await api(radarr, 'GET', '/api/v3/qualityprofile')).body.map((p: { name: string }) => p.name);
    expect(names).toEqual(['Any', 'SD', 'HD-720p', 'HD-1080p', 'Ultra-HD', 'HD - 720p/1080p']);
    const sonarr = await track(startSonarr({}));
    expect((await api(sonarr, 'GET', '/api/v3/languageprofile')).body).toEqual([expect.objectContaining({ id: 1, name: 'Deprecated' })]);
    expect((await api(radarr, 'GET', '/api/v3/languageprofile')).status).toBe(404);
  });
});

describe('config/host (§1.2, §9)', () => {
  it('Forms needs username and a matching password; the password comes back masked; config.xml is updated', async () => {
    const configDir = dirs.make();
    const radarr = await track(startRadarr({ configDir }));
    const host = (await api(radarr, 'GET', '/api/v3/config/host')).body;
    expect(host).toMatchObject({ id: 1, authenticationMethod: 'none', authenticationRequired: 'enabled', username: '', password: '' });

    const naive = await api(radarr, 'PUT', '/api/v3/config/host/1', { ...host, authenticationMethod: 'forms' });
    expect(failureList(naive.body)).toEqual(["Username: 'Username' must not be empty.", "Password: 'Password' must not be empty."]);
    const mismatch = await api(radarr, 'PUT', '/api/v3/config/host/1', {
      ...host,
      authenticationMethod: 'forms',
      username: 'admin',
      password: 'a',
      passwordConfirmation: 'b',
    });
    expect(failureList(mismatch.body)).toEqual(['PasswordConfirmation: Must match Password']);

    const ok = await api(radarr, 'PUT', '/api/v3/config/host/1', {
      ...host,
      authenticationMethod: 'forms',
      authenticationRequired: 'disabledForLocalAddresses',
      username: 'admin',
      password: 'secret',
      passwordConfirmation: 'secret',
    });
    expect(ok.status).toBe(202);
    expect(ok.body).toMatchObject({ authenticationMethod: 'forms', username: 'admin', password: '********' });
    expect(radarr.state.users).toEqual([{ username: 'admin', password: 'secret' }]);
    expect(readFileSync(path.join(configDir, 'config.xml'), 'utf8')).toContain('<AuthenticationMethod>Forms</AuthenticationMethod>');

    // GET → PUT back unchanged (masked password) keeps the stored password.
    const again = (await api(radarr, 'GET', '/api/v3/config/host')).body;
    expect((await api(radarr, 'PUT', '/api/v3/config/host/1', again)).status).toBe(202);
    expect(radarr.state.users[0].password).toBe('secret');
  });

  it('Radarr v6 rejects Basic; Sonarr v4 accepts it (with a login)', async () => {
    const radarr = await track(startRadarr({}));
    const sonarr = await track(startSonarr({}));
    const login = { authenticationMethod: 'basic', username: 'u', password: 'p', passwordConfirmation: 'p' };
    const r = await api(radarr, 'PUT', '/api/v3/config/host/1', { ...(await api(radarr, 'GET', '/api/v3/config/host')).body, ...login });
    expect(failureList(r.body)).toEqual(["AuthenticationMethod: 'Basic' is no longer supported, switch to 'Forms' instead."]);
    const s = await api(sonarr, 'PUT', '/api/v3/config/host/1', { ...(await api(sonarr, 'GET', '/api/v3/config/host')).body, ...login });
    expect([s.status, s.body.authenticationMethod]).toEqual([202, 'basic']);
  });
});

describe('indexer/test (what Prowlarr calls on the target)', () => {
  it('fails with 400 when the indexer URL (Prowlarr as the target sees it) cannot be reached', async () => {
    const radarr = await track(startRadarr({}));
    const indexer = {
      name: 'Test (Prowlarr)',
      implementation: 'Newznab',
      configContract: 'NewznabSettings',
      priority: 25,
      fields: [
        { name: 'baseUrl', value: 'http://127.0.0.1:1/0/' },
        { name: 'apiPath', value: '/api' },
        { name: 'apiKey', value: 'k' },
      ],
    };
    const res = await api(radarr, 'POST', '/api/v3/indexer/test', indexer);
    expect(res.status).toBe(400);
    expect(res.body[0].errorMessage).toMatch(/^Unable to connect to indexer/);
    expect((await api(radarr, 'POST', '/api/v3/indexer/test', { ...indexer, implementation: 'Nope' })).status).toBe(400);
    // the test endpoint skips the settings validation but not the shared resource rules (Radarr's
    // ProviderControllerBase.Test is [SkipValidation(true, false)]): priority must still be 1–50
    const noPriority = await api(radarr, 'POST', '/api/v3/indexer/test', { ...indexer, priority: undefined });
    expect(failureList(noPriority.body)).toEqual(["Priority: 'Priority' must be between 1 and 50. You entered 0."]);
  });
});
