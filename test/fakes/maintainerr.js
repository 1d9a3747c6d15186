// Fake Maintainerr v3 (API-NOTES §5, §0 trap 12): no authentication; failures are
// `{status:"NOK", code:0, message}` inside HTTP 200/201; request bodies are zod-validated (400).
// State is kept in memory and mirrored to <configDir>/maintainerr-fake.json (the real app's
// sqlite lives in the same /opt/data), so a restart keeps what was saved.
// Verified against a real server (Maintainerr 3.24.0 built from source; settings.controller.ts,
// settings-operations.service.ts, media-server-switch.service.ts): `GET /api/settings` masks the
// Plex token and the API keys (maintainerr-settings.js) while `GET /api/settings/seerr` and the
// Radarr/Sonarr lists return keys whole; the first media-server switch answers "Successfully set
// plex as media server", a repeat "Already using plex as media server"; `POST /api/settings/seerr`
// keeps the URL's case, the Radarr/Sonarr saves and `PATCH` lower-case theirs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isOk } from './media-util.js';
import { serveMediaFake } from './media-serve.js';
import { callJson, createRouter } from './core/index.js';
import {
  changesPlexServer,
  defaultSettings,
  normalisePlex,
  parseSettingsPatch,
  publicSettings,
  serviceUrl,
  SERVER_TYPES,
} from './maintainerr-settings.js';

export const MAINTAINERR_VERSION = '3.24.0';

const ok = (/** @type {Record<string, unknown>} */ extra = {}) => ({ status: 'OK', code: 1, message: 'Success', ...extra });
const nok = (/** @type {string} */ message, /** @type {Record<string, unknown>} */ extra = {}) => ({
  status: 'NOK',
  code: 0,
  message,
  ...extra,
});

/**
 * @typedef {{ id: number, serverName: string, url: string, apiKey: string }} ServarrSetting
 */

/**
 * @param {{ configDir?: string, resolve?: (url: string) => string, plexTvUrl?: string, env?: Record<string, string> }} options
 */
export function createMaintainerrApp(options) {
  const resolve = options.resolve ?? ((u) => u);
  const plexTvUrl = (options.plexTvUrl ?? options.env?.PLEXARR_PLEX_TV_URL ?? 'https://plex.tv').replace(/\/$/, '');
  const file = options.configDir ? join(options.configDir, 'maintainerr-fake.json') : undefined;
  const state = {
    settings: /** @type {Record<string, any>} */ (defaultSettings()),
    /** @type {ServarrSetting[]} */ radarr: [],
    /** @type {ServarrSetting[]} */ sonarr: [],
    nextId: { radarr: 1, sonarr: 1 },
  };

  function save() {
    if (!file || !options.configDir) return;
    mkdirSync(options.configDir, { recursive: true });
    writeFileSync(file, JSON.stringify(state, null, 1));
  }
  function load() {
    if (file && existsSync(file)) Object.assign(state, JSON.parse(readFileSync(file, 'utf8')));
    save();
  }

  /** nestjs-zod's 400. @param {import('./maintainerr-settings.js').Issue[]} issues */
  const invalid = (issues) => ({
    status: 400,
    body: { statusCode: 400, message: 'Validation failed', errors: issues.map((e) => ({ code: 'custom', ...e })) },
  });

  /**
   * A body of required strings (trimmed, non-empty); `urlField` goes through the service-URL schema.
   * @param {unknown} body @param {string[]} required @param {string} urlField
   */
  function checkBody(body, required, urlField) {
    const raw = /** @type {Record<string, unknown>} */ (body && typeof body === 'object' && !Array.isArray(body) ? body : {});
    /** @type {Record<string, string>} */
    const b = {};
    /** @type {import('./maintainerr-settings.js').Issue[]} */
    const errors = [];
    for (const k of required) {
      const v = raw[k];
      if (k === urlField) {
        const { url, issue } = serviceUrl(v, k);
        if (issue) errors.push(issue);
        else b[k] = /** @type {string} */ (url);
      } else if (typeof v !== 'string')
        errors.push({
          code: 'invalid_type',
          expected: 'string',
          path: [k],
          message: `Invalid input: expected string, received ${v === null ? 'null' : typeof v}`,
        });
      else if (v.trim() === '') errors.push({ code: 'too_small', path: [k], message: 'Required' });
      else b[k] = v.trim();
    }
    return { b, errors };
  }

  /** @param {import('./media-serve.js').FakeRequest} req @param {number} okStatus */
  function updateSettings(req, okStatus) {
    const { patch, issues } = parseSettingsPatch(req.body);
    if (issues.length) return invalid(issues);
    const stored = state.settings;
    const next = { ...stored, ...patch };
    // Refused only once Plex is the selected media server; before the switch the address saves.
    if (changesPlexServer(stored, next) && !stored.plex_auth_token)
      return { status: okStatus, body: nok('Authenticate with Plex before saving Plex server settings.') };
    Object.assign(next, normalisePlex(next));
    next.seerr_url = next.seerr_url?.toLowerCase() ?? next.seerr_url;
    next.tautulli_url = next.tautulli_url?.toLowerCase() ?? next.tautulli_url;
    state.settings = next;
    save();
    return { status: okStatus, body: ok() };
  }

  function plexBase() {
    const s = state.settings;
    return resolve(`${s.plex_ssl ? 'https' : 'http'}://${s.plex_hostname}:${s.plex_port}`).replace(/\/$/, '');
  }

  /** @param {'radarr'|'sonarr'} app */
  function servarrRoutes(app) {
    const expectedName = app === 'radarr' ? 'Radarr' : 'Sonarr';
    /** @param {string} raw */
    const parseId = (raw) => (/^\d+$/.test(raw) ? Number(raw) : undefined);
    return {
      list: () => ({ status: 200, body: state[app] }),
      /** @param {import('./media-serve.js').FakeRequest} req */
      create: (req) => {
        const { b, errors } = checkBody(req.body, ['serverName', 'url', 'apiKey'], 'url');
        if (errors.length) return invalid(errors);
        // Saved as given (no test, no de-duplication): a repeated POST is a second server.
        const entry = { id: state.nextId[app]++, serverName: b.serverName, url: b.url.toLowerCase(), apiKey: b.apiKey };
        state[app].push(entry);
        save();
        return { status: 201, body: ok({ data: entry }) };
      },
      /** @param {import('./core/router.js').RoutedRequest} req */
      update: (req) => {
        const id = parseId(String(req.params.id));
        if (id === undefined) return invalid([{ path: ['id'], message: 'Expected integer' }]);
        const { b, errors } = checkBody(req.body, ['serverName', 'url', 'apiKey'], 'url');
        if (errors.length) return invalid(errors);
        const entry = { id, serverName: b.serverName, url: b.url.toLowerCase(), apiKey: b.apiKey };
        // A full replace; an unknown id creates that row.
        state[app] = [...state[app].filter((s) => s.id !== id), entry].sort((x, y) => x.id - y.id);
        state.nextId[app] = Math.max(state.nextId[app], id + 1);
        save();
        return { status: 200, body: ok({ data: entry }) };
      },
      /** @param {import('./core/router.js').RoutedRequest} req */
      remove: (req) => {
        const id = parseId(String(req.params.id));
        if (id === undefined) return invalid([{ path: ['id'], message: 'Expected integer' }]);
        if (!state[app].some((s) => s.id === id)) return { status: 200, body: nok('Failure', { data: null }) };
        state[app] = state[app].filter((s) => s.id !== id);
        save();
        return { status: 200, body: ok() };
      },
      /** @param {import('./media-serve.js').FakeRequest} req */
      test: async (req) => {
        const { b, errors } = checkBody(req.body, ['url', 'apiKey'], 'url');
        if (errors.length) return invalid(errors);
        const base = resolve(b.url);
        const res = await callJson(`${base}/api/v3/system/status`, { headers: { 'X-Api-Key': b.apiKey } });
        if (!isOk(res) || !res.body?.version) return { status: 201, body: nok('Failure') };
        if (res.body.appName && res.body.appName !== expectedName)
          return { status: 201, body: nok(`Unexpected application name returned: ${res.body.appName}`) };
        return { status: 201, body: { status: 'OK', code: 1, message: String(res.body.version) } };
      },
    };
  }

  /** @param {import('./media-serve.js').FakeRequest} req */
  async function testSeerr(req) {
    const { b, errors } = checkBody(req.body, ['url', 'api_key'], 'url');
    if (errors.length) return invalid(errors);
    const base = resolve(b.url);
    const res = await callJson(`${base}/api/v1/settings/about`, { headers: { 'X-Api-Key': b.api_key } });
    if (res.status === 401 || res.status === 403) return { status: 201, body: nok('Invalid API key') };
    if (!isOk(res) || !res.body?.version)
      return { status: 201, body: nok('Failure, an unexpected response was returned. The URL is likely incorrect.') };
    return { status: 201, body: { status: 'OK', code: 1, message: String(res.body.version) } };
  }

  const router = createRouter();
  router
    .on('GET', '/api/health', () => ({ status: 200, body: { status: 'ok' } }))
    .on('GET', '/api/health/live', () => ({ status: 200, body: { status: 'ok' } }))
    .on('GET', '/api/health/ready', () => ({ status: 200, body: { status: 'ok' } }))
    .on('GET', '/api/settings/version', () => ({
      status: 200,
      body: MAINTAINERR_VERSION,
      headers: { 'content-type': 'text/html; charset=utf-8' },
    }))
    .on('GET', '/api/settings', () => ({ status: 200, body: publicSettings(state.settings) }))
    .on('POST', '/api/settings', (req) => updateSettings(req, 201))
    .on('PATCH', '/api/settings', (req) => updateSettings(req, 200))
    .on('GET', '/api/settings/test/setup', () => {
      const s = state.settings;
      return {
        status: 200,
        body: Boolean(s.media_server_type === 'plex' && s.plex_hostname && s.plex_name && s.plex_port && s.plex_auth_token),
      };
    })
    .on('POST', '/api/settings/media-server/switch', (req) => {
      const target = /** @type {any} */ (req.body)?.targetServerType;
      if (!SERVER_TYPES.includes(target))
        return invalid([{ path: ['targetServerType'], message: "Invalid enum value. Expected 'plex' | 'jellyfin' | 'emby'" }]);
      const s = state.settings;
      if (s.media_server_type === target) return { status: 201, body: nok(`Already using ${target} as media server`) };
      const leaving = s.media_server_type;
      if (leaving === 'plex')
        Object.assign(s, {
          plex_name: null,
          plex_hostname: null,
          plex_port: null,
          plex_ssl: null,
          plex_auth_token: null,
          tautulli_url: null,
          tautulli_api_key: null,
        });
      s.media_server_type = target;
      save();
      const message = leaving ? `Successfully switched from ${leaving} to ${target}` : `Successfully set ${target} as media server`;
      return { status: 201, body: ok({ message, clearedData: { collections: 0, collectionMedia: 0, exclusions: 0, collectionLogs: 0 } }) };
    })
    .on('POST', '/api/settings/plex/token', (req) => {
      const token = /** @type {any} */ (req.body)?.plex_auth_token;
      if (typeof token !== 'string' || token.trim() === '') return invalid([{ path: ['plex_auth_token'], message: 'Required' }]);
      state.settings.plex_auth_token = token.trim();
      save();
      return { status: 201, body: ok() };
    })
    .on('DELETE', '/api/settings/plex/auth', () => {
      state.settings.plex_auth_token = null;
      save();
      return { status: 200, body: ok() };
    })
    .on('GET', '/api/settings/test/plex', async () => {
      const s = state.settings;
      if (!s.plex_auth_token) return { status: 200, body: nok('Authenticate with Plex before testing the connection.') };
      // The Plex client is only started once Plex is the selected media server (the switch).
      if (!s.plex_hostname || s.media_server_type !== 'plex') return { status: 200, body: nok('Failure') };
      const res = await callJson(`${plexBase()}/`, { headers: { 'X-Plex-Token': s.plex_auth_token, Accept: 'application/json' } });
      const version = res.body?.MediaContainer?.version;
      return { status: 200, body: isOk(res) && version ? { status: 'OK', code: 1, message: String(version) } : nok('Failure') };
    })
    .on('GET', '/api/settings/test/plex/auth', async () => {
      const token = state.settings.plex_auth_token;
      if (!token) return { status: 200, body: nok('Authenticate with Plex before validating the connection.') };
      const res = await callJson(`${plexTvUrl}/api/v2/user`, { headers: { 'X-Plex-Token': token, Accept: 'application/json' } });
      if (isOk(res)) return { status: 200, body: ok() };
      if (res.status === 401 || res.status === 422)
        return { status: 200, body: nok('Stored Plex credentials are invalid. Re-authenticate with Plex.') };
      return {
        status: 200,
        body: nok("Couldn't reach plex.tv to verify your credentials - retrying. Your saved token is still in use.", { unreachable: true }),
      };
    })
    .on('GET', '/api/settings/plex/devices/servers', async () => {
      const token = state.settings.plex_auth_token;
      if (!token) return { status: 200, body: [] };
      const res = await callJson(`${plexTvUrl}/api/v2/resources`, { headers: { 'X-Plex-Token': token, Accept: 'application/json' } });
      return {
        status: 200,
        body: isOk(res) && Array.isArray(res.body) ? res.body.filter((r) => r.owned && String(r.provides).includes('server')) : [],
      };
    });

  for (const app of /** @type {const} */ (['radarr', 'sonarr'])) {
    const r = servarrRoutes(app);
    router
      .on('GET', `/api/settings/${app}`, r.list)
      .on('POST', `/api/settings/${app}`, r.create)
      .on('PUT', `/api/settings/${app}/{id}`, r.update)
      .on('DELETE', `/api/settings/${app}/{id}`, r.remove)
      .on('POST', `/api/settings/test/${app}`, r.test);
  }
  for (const alias of ['seerr', 'overseerr', 'jellyseerr']) {
    router
      .on('GET', `/api/settings/${alias}`, () => ({
        status: 200,
        body: { url: state.settings.seerr_url, api_key: state.settings.seerr_api_key },
      }))
      .on('POST', `/api/settings/${alias}`, (req) => {
        const { b, errors } = checkBody(req.body, ['url', 'api_key'], 'url');
        if (errors.length) return invalid(errors);
        // Stored as given (trimmed, no trailing `/`): this route does not lower-case the URL.
        Object.assign(state.settings, { seerr_url: b.url, seerr_api_key: b.api_key });
        save();
        return { status: 201, body: ok() };
      })
      .on('DELETE', `/api/settings/${alias}`, () => {
        Object.assign(state.settings, { seerr_url: null, seerr_api_key: null });
        save();
        return { status: 200, body: ok() };
      })
      .on('POST', `/api/settings/test/${alias}`, testSeerr);
  }

  /**
   * @param {import('./media-serve.js').FakeRequest} req
   * @returns {Promise<import('./media-serve.js').FakeResponse>}
   */
  async function handle(req) {
    const found = router.find(req.method, req.path.replace(/\/+$/, '') || '/');
    if (found.handler && found.params) return found.handler({ ...req, params: found.params });
    return { status: 404, body: { message: `Cannot ${req.method} ${req.path}`, error: 'Not Found', statusCode: 404 } };
  }

  return { state, handle, load };
}

/**
 * Starts the Maintainerr v3 fake.
 * @param {import('./media-serve.js').MediaFakeOptions} [options]
 */
export async function startMaintainerr(options = {}) {
  const app = createMaintainerrApp(options);
  app.load();
  return serveMediaFake({
    ...options,
    name: 'maintainerr',
    state: app.state,
    handler: app.handle,
    errorBody: () => ({ statusCode: 500, message: 'Internal server error' }),
  });
}
