// The part every *arr fake shares (API-NOTES §1.1–1.3): config.xml/env API key, UrlBase 307
// redirects, API-key auth (apikey query → X-Api-Key → Bearer), anonymous /ping, system/status,
// /initialize.json, X-Application-Version on every answer, and request validation against the
// app's OpenAPI file before any route runs.
import { getOpenApiValidator, json, problemDetailsStyle, startFake, createRouter, identityPath, identityUrl } from '../core/index.js';
import { loadArrConfig, writeArrConfig } from './config-xml.js';

/**
 * @typedef {object} ArrProfile
 * @property {'radarr'|'sonarr'|'lidarr'|'prowlarr'} app
 * @property {string} appName 'Radarr'
 * @property {string} envPrefix 'RADARR'
 * @property {string} apiRoot '/api/v3'
 * @property {string} spec OpenAPI file in test/contracts
 * @property {number} port internal port (7878)
 * @property {number} sslPort
 * @property {string} version
 * @property {boolean} basicObsolete Radarr v6 / Prowlarr v2 rewrite Basic to Forms and reject it in config/host
 * @property {RegExp} [apiPaths] paths that need the API key (default /api…; Prowlarr adds its Newznab /{id}/api)
 *
 * @typedef {object} ArrContext
 * @property {ArrProfile} profile
 * @property {import('./config-xml.js').ArrConfig} config
 * @property {any} state
 * @property {(containerPath: string) => string} pathMap
 * @property {(url: string) => string} resolve
 * @property {() => void} saveConfig persist config.values to config.xml (when there is a config dir)
 *
 * @typedef {import('../core/index.js').CommonFakeOptions & { version?: string }} ArrOptions
 */

/** @param {import('../core/index.js').FakeRequest} req */
function presentedKey(req) {
  const query = req.searchParams.get('apikey');
  if (query !== null) return query;
  const header = req.headers['x-api-key'];
  if (typeof header === 'string') return header;
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  return undefined;
}

/**
 * Tags: labels are stored lower-case and adding an existing label returns it (TagService.Add).
 * @param {ReturnType<typeof createRouter>} router @param {ArrContext} ctx
 */
function mountTags(router, ctx) {
  /** @type {{ id: number, label: string }[]} */
  const tags = (ctx.state.tags ??= []);
  router.on('GET', `${ctx.profile.apiRoot}/tag`, () => json(200, tags));
  router.on('POST', `${ctx.profile.apiRoot}/tag`, (req) => {
    const label = String(/** @type {any} */ (req.body)?.label ?? '')
      .trim()
      .toLowerCase();
    if (!label)
      return json(400, [{ isWarning: false, propertyName: 'Label', errorMessage: "'Label' must not be empty.", severity: 'error' }]);
    const existing = tags.find((t) => t.label === label);
    if (existing) return json(201, existing);
    const tag = { id: tags.length + 1, label };
    tags.push(tag);
    return json(201, tag);
  });
}

/** @param {ArrContext} ctx */
function systemStatus(ctx) {
  const { profile, config } = ctx;
  return {
    appName: profile.appName,
    instanceName: config.instanceName,
    version: profile.version,
    buildTime: '2025-01-01T00:00:00Z',
    isDebug: false,
    isProduction: true,
    isAdmin: false,
    isUserInteractive: false,
    startupPath: `/app/${profile.app}/bin`,
    appData: '/config',
    osName: 'alpine',
    osVersion: '3.22',
    isNetCore: true,
    isLinux: true,
    isOsx: false,
    isWindows: false,
    isDocker: true,
    mode: 'console',
    branch: 'master',
    databaseType: 'sqLite',
    databaseVersion: '3.49.2',
    authentication: config.authenticationMethod,
    migrationVersion: 240,
    urlBase: config.urlBase,
    runtimeVersion: '8.0.20',
    runtimeName: '.NET',
    startTime: new Date().toISOString(),
    packageVersion: `${profile.version}-ls1`,
    packageAuthor: '[linuxserver.io](https://linuxserver.io)',
    packageUpdateMechanism: 'docker',
  };
}

/**
 * Starts an *arr fake. `mount(router, ctx)` adds the app's own routes (paths include the API root).
 * @param {ArrProfile} profile
 * @param {ArrOptions} options
 * @param {(router: ReturnType<typeof createRouter>, ctx: ArrContext) => void} mount
 * @param {any} initialState
 */
export async function startServarr(profile, options, mount, initialState) {
  const effective = { ...profile, version: options.version ?? profile.version };
  const config = loadArrConfig({
    appName: profile.appName,
    envPrefix: profile.envPrefix,
    port: profile.port,
    env: options.env,
    configDir: options.configDir,
    basicObsolete: profile.basicObsolete,
  });
  const state = { apiKey: config.apiKey, config, users: /** @type {{ username: string, password: string }[]} */ ([]), ...initialState };
  /** @type {ArrContext} */
  const ctx = {
    profile: effective,
    config,
    state,
    pathMap: options.pathMap ?? identityPath,
    resolve: options.resolve ?? identityUrl,
    saveConfig: () => {
      if (config.file) writeArrConfig(config.file, config.values);
    },
  };
  const router = createRouter({ ignoreCase: true });
  router.on('GET', `${profile.apiRoot}/system/status`, () => json(200, systemStatus(ctx)));
  mountTags(router, ctx);
  mount(router, ctx);

  // ASP.NET routing ignores case (Overseerr calls /qualityProfile); System.Text.Json as the apps
  // configure it skips unknown members and matches top-level names case-insensitively.
  const validator = getOpenApiValidator(profile.spec, {
    readOnly: 'ignore',
    unknownProperties: 'ignore',
    caseInsensitiveProperties: true,
    caseInsensitivePaths: true,
  });
  const versionHeader = { 'X-Application-Version': effective.version };
  const uiOpen = () =>
    config.authenticationMethod === 'none' ||
    config.authenticationMethod === 'external' ||
    config.authenticationRequired === 'disabledForLocalAddresses';

  /** @param {import('../core/index.js').FakeRequest} req @returns {Promise<import('../core/index.js').FakeResponse>} */
  async function route(req) {
    const base = config.urlBase;
    if (base && req.path !== base && !req.path.startsWith(`${base}/`)) {
      const search = req.searchParams.toString();
      return { status: 307, headers: { Location: `${base}${req.path}${search ? `?${search}` : ''}` } };
    }
    const path = req.path.slice(base.length) || '/';
    if (path === '/ping' && (req.method === 'GET' || req.method === 'HEAD')) return json(200, { status: 'OK' });
    if (path === '/initialize.json' && req.method === 'GET') {
      if (!uiOpen()) return { status: 401 };
      return json(200, {
        apiRoot: profile.apiRoot,
        apiKey: config.apiKey,
        release: `${effective.version}-master`,
        version: effective.version,
        instanceName: config.instanceName,
        theme: 'auto',
        branch: 'master',
        analytics: false,
        userHash: 'fake',
        urlBase: base,
        isProduction: true,
      });
    }
    if (!(profile.apiPaths ?? /^\/api(\/|$)/).test(path))
      return path === '/'
        ? { status: 200, body: '<!doctype html><title>fake</title>', headers: { 'Content-Type': 'text/html' } }
        : json(404, { message: 'NotFound' });
    if (presentedKey(req) !== config.apiKey) return { status: 401 };

    const check = validator.validate({ ...req, path });
    if (check.miss === 'path' || (check.miss === undefined && check.errors.some((e) => e.in === 'path')))
      return json(404, { message: 'NotFound' });
    if (check.miss === 'method') return { status: 405 };
    if (!check.ok) return json(400, problemDetailsStyle(check.errors));
    const found = router.find(req.method, path);
    if (found.miss) return json(404, { message: 'NotFound' });
    return found.handler({
      ...req,
      path,
      body: check.body,
      params: { ...found.params, ...Object.fromEntries(Object.entries(check.params).map(([k, v]) => [k, String(v)])) },
      query: /** @type {any} */ (check.query),
    });
  }

  const fake = await startFake({
    name: profile.app,
    host: options.host,
    port: options.port,
    state,
    faults: options.faults,
    errorBody: () => ({ message: 'Internal Server Error', description: 'Injected fault' }),
    handle: async (req) => {
      const out = await route(req);
      return { ...out, headers: { ...versionHeader, ...(out.headers ?? {}) } };
    },
  });
  return Object.assign(fake, { apiKey: config.apiKey, apiRoot: profile.apiRoot });
}
