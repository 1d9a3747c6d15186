// Prowlarr fake: applications tested against the *arr fakes' indexer/test (API-NOTES §1.7) and
// its own NZBGet download client (§1.5, against the real nzbget).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startLidarr, startRadarr, startSonarr, type ArrHandle } from './arr.js';
import { startProwlarr } from './prowlarr.js';
import { json, startFake } from './core/index.js';
import { nzbgetMissing, startNzbget, type NzbgetHandle } from './nzbget.js';
import { describeNeeding } from '../helpers/tiers.js';
import { api, failureList, nzbgetClient, resolver } from './servarr/testing.js';

const { routes, resolve } = resolver();
let prowlarr: ArrHandle;
let radarr: ArrHandle;
let sonarr: ArrHandle;
let lidarr: ArrHandle;

beforeAll(async () => {
  [prowlarr, radarr, sonarr, lidarr] = await Promise.all([
    startProwlarr({ resolve }),
    startRadarr({ resolve }),
    startSonarr({ resolve, env: { SONARR__SERVER__URLBASE: '/sonarr' } }),
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

function application(
  impl: 'Radarr' | 'Sonarr' | 'Lidarr',
  baseUrl: string,
  apiKey: string,
  extra: Record<string, unknown> = {},
  prowlarrUrl = 'http://prowlarr:9696',
) {
  return {
    name: impl,
    implementation: impl,
    configContract: `${impl}Settings`,
    syncLevel: 'fullSync',
    tags: [],
    fields: [
      { name: 'prowlarrUrl', value: prowlarrUrl },
      { name: 'baseUrl', value: baseUrl },
      { name: 'apiKey', value: apiKey },
    ],
    ...extra,
  };
}

describe('Prowlarr applications', () => {
  it('saving an enabled application tests the target: right key → 201, wrong key → "API Key is invalid"', async () => {
    const wrong = await api(prowlarr, 'POST', '/api/v1/applications', application('Radarr', 'http://radarr:7878', 'not-the-key'));
    expect([wrong.status, failureList(wrong.body)]).toEqual([400, ['ApiKey: API Key is invalid']]);
    const right = await api(prowlarr, 'POST', '/api/v1/applications', application('Radarr', 'http://radarr:7878', radarr.apiKey));
    expect(right.status).toBe(201);
    expect(right.body.fields.find((f: { name: string }) => f.name === 'apiKey').value).toBe('********');
    expect(radarr.log.filter((e) => e.path === '/api/v3/indexer/test').map((e) => e.status)).toEqual([401, 200]);
    // the target really called Prowlarr's test indexer back at prowlarrUrl
    expect(prowlarr.log.some((e) => e.path === '/0/api' && e.query.t === 'caps')).toBe(true);
    await api(prowlarr, 'DELETE', `/api/v1/applications/${right.body.id}`);
  });

  it('uses Lidarr\'s v1 API and fails with "Prowlarr URL is invalid" when the target cannot reach prowlarrUrl', async () => {
    const unreachable = await api(
      prowlarr,
      'POST',
      '/api/v1/applications',
      application('Lidarr', 'http://lidarr:8686', lidarr.apiKey, {}, 'http://127.0.0.1:1'),
    );
    expect(failureList(unreachable.body)).toEqual(['ProwlarrUrl: Prowlarr URL is invalid, Lidarr cannot connect to Prowlarr']);
    expect(lidarr.log.some((e) => e.path === '/api/v1/indexer/test' && e.status === 400)).toBe(true);
  });

  it('a target behind a URL base answers 307 → "missing a URL base"; with the base it passes', async () => {
    const bare = await api(prowlarr, 'POST', '/api/v1/applications', application('Sonarr', 'http://sonarr:8989', sonarr.apiKey));
    expect(failureList(bare.body)[0]).toMatch(/^BaseUrl: .*missing a URL base/);
    const based = await api(prowlarr, 'POST', '/api/v1/applications', application('Sonarr', 'http://sonarr:8989/sonarr', sonarr.apiKey));
    expect(based.status).toBe(201);
    const fields = Object.fromEntries(based.body.fields.map((f: { name: string; value: unknown }) => [f.name, f.value]));
    expect(fields).toMatchObject({
      animeSyncCategories: [5070],
      syncAnimeStandardFormatSearch: true,
      syncCategories: [5000, 5010, 5020, 5030, 5040, 5045, 5050, 5090],
    });
    await api(prowlarr, 'DELETE', `/api/v1/applications/${based.body.id}`);
  });

  it('a target without X-Application-Version, or none at all, fails the test', async () => {
    const impostor = await startFake({ name: 'impostor', handle: () => json(200, {}) });
    try {
      const res = await api(prowlarr, 'POST', '/api/v1/applications', application('Radarr', impostor.url, 'k'));
      expect(failureList(res.body)).toEqual([': Failed to fetch Radarr version']);
    } finally {
      await impostor.close();
    }
    const down = await api(prowlarr, 'POST', '/api/v1/applications', application('Radarr', 'http://127.0.0.1:1', 'k'));
    expect(failureList(down.body)[0]).toMatch(/^BaseUrl: Unable to complete application test, cannot connect to Radarr/);
  });

  it('`enable` is ignored: syncLevel decides; a disabled application is saved untested', async () => {
    const noLevel = await api(prowlarr, 'POST', '/api/v1/applications', {
      ...application('Radarr', 'http://radarr:7878', 'wrong'),
      syncLevel: undefined,
      enable: true,
    });
    expect([noLevel.status, noLevel.body.syncLevel]).toEqual([201, 'disabled']);
    const bad = await api(prowlarr, 'POST', '/api/v1/applications', {
      ...application('Radarr', 'http://radarr:7878', 'wrong'),
      name: 'x',
      syncLevel: 'sometimes',
    });
    expect(bad.status).toBe(400);
    await api(prowlarr, 'DELETE', `/api/v1/applications/${noLevel.body.id}`);
  });

  it('re-tests on every enabled PUT, even an unchanged one', async () => {
    const target = await startRadarr({ resolve });
    let created;
    try {
      created = await api(prowlarr, 'POST', '/api/v1/applications', application('Radarr', target.url, target.apiKey));
      expect(created.status).toBe(201);
    } finally {
      await target.close();
    }
    const same = await api(prowlarr, 'PUT', `/api/v1/applications/${created.body.id}`, created.body);
    expect(same.status).toBe(400);
    const forced = await api(prowlarr, 'PUT', `/api/v1/applications/${created.body.id}?forceSave=true`, created.body);
    expect(forced.status).toBe(202);
    await api(prowlarr, 'DELETE', `/api/v1/applications/${created.body.id}`);
  });

  it('schema lists Radarr, Sonarr and Lidarr with their defaults', async () => {
    const schema = (await api(prowlarr, 'GET', '/api/v1/applications/schema')).body;
    const radarrTemplate = schema.find((s: { implementation: string }) => s.implementation === 'Radarr');
    const values = Object.fromEntries(radarrTemplate.fields.map((f: { name: string; value: unknown }) => [f.name, f.value]));
    expect(values).toMatchObject({
      prowlarrUrl: 'http://localhost:9696',
      baseUrl: 'http://localhost:7878',
      syncCategories: [2000, 2010, 2020, 2030, 2040, 2045, 2050, 2060, 2070, 2080, 2090],
    });
    expect(schema.map((s: { implementation: string }) => s.implementation).sort()).toEqual(['Lidarr', 'Radarr', 'Sonarr']);
  });
});

describeNeeding(nzbgetMissing())('Prowlarr NZBGet download client (real nzbget)', () => {
  let nzb: NzbgetHandle;
  beforeAll(async () => {
    nzb = await startNzbget();
  });
  afterAll(async () => {
    await nzb?.stop();
  });
  const login = () => ({ host: nzb.host, port: nzb.port, username: nzb.username, password: nzb.password });

  it('priority must be 1–50; only per-indexer category mappings are checked, not the default category', async () => {
    const naive = await api(prowlarr, 'POST', '/api/v1/downloadclient', nzbgetClient('NZBGet', login(), { enable: true }));
    expect(failureList(naive.body)).toEqual(["Priority: 'Priority' must be between 1 and 50. You entered 0."]);
    const ok = await api(prowlarr, 'POST', '/api/v1/downloadclient', nzbgetClient('NZBGet', login()));
    expect(ok.status).toBe(201);
    expect(ok.body.fields.find((f: { name: string }) => f.name === 'category').value).toBe('Prowlarr');
    const mapped = await api(
      prowlarr,
      'POST',
      '/api/v1/downloadclient',
      nzbgetClient('mapped', login(), { enable: true, priority: 1, categories: [{ clientCategory: 'Nope', categories: [2000] }] }),
    );
    expect(failureList(mapped.body)).toEqual(['ClientCategory: Category does not exist']);
    const wrongLogin = await api(prowlarr, 'POST', '/api/v1/downloadclient', nzbgetClient('login', { ...login(), password: 'x' }));
    expect(failureList(wrongLogin.body)).toEqual(['Username: Authentication failed']);
    await api(prowlarr, 'DELETE', `/api/v1/downloadclient/${ok.body.id}`);
  });
});
