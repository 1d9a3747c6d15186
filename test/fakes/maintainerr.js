// Fake Maintainerr v3 (API-NOTES §5, §0 trap 12): no authentication; failures are
// `{status:"NOK", code:0, message}` inside HTTP 200/201; request bodies are zod-validated (400).
// State is kept in memory and mirrored to <configDir>/maintainerr-fake.json (the real app's
// sqlite lives in the same /opt/data), so a restart keeps what was saved.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isOk } from './media-util.js';
import { serveMediaFake } from './media-serve.js';
import { callJson, createRouter } from './core/index.js';

export const MAINTAINERR_VERSION = '3.24.0';
const SERVER_TYPES = ['plex', 'jellyfin', 'emby'];
const PLEX_SERVER_FIELDS = ['plex_hostname', 'plex_port', 'plex_name', 'plex_ssl'];
/** Keys PATCH/POST /api/settings accept; anything else is stripped like zod's default object. */
const SETTINGS_KEYS = [
  'applicationTitle', 'applicationUrl', 'apikey', 'locale', 'media_server_type',
  'plex_name', 'plex_hostname', 'plex_port', 'plex_ssl', 'plex_auth_token',
  'seerr_url', 'seerr_api_key', 'tautulli_url', 'tautulli_api_key',
  'jellyfin_url', 'jellyfin_api_key', 'jellyfin_user_id', 'jellyfin_server_name',
  'emby_url', 'emby_api_key', 'emby_user_id', 'emby_server_name',
  'collection_handler_job_cron', 'rules_handler_job_cron',
];
const URL_KEYS = ['seerr_url', 'tautulli_url', 'jellyfin_url', 'emby_url'];

const ok = (/** @type {Record<string, unknown>} */ extra = {}) => ({ status: 'OK', code: 1, message: 'Success', ...extra });
const nok = (/** @type {string} */ message, /** @type {Record<string, unknown>} */ extra = {}) => ({ status: 'NOK', code: 0, message, ...extra });

function defaultSettings() {
  return {
    id: 1,
    clientId: randomUUID(),
    applicationTitle: 'Maintainerr',
    applicationUrl: 'localhost',
    apikey: Buffer.from(`Maintainerr${Date.now()}${randomUUID()}`).toString('base64'),
    locale: 'en',
    media_server_type: /** @type {string | null} */ (null),
    plex_name: /** @type {string | null} */ (null),
    plex_hostname: /** @type {string | null} */ (null),
    plex_port: /** @type {number | null} */ (32400),
    plex_ssl: /** @type {number | null} */ (0),
    plex_auth_token: /** @type {string | null} */ (null),
    seerr_url: /** @type {string | null} */ (null),
    seerr_api_key: /** @type {string | null} */ (null),
    tautulli_url: /** @type {string | null} */ (null),
    tautulli_api_key: /** @type {string | null} */ (null),
    jellyfin_url: null,
    jellyfin_api_key: null,
    jellyfin_user_id: null,
    jellyfin_server_name: null,
    emby_url: null,
    emby_api_key: null,
    emby_user_id: null,
    emby_server_name: null,
    collection_handler_job_cron: '0 0-23/12 * * *',
    rules_handler_job_cron: '0 0-23/8 * * *',
  };
}

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

  /** Nest + zod validation failure. @param {{ path: string[], message: string }[]} errors */
  const invalid = (errors) => ({ status: 400, body: { statusCode: 400, message: 'Validation failed', errors: errors.map((e) => ({ code: 'custom', ...e })) } });

  /** @param {unknown} v */
  const isHttpUrl = (v) => typeof v === 'string' && /^https?:\/\/\S+$/i.test(v);
  /** @param {string} url */
  const normaliseUrl = (url) => url.replace(/\/+$/, '').toLowerCase();

  /** @param {unknown} body @param {string[]} required @param {string[]} urlFields */
  function checkBody(body, required, urlFields) {
    const b = /** @type {Record<string, unknown>} */ (body && typeof body === 'object' && !Array.isArray(body) ? body : {});
    /** @type {{ path: string[], message: string }[]} */
    const errors = [];
    for (const k of required) if (typeof b[k] !== 'string' || b[k] === '') errors.push({ path: [k], message: typeof b[k] === 'string' ? 'Required' : 'Expected string' });
    for (const k of urlFields) if (typeof b[k] === 'string' && b[k] !== '' && !isHttpUrl(b[k])) errors.push({ path: [k], message: 'URL must start with http:// or https://' });
    return { b, errors };
  }

  /** @param {Record<string, any>} patch */
  function validateSettingsPatch(patch) {
    /** @type {{ path: string[], message: string }[]} */
    const errors = [];
    for (const k of URL_KEYS) if (patch[k] !== undefined && patch[k] !== null && patch[k] !== '' && !isHttpUrl(patch[k])) errors.push({ path: [k], message: 'URL must start with http:// or https://' });
    if (patch.plex_port !== undefined && patch.plex_port !== null && !(Number.isInteger(patch.plex_port) && patch.plex_port > 0 && patch.plex_port < 65536)) errors.push({ path: ['plex_port'], message: 'Expected a port number' });
    if (patch.plex_ssl !== undefined && patch.plex_ssl !== null && patch.plex_ssl !== 0 && patch.plex_ssl !== 1) errors.push({ path: ['plex_ssl'], message: 'Expected 0 or 1' });
    if (patch.media_server_type !== undefined && patch.media_server_type !== null && !SERVER_TYPES.includes(patch.media_server_type)) errors.push({ path: ['media_server_type'], message: 'Invalid enum value' });
    for (const k of ['plex_hostname', 'plex_name', 'plex_auth_token', 'seerr_api_key', 'tautulli_api_key']) {
      if (patch[k] !== undefined && patch[k] !== null && typeof patch[k] !== 'string') errors.push({ path: [k], message: 'Expected string' });
    }
    return errors;
  }

  /** @param {import('./media-serve.js').FakeRequest} req @param {number} okStatus */
  function updateSettings(req, okStatus) {
    const body = /** @type {Record<string, any>} */ (req.body && typeof req.body === 'object' ? req.body : {});
    const patch = Object.fromEntries(Object.entries(body).filter(([k]) => SETTINGS_KEYS.includes(k)));
    const errors = validateSettingsPatch(patch);
    if (errors.length) return invalid(errors);
    const stored = state.settings;
    const plexChange = PLEX_SERVER_FIELDS.some((k) => k in patch && patch[k] !== stored[k]);
    if (plexChange && !stored.plex_auth_token) return { status: okStatus, body: nok('Authenticate with Plex before saving Plex server settings.') };
    const next = { ...stored, ...patch };
    if (typeof next.plex_hostname === 'string') {
      const raw = next.plex_hostname.trim();
      const https = /^https:\/\//i.test(raw);
      const http = /^http:\/\//i.test(raw);
      next.plex_hostname = raw.replace(/^https?:\/\//i, '').replace(/\/+$/, '').toLowerCase();
      if (https || next.plex_port === 443) next.plex_ssl = 1;
      else if (http) next.plex_ssl = 0;
    }
    if (typeof next.seerr_url === 'string') next.seerr_url = normaliseUrl(next.seerr_url);
    if (typeof next.tautulli_url === 'string') next.tautulli_url = normaliseUrl(next.tautulli_url);
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
        const { b, errors } = checkBody(req.body, ['serverName', 'url', 'apiKey'], ['url']);
        if (errors.length) return invalid(errors);
        // Saved as given (no test, no de-duplication): a repeated POST is a second server.
        const entry = { id: state.nextId[app]++, serverName: String(b.serverName), url: normaliseUrl(String(b.url)), apiKey: String(b.apiKey) };
        state[app].push(entry);
        save();
        return { status: 201, body: ok({ data: entry }) };
      },
      /** @param {import('./core/router.js').RoutedRequest} req */
      update: (req) => {
        const id = parseId(String(req.params.id));
        if (id === undefined) return invalid([{ path: ['id'], message: 'Expected integer' }]);
        const { b, errors } = checkBody(req.body, ['serverName', 'url', 'apiKey'], ['url']);
        if (errors.length) return invalid(errors);
        const entry = { id, serverName: String(b.serverName), url: normaliseUrl(String(b.url)), apiKey: String(b.apiKey) };
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
        const { b, errors } = checkBody(req.body, ['url', 'apiKey'], ['url']);
        if (errors.length) return invalid(errors);
        const base = resolve(String(b.url).replace(/\/+$/, ''));
        const res = await callJson(`${base}/api/v3/system/status`, { headers: { 'X-Api-Key': String(b.apiKey) } });
        if (!isOk(res) || !res.body?.version) return { status: 201, body: nok('Failure') };
        if (res.body.appName && res.body.appName !== expectedName) return { status: 201, body: nok(`Unexpected application name returned: ${res.body.appName}`) };
        return { status: 201, body: { status: 'OK', code: 1, message: String(res.body.version) } };
      },
    };
  }

  /** @param {import('./media-serve.js').FakeRequest} req */
  async function testSeerr(req) {
    const { b, errors } = checkBody(req.body, ['url', 'api_key'], ['url']);
    if (errors.length) return invalid(errors);
    const base = resolve(String(b.url).replace(/\/+$/, ''));
    const res = await callJson(`${base}/api/v1/settings/about`, { headers: { 'X-Api-Key': String(b.api_key) } });
    if (res.status === 401 || res.status === 403) return { status: 201, body: nok('Invalid API key') };
    if (!isOk(res) || !res.body?.version) return { status: 201, body: nok('Failure, an unexpected response was returned. The URL is likely incorrect.') };
    return { status: 201, body: { status: 'OK', code: 1, message: String(res.body.version) } };
  }

  const router = createRouter();
  router
    .on('GET', '/api/health', () => ({ status: 200, body: { status: 'ok' } }))
    .on('GET', '/api/health/live', () => ({ status: 200, body: { status: 'ok' } }))
    .on('GET', '/api/health/ready', () => ({ status: 200, body: { status: 'ok' } }))
    .on('GET', '/api/settings/version', () => ({ status: 200, body: MAINTAINERR_VERSION, headers: { 'content-type': 'text/html; charset=utf-8' } }))
    .on('GET', '/api/settings', () => ({ status: 200, body: state.settings }))
    .on('POST', '/api/settings', (req) => updateSettings(req, 201))
    .on('PATCH', '/api/settings', (req) => updateSettings(req, 200))
    .on('GET', '/api/settings/test/setup', () => {
      const s = state.settings;
      return { status: 200, body: Boolean(s.media_server_type === 'plex' && s.plex_hostname && s.plex_name && s.plex_port && s.plex_auth_token) };
    })
    .on('POST', '/api/settings/media-server/switch', (req) => {
      const target = /** @type {any} */ (req.body)?.targetServerType;
      if (!SERVER_TYPES.includes(target)) return invalid([{ path: ['targetServerType'], message: "Invalid enum value. Expected 'plex' | 'jellyfin' | 'emby'" }]);
      const s = state.settings;
      if (s.media_server_type === target) return { status: 201, body: nok(`Already using ${target} as media server`) };
      const leaving = s.media_server_type;
      if (leaving === 'plex') Object.assign(s, { plex_name: null, plex_hostname: null, plex_port: null, plex_ssl: null, plex_auth_token: null, tautulli_url: null, tautulli_api_key: null });
      s.media_server_type = target;
      save();
      return { status: 201, body: ok({ clearedData: { collections: 0, collectionMedia: 0, exclusions: 0, collectionLogs: 0 } }) };
    })
    .on('POST', '/api/settings/plex/token', (req) => {
      const token = /** @type {any} */ (req.body)?.plex_auth_token;
      if (typeof token !== 'string' || token.trim() === '') return invalid([{ path: ['plex_auth_token'], message: 'Required' }]);
      state.settings.plex_auth_token = token;
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
      if (res.status === 401 || res.status === 422) return { status: 200, body: nok('Stored Plex credentials are invalid. Re-authenticate with Plex.') };
      return { status: 200, body: nok('plex.tv could not be reached', { unreachable: true }) };
    })
    .on('GET', '/api/settings/plex/devices/servers', async () => {
      const token = state.settings.plex_auth_token;
      if (!token) return { status: 200, body: [] };
      const res = await callJson(`${plexTvUrl}/api/v2/resources`, { headers: { 'X-Plex-Token': token, Accept: 'application/json' } });
      return { status: 200, body: isOk(res) && Array.isArray(res.body) ? res.body.filter((r) => r.owned && String(r.provides).includes('server')) : [] };
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
      .on('GET', `/api/settings/${alias}`, () => ({ status: 200, body: { url: state.settings.seerr_url, api_key: state.settings.seerr_api_key } }))
      .on('POST', `/api/settings/${alias}`, (req) => {
        const { b, errors } = checkBody(req.body, ['url', 'api_key'], ['url']);
        if (errors.length) return invalid(errors);
        Object.assign(state.settings, { seerr_url: normaliseUrl(String(b.url)), seerr_api_key: String(b.api_key) });
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
  return serveMediaFake({ ...options, name: 'maintainerr', state: app.state, handler: app.handle, errorBody: () => ({ statusCode: 500, message: 'Internal server error' }) });
}
