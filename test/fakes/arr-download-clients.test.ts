// The NZBGet download client of the *arr fakes against the REAL nzbget (API-NOTES §0 traps 1–5, §1.5).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startLidarr, startRadarr, startSonarr, type ArrHandle } from './arr.js';
import { nzbgetMissing, startNzbget, type NzbgetHandle } from './nzbget.js';
import { describeNeeding } from '../helpers/tiers.js';
import { api, failureList, nzbgetClient } from './servarr/testing.js';
import { json, startFake } from './core/index.js';

describe('download-client test errors that are not NZBGet answers', () => {
  it('wraps an error in the middle of the test as "Test was aborted due to an error: …"', async () => {
    // answers `version` like NZBGet, then fails `config`
    const half = await startFake({
      name: 'half-nzbget',
      handle: (req) =>
        (req.body as { method?: string })?.method === 'version' ? json(200, { version: '1.1', id: 1, result: '21.0' }) : json(500, 'boom'),
    });
    const radarr = await startRadarr({});
    try {
      const res = await api(radarr, 'POST', '/api/v3/downloadclient', nzbgetClient('half', { host: '127.0.0.1', port: half.port }));
      expect(failureList(res.body)).toEqual([': Test was aborted due to an error: NZBGet config call failed: HTTP 500']);
    } finally {
      await Promise.all([half.close(), radarr.close()]);
    }
  });
});

const suite = describeNeeding(nzbgetMissing());

suite('*arr download clients against the real NZBGet', () => {
  let stock: NzbgetHandle; // stock categories, random password
  let defaults: NzbgetHandle; // stock login nzbget/tegbzn6789
  let gapped: NzbgetHandle; // Category1=Movies, Category3=Music (no 2)
  let noHistory: NzbgetHandle; // KeepHistory=0
  let radarr: ArrHandle;
  let sonarr: ArrHandle;
  let lidarr: ArrHandle;
  const login = (n: NzbgetHandle) => ({ host: n.host, port: n.port, username: n.username, password: n.password });

  beforeAll(async () => {
    [stock, defaults, gapped, noHistory] = await Promise.all([
      startNzbget(),
      startNzbget({ username: 'nzbget', password: 'tegbzn6789' }),
      startNzbget({ categories: { 1: 'Movies', 3: 'Music' } }),
      startNzbget({ options: { KeepHistory: '0' } }),
    ]);
    [radarr, sonarr, lidarr] = await Promise.all([startRadarr({}), startSonarr({}), startLidarr({})]);
  });
  afterAll(async () => {
    await Promise.all([radarr, sonarr, lidarr].filter(Boolean).map((f) => f.close()));
    await Promise.all([stock, defaults, gapped, noHistory].filter(Boolean).map((n) => n.stop()));
  });

  it('trap 3: priority omitted → 400 in Radarr/Lidarr, not in Sonarr; enable omitted → saved disabled and untested', async () => {
    const naive = nzbgetClient('naive', { host: stock.host, port: stock.port, password: 'wrong' }, {});
    const r = await api(radarr, 'POST', '/api/v3/downloadclient', naive);
    expect([r.status, failureList(r.body)]).toEqual([400, ["Priority: 'Priority' must be between 1 and 50. You entered 0."]]);
    expect((await api(lidarr, 'POST', '/api/v1/downloadclient', naive)).status).toBe(400);
    expect((await api(radarr, 'POST', '/api/v3/downloadclient', { ...naive, priority: 51 })).status).toBe(400);

    const s = await api(sonarr, 'POST', '/api/v3/downloadclient', naive);
    expect(s.status).toBe(201);
    expect(s.body).toMatchObject({
      enable: false,
      priority: 0,
      removeCompletedDownloads: false,
      removeFailedDownloads: false,
      protocol: 'usenet',
    });
    await api(sonarr, 'DELETE', `/api/v3/downloadclient/${s.body.id}`);
  });

  it('trap 1: forceSave=true does not skip a failed test; enable:false does', async () => {
    const bad = nzbgetClient('forced', { ...login(stock), password: 'wrong' });
    const forced = await api(radarr, 'POST', '/api/v3/downloadclient?forceSave=true', bad);
    expect([forced.status, failureList(forced.body)]).toEqual([400, ['Username: Authentication failed']]);
    const disabled = await api(radarr, 'POST', '/api/v3/downloadclient', { ...bad, enable: false });
    expect([disabled.status, disabled.body.enable]).toEqual([201, false]);
    await api(radarr, 'DELETE', `/api/v3/downloadclient/${disabled.body.id}`);
  });

  it('trap 2: Sonarr default tvCategory "tv" does not exist in NZBGet; "Series" does; match is case-sensitive', async () => {
    const naive = await api(sonarr, 'POST', '/api/v3/downloadclient', nzbgetClient('NZBGet', login(stock)));
    expect([naive.status, failureList(naive.body)]).toEqual([400, ['TvCategory: Category does not exist']]);
    const lower = await api(radarr, 'POST', '/api/v3/downloadclient', nzbgetClient('NZBGet', { ...login(stock), movieCategory: 'movies' }));
    expect(failureList(lower.body)).toEqual(['MovieCategory: Category does not exist']);
    const good = await api(sonarr, 'POST', '/api/v3/downloadclient', nzbgetClient('NZBGet', { ...login(stock), tvCategory: 'Series' }));
    expect(good.status).toBe(201);
    expect(good.body.fields.find((f: { name: string }) => f.name === 'tvCategory').value).toBe('Series');
    await api(sonarr, 'DELETE', `/api/v3/downloadclient/${good.body.id}`);
  });

  it('trap 5: Radarr/Lidarr default to nzbget/tegbzn6789, Sonarr has no default login', async () => {
    const target = { host: defaults.host, port: defaults.port };
    const r = await api(radarr, 'POST', '/api/v3/downloadclient', nzbgetClient('defaults', target));
    expect(r.status).toBe(201);
    const l = await api(lidarr, 'POST', '/api/v1/downloadclient', nzbgetClient('defaults', target));
    expect(l.status).toBe(201);
    const s = await api(sonarr, 'POST', '/api/v3/downloadclient', nzbgetClient('defaults', { ...target, tvCategory: 'Series' }));
    expect([s.status, failureList(s.body)]).toEqual([400, ['Username: Authentication failed']]);
    await api(radarr, 'DELETE', `/api/v3/downloadclient/${r.body.id}`);
    await api(lidarr, 'DELETE', `/api/v1/downloadclient/${l.body.id}`);
  });

  it('trap 4: omitted fields take defaults, names are case-sensitive, secrets come back masked and the mask keeps them', async () => {
    const created = await api(radarr, 'POST', '/api/v3/downloadclient', nzbgetClient('Masked', login(stock)));
    expect(created.status).toBe(201);
    const fields = Object.fromEntries(created.body.fields.map((f: { name: string; value: unknown }) => [f.name, f.value]));
    expect(fields).toMatchObject({
      password: '********',
      username: stock.username,
      movieCategory: 'Movies',
      recentMoviePriority: 0,
      addPaused: false,
      useSsl: false,
    });
    expect(radarr.state.downloadClients[0].settings.password).toBe(stock.password);

    // GET → change → PUT with the mask: re-tested (changed) and passes, so the stored password was kept.
    const fetched = await api(radarr, 'GET', `/api/v3/downloadclient/${created.body.id}`);
    const put = await api(radarr, 'PUT', `/api/v3/downloadclient/${created.body.id}`, { ...fetched.body, priority: 2 });
    expect([put.status, put.body.priority]).toEqual([202, 2]);

    // Wrong-case field names are ignored: 'Password' is not 'password', so Sonarr has no password at all.
    const wrongCase = nzbgetClient('case', {
      host: stock.host,
      port: stock.port,
      Username: stock.username,
      Password: stock.password,
      tvCategory: 'Series',
    });
    const s = await api(sonarr, 'POST', '/api/v3/downloadclient', wrongCase);
    expect(failureList(s.body)).toEqual(['Username: Authentication failed']);
    await api(radarr, 'DELETE', `/api/v3/downloadclient/${created.body.id}`);
  });

  it('names are unique case-insensitively', async () => {
    const first = await api(radarr, 'POST', '/api/v3/downloadclient', nzbgetClient('NZBGet', login(stock)));
    const dup = await api(radarr, 'POST', '/api/v3/downloadclient', nzbgetClient('nzbget', login(stock)));
    expect([dup.status, failureList(dup.body)]).toEqual([400, ['Name: Should be unique']]);
    await api(radarr, 'DELETE', `/api/v3/downloadclient/${first.body.id}`);
  });

  it('category lookup stops at the first missing CategoryN (non-contiguous numbering)', async () => {
    const movies = await api(radarr, 'POST', '/api/v3/downloadclient', nzbgetClient('gap', login(gapped)));
    expect(movies.status).toBe(201);
    const music = await api(lidarr, 'POST', '/api/v1/downloadclient', nzbgetClient('gap', login(gapped)));
    expect([music.status, failureList(music.body)]).toEqual([400, ['MusicCategory: Category does not exist']]);
    await api(radarr, 'DELETE', `/api/v3/downloadclient/${movies.body.id}`);
  });

  it('KeepHistory=0 in NZBGet is an error; an unreachable host fails on Host', async () => {
    const history = await api(radarr, 'POST', '/api/v3/downloadclient', nzbgetClient('history', login(noHistory)));
    expect(failureList(history.body)).toEqual([': NzbGet setting KeepHistory should be greater than 0']);
    const nowhere = await api(radarr, 'POST', '/api/v3/downloadclient', nzbgetClient('nowhere', { ...login(stock), port: 1 }));
    expect(failureList(nowhere.body)).toEqual(['Host: Unable to connect to NZBGet']);
  });

  it('an empty category is only a warning: 400 unless forceSave', async () => {
    const body = nzbgetClient('nocat', { ...login(stock), movieCategory: '' });
    const warned = await api(radarr, 'POST', '/api/v3/downloadclient', body);
    expect(warned.status).toBe(400);
    expect(warned.body[0]).toMatchObject({ propertyName: 'MovieCategory', isWarning: true, severity: 'warning' });
    const forced = await api(radarr, 'POST', '/api/v3/downloadclient?forceSave=true', body);
    expect(forced.status).toBe(201);
    await api(radarr, 'DELETE', `/api/v3/downloadclient/${forced.body.id}`);
  });

  it('PUT re-tests only when the definition changed; POST /test always tests', async () => {
    const spare = await startNzbget();
    const created = await api(radarr, 'POST', '/api/v3/downloadclient', nzbgetClient('spare', login(spare)));
    expect(created.status).toBe(201);
    await spare.stop();
    const same = await api(radarr, 'PUT', `/api/v3/downloadclient/${created.body.id}`, created.body);
    expect(same.status).toBe(202);
    const changed = await api(radarr, 'PUT', `/api/v3/downloadclient/${created.body.id}`, { ...created.body, priority: 3 });
    expect(failureList(changed.body)).toEqual(['Host: Unable to connect to NZBGet']);
    const test = await api(radarr, 'POST', '/api/v3/downloadclient/test', created.body);
    expect(test.status).toBe(400);
    const good = await api(radarr, 'POST', '/api/v3/downloadclient/test', nzbgetClient('t', login(stock)));
    expect(good.status).toBe(200);
    await api(radarr, 'DELETE', `/api/v3/downloadclient/${created.body.id}`);
  });

  it('schema shows per-app defaults (Sonarr tvCategory "tv" and no login)', async () => {
    const schema = await api(sonarr, 'GET', '/api/v3/downloadclient/schema');
    const nzb = schema.body.find((s: { implementation: string }) => s.implementation === 'Nzbget');
    const values = Object.fromEntries(nzb.fields.map((f: { name: string; value: unknown }) => [f.name, f.value]));
    expect(values).toMatchObject({ host: 'localhost', port: 6789, tvCategory: 'tv', username: null, password: null });
    expect(nzb).toMatchObject({ enable: false, priority: 1, removeCompletedDownloads: true, removeFailedDownloads: true });
  });
});
