import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRadarr, startSonarr } from './arr.js';
import { cleanupAfterEach } from './cleanup.js';
import { startPlexTv } from './plextv.js';
import { startSeerr } from './seerr.js';
import { seerrRadarrEntry } from './seerr-entries.js';

/** What the Seerr fake learned from a real Seerr 3 (issue 9): behaviours the first fake did not have. */

const { closers, dirs } = cleanupAfterEach();
const OWNER = 'owner-token-123456789';
const KEY = '0123456789abcdef0123456789abcdef';

/** A Seerr fake with its admin created, `resolve` mapping container URLs to the given fakes. */
async function seerrWithAdmin(targets: Record<string, string> = {}) {
  const tv = await startPlexTv({ accounts: [{ token: OWNER }] });
  closers.push(() => tv.close());
  const resolve = (url: string) => {
    const found = Object.entries(targets).find(([from]) => url.startsWith(from));
    return found ? url.replace(found[0], found[1]) : `http://127.0.0.1:9${new URL(url).pathname}`;
  };
  const seerr = await startSeerr({ env: { API_KEY: KEY }, plexTvUrl: tv.url, resolve });
  closers.push(() => seerr.close());
  const call = async (method: string, path: string, body?: unknown, signal?: AbortSignal) => {
    const res = await fetch(`${seerr.url}/api/v1${path}`, {
      method,
      signal,
      headers: { 'X-Api-Key': KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: res.status, body: text ? (JSON.parse(text) as any) : undefined };
  };
  expect((await call('POST', '/auth/plex', { authToken: OWNER })).status).toBe(200);
  return { seerr, call };
}

function mediaRoot() {
  const host = mkdtempSync(join(tmpdir(), 'plexarr-seerr-media-'));
  dirs.push(host);
  for (const d of ['media/movies', 'media/tv']) mkdirSync(join(host, d), { recursive: true });
  return (p: string) => (p.startsWith('/data/') ? join(host, p.slice('/data'.length)) : join(host, 'not-mounted', p));
}

const radarrEntry = seerrRadarrEntry('k');

describe('Seerr fake: real-server behaviours', () => {
  it('never answers a settings save that overlaps another one; one at a time all answer', async () => {
    const { seerr, call } = await seerrWithAdmin();
    const stop = new AbortController();
    const both = [
      call('POST', '/settings/radarr', radarrEntry, stop.signal),
      call('POST', '/settings/radarr', { ...radarrEntry, port: 7879 }, stop.signal),
    ];
    const answered = await Promise.race([Promise.any(both), new Promise((r) => setTimeout(r, 1000))]);
    expect(answered).toMatchObject({ status: 201 });
    const second = await Promise.race([
      Promise.allSettled(both).then(() => 'answered'),
      new Promise((r) => setTimeout(() => r('hung'), 1000)),
    ]);
    expect(second).toBe('hung');
    stop.abort();
    // The unanswered save still changed the app's memory, like the real one (only the file write failed).
    expect(seerr.state.settings.radarr).toHaveLength(2);

    expect((await call('POST', '/settings/radarr', radarrEntry)).status).toBe(201);
    expect((await call('POST', '/settings/initialize')).status).toBe(200);
    seerr.state.quirks.overlappingSaveHangs = false;
    const parallel = await Promise.all([call('POST', '/settings/radarr', radarrEntry), call('POST', '/settings/radarr', radarrEntry)]);
    expect(parallel.map((r) => r.status)).toEqual([201, 201]);
  });

  it('answers a connection test that overlaps saves: the test itself saves nothing', async () => {
    const radarr = await startRadarr({ pathMap: mediaRoot() });
    closers.push(() => radarr.close());
    const { call } = await seerrWithAdmin({ 'http://radarr:7878': radarr.url });
    const connection = { hostname: 'radarr', port: 7878, apiKey: radarr.apiKey, useSsl: false, baseUrl: '' };
    // Saves one after another while the test runs: each overlaps the test, never another save.
    const test = call('POST', '/settings/radarr/test', connection);
    for (let i = 0; i < 3; i++) expect((await call('POST', '/settings/radarr', { ...radarrEntry, port: 7900 + i })).status).toBe(201);
    const answer = await Promise.race([test, new Promise((r) => setTimeout(() => r('hung'), 2000))]);
    expect(answer).toMatchObject({ status: 200 });
  });

  it('answers the radarr test from a per-URL cache: a root folder added since is missing', async () => {
    const radarr = await startRadarr({ pathMap: mediaRoot() });
    closers.push(() => radarr.close());
    const { call } = await seerrWithAdmin({ 'http://radarr:7878': radarr.url });
    const connection = { hostname: 'radarr', port: 7878, apiKey: radarr.apiKey, useSsl: false, baseUrl: '' };
    const first = await call('POST', '/settings/radarr/test', connection);
    expect(first.status).toBe(200);
    expect(first.body.rootFolders).toEqual([]);
    const added = await fetch(`${radarr.url}/api/v3/rootfolder`, {
      method: 'POST',
      headers: { 'X-Api-Key': radarr.apiKey, 'content-type': 'application/json' },
      body: '{"path":"/data/media/movies"}',
    });
    expect(added.status).toBe(201);
    expect((await call('POST', '/settings/radarr/test', connection)).body.rootFolders).toEqual([]);
    // Keyed by URL only: even a wrong key gets the cached answer.
    expect((await call('POST', '/settings/radarr/test', { ...connection, apiKey: 'wrong' })).status).toBe(200);
  });

  it('Sonarr v4: the test gives languageProfiles: null', async () => {
    const sonarr = await startSonarr({ pathMap: mediaRoot() });
    closers.push(() => sonarr.close());
    const { call } = await seerrWithAdmin({ 'http://sonarr:8989': sonarr.url });
    const test = await call('POST', '/settings/sonarr/test', {
      hostname: 'sonarr',
      port: 8989,
      apiKey: sonarr.apiKey,
      useSsl: false,
      baseUrl: '',
    });
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ languageProfiles: null, rootFolders: [] });
    expect(test.body.profiles.length).toBeGreaterThan(0);
  });

  it('Sonarr: a failed system/status fails the test even when the rest answers (Radarr carries on)', async () => {
    const sonarr = await startSonarr({ pathMap: mediaRoot() });
    closers.push(() => sonarr.close());
    // In front of Sonarr: system/status answers 500, everything else is passed through.
    const front = createServer((req, res) => {
      if (req.url?.startsWith('/api/v3/system/status')) return void res.writeHead(500).end();
      void fetch(`${sonarr.url}${req.url}`, { headers: { 'X-Api-Key': String(req.headers['x-api-key']) } }).then(async (r) =>
        res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text()),
      );
    });
    await new Promise<void>((done) => front.listen(0, '127.0.0.1', done));
    closers.push(() => new Promise((done) => front.close(() => done())));
    const frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    const { call } = await seerrWithAdmin({ 'http://sonarr:8989': frontUrl, 'http://radarr:7878': frontUrl });
    expect((await fetch(`${frontUrl}/api/v3/qualityprofile`, { headers: { 'X-Api-Key': sonarr.apiKey } })).status).toBe(200);
    expect(
      await call('POST', '/settings/sonarr/test', { hostname: 'sonarr', port: 8989, apiKey: sonarr.apiKey, useSsl: false, baseUrl: '' }),
    ).toEqual({
      status: 500,
      body: { message: 'Failed to connect to Sonarr' },
    });
    expect(
      (await call('POST', '/settings/radarr/test', { hostname: 'radarr', port: 7878, apiKey: sonarr.apiKey, useSsl: false, baseUrl: '' }))
        .status,
    ).toBe(200);
  });

  it('a sync while Plex is unreachable answers 200 [] and clears the libraries', async () => {
    const { seerr, call } = await seerrWithAdmin();
    seerr.state.settings.plex = {
      ...seerr.state.settings.plex,
      ip: 'plex',
      port: 32400,
      libraries: [{ id: '1', name: 'Movies', enabled: true, type: 'movie' }],
    };
    expect(await call('GET', '/settings/plex/library?sync=true&enable=1')).toEqual({ status: 200, body: [] });
    expect(seerr.state.settings.plex.libraries).toEqual([]);
  });
});
