// Overseerr/Seerr `/settings/radarr` and `/settings/sonarr` (API-NOTES §4 steps 6–7, trap 10):
// the connection test really calls the *arr app; saves are stored as sent, without a test and
// without de-duplication; PUT replaces; isDefault clears the other defaults with the same is4k.
// Verified against a real Seerr 3 built from source (issue 9): the test's answer is cached per
// URL for an hour (a root folder created meanwhile is missing from it); Sonarr's test fails
// when system/status fails (it needs the version) and gives `languageProfiles: null` for v4+.
import { isOk } from './media-util.js';
import { callJson } from './core/index.js';

/** @param {number} status @param {string} message */
const fail = (status, message) => ({ status, body: { message } });

/**
 * @param {{ resolve: (url: string) => string, save: () => void }} deps
 */
const TEST_CACHE_MS = 60 * 60 * 1000;

export function createServarrSettings({ resolve, save }) {
  /** @type {Map<string, { until: number, body: Record<string, unknown> }>} */
  const testCache = new Map();

  /**
   * Radarr/Sonarr connection test: system/status (Radarr: failure tolerated), then profiles, root
   * folders (+ language profiles for Sonarr before v4) and tags, with the given key.
   * @param {'radarr'|'sonarr'} app @param {Record<string, any>} b
   */
  async function servarrTest(app, b) {
    const url = `${b.useSsl ? 'https' : 'http'}://${b.hostname}:${b.port}${b.baseUrl ?? ''}/api/v3`;
    const cached = testCache.get(url);
    if (cached && cached.until > Date.now()) return { status: 200, body: cached.body };
    const base = resolve(url);
    /** @param {string} path */
    const get = (path) => callJson(`${base}${path}`, { headers: { 'X-Api-Key': String(b.apiKey) } });
    const failed = fail(500, `Failed to connect to ${app === 'radarr' ? 'Radarr' : 'Sonarr'}`);
    const status = await get('/system/status');
    if (app === 'sonarr' && !isOk(status)) return failed;
    const urlBase = isOk(status) ? status.body?.urlBase : b.baseUrl;
    const v3 = app === 'sonarr' && Number(String(status.body?.version ?? '').split('.')[0]) <= 3;
    const paths =
      app === 'sonarr' && v3 ? ['/qualityProfile', '/rootfolder', '/tag', '/languageprofile'] : ['/qualityProfile', '/rootfolder', '/tag'];
    const results = [];
    for (const p of paths) {
      const r = await get(p);
      if (!isOk(r) || !Array.isArray(r.body)) return failed;
      results.push(r.body);
    }
    const [profiles, folders, tags, languages] = /** @type {any[][]} */ (results);
    const rootFolders = (folders ?? []).map((f) => ({ id: f.id, path: f.path }));
    const body =
      app === 'sonarr'
        ? { profiles, rootFolders, languageProfiles: languages ?? null, tags, urlBase }
        : { profiles, rootFolders, tags, urlBase };
    testCache.set(url, { until: Date.now() + TEST_CACHE_MS, body });
    return { status: 200, body };
  }

  /**
   * `/settings/radarr|sonarr[/{id}[/profiles]|/test]`.
   * @param {'radarr'|'sonarr'} app @param {Record<string, any>[]} list the stored entries (mutated)
   * @param {import('./media-serve.js').FakeRequest} req @param {string | undefined} id @param {string | undefined} sub
   */
  async function servarrRoutes(app, list, req, id, sub) {
    const body = /** @type {Record<string, unknown>} */ (req.body);
    /** @param {Record<string, unknown>} b */
    const clearDefaults = (b) => {
      if (b.isDefault) for (const s of list) if (s.is4k === b.is4k) s.isDefault = false;
    };
    if (id === undefined && req.method === 'GET') return { status: 200, body: list };
    if (id === undefined && req.method === 'POST') {
      // No connection test and no de-duplication: a repeated POST stores a second copy.
      const last = list[list.length - 1];
      const entry = { ...body, id: last ? Number(last.id) + 1 : 0 };
      clearDefaults(body);
      list.push(entry);
      save();
      return { status: 201, body: entry };
    }
    if (id === 'test' && req.method === 'POST') return servarrTest(app, body);
    const index = list.findIndex((s) => s.id === Number(id));
    if (index === -1) return fail(404, 'Settings instance not found');
    const current = /** @type {Record<string, any>} */ (list[index]);
    if (sub === 'profiles' && req.method === 'GET') {
      const base = resolve(`${current.useSsl ? 'https' : 'http'}://${current.hostname}:${current.port}${current.baseUrl ?? ''}/api/v3`);
      const r = await callJson(`${base}/qualityProfile`, { headers: { 'X-Api-Key': String(current.apiKey) } });
      if (!isOk(r) || !Array.isArray(r.body)) return fail(500, 'Something went wrong.');
      return { status: 200, body: r.body.map((/** @type {{ id: number, name: string }} */ p) => ({ id: p.id, name: p.name })) };
    }
    if (sub) return fail(404, 'Not Found');
    if (req.method === 'PUT') {
      clearDefaults(body);
      list[index] = { ...body, id: Number(id) };
      save();
      return { status: 200, body: list[index] };
    }
    if (req.method === 'DELETE') {
      const [removed] = list.splice(index, 1);
      save();
      return { status: 200, body: removed };
    }
    return fail(404, 'Not Found');
  }

  return servarrRoutes;
}
