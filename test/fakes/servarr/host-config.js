// GET /config/host and PUT /config/host/{id} (API-NOTES §1.2, §9): the authentication method and
// the UI user. Username/password are required for Forms (and Basic where Basic still exists);
// Radarr v6 and Prowlarr v2 reject Basic; the password is returned masked and sending the mask
// keeps it. Accepted changes are written to config.xml like the app does.
import { json } from '../core/index.js';
import { badRequest, failure, notEmpty } from './failures.js';
import { MASK } from './providers.js';
import { normaliseUrlBase } from './config-xml.js';

/** config.xml stores enums capitalised (the app parses them case-insensitively). */
const ENUM_PROPS = new Set(['authenticationMethod', 'authenticationRequired']);
/** @param {string} v */
const capitalise = (v) => v.charAt(0).toUpperCase() + v.slice(1);
/** @param {Record<string, unknown>} obj @param {string[]} keys */
const pick = (obj, keys) => Object.fromEntries(keys.filter((k) => obj[k] !== undefined && obj[k] !== null).map((k) => [k, obj[k]]));

const CONFIG_KEYS = {
  authenticationMethod: 'AuthenticationMethod',
  authenticationRequired: 'AuthenticationRequired',
  urlBase: 'UrlBase',
  port: 'Port',
  bindAddress: 'BindAddress',
  instanceName: 'InstanceName',
  sslPort: 'SslPort',
};

/** @param {import('./base.js').ArrContext} ctx */
function hostResource(ctx) {
  const { config, profile, state } = ctx;
  const user = state.users[0];
  return {
    id: 1,
    bindAddress: config.bindAddress,
    port: config.port,
    sslPort: Number(config.values.SslPort ?? profile.sslPort),
    enableSsl: false,
    launchBrowser: true,
    authenticationMethod: config.authenticationMethod,
    authenticationRequired: config.authenticationRequired,
    analyticsEnabled: false,
    username: user?.username ?? '',
    password: user ? MASK : '',
    passwordConfirmation: '',
    logLevel: 'info',
    logSizeLimit: 1,
    consoleLogLevel: '',
    branch: 'master',
    apiKey: config.apiKey,
    sslCertPath: '',
    sslCertPassword: '',
    urlBase: config.urlBase,
    instanceName: config.instanceName,
    applicationUrl: '',
    updateAutomatically: false,
    updateMechanism: 'docker',
    updateScriptPath: '',
    proxyEnabled: false,
    proxyType: 'http',
    proxyHostname: '',
    proxyPort: 8080,
    proxyUsername: '',
    proxyPassword: '',
    proxyBypassFilter: '',
    proxyBypassLocalAddresses: true,
    certificateValidation: 'enabled',
    backupFolder: 'Backups',
    backupInterval: 7,
    backupRetention: 28,
    ...(profile.app === 'prowlarr' ? { historyCleanupDays: 365 } : {}),
    trustCgnatIpAddresses: false,
  };
}

/**
 * @param {ReturnType<typeof import('../core/index.js').createRouter>} router
 * @param {import('./base.js').ArrContext} ctx
 */
export function mountHostConfig(router, ctx) {
  const root = `${ctx.profile.apiRoot}/config/host`;
  router.on('GET', root, () => json(200, hostResource(ctx)));
  router.on('GET', `${root}/{id}`, () => json(200, hostResource(ctx)));
  router.on('PUT', `${root}/{id}`, (req) => {
    const body = /** @type {Record<string, any>} */ (req.body ?? {});
    const method = String(body.authenticationMethod ?? 'none').toLowerCase();
    const user = ctx.state.users[0];
    const failures = [];
    if (method === 'basic' && ctx.profile.basicObsolete) {
      failures.push(
        failure('AuthenticationMethod', "'Basic' is no longer supported, switch to 'Forms' instead.", { attemptedValue: 'basic' }),
      );
    }
    const needsUser = method === 'forms' || method === 'basic';
    const keepsPassword = body.password === MASK && user !== undefined;
    if (needsUser && !body.username) failures.push(notEmpty('Username', body.username ?? null));
    if (needsUser && !body.password) failures.push(notEmpty('Password', body.password ?? null));
    if (needsUser && body.password && !keepsPassword && body.password !== body.passwordConfirmation) {
      failures.push(failure('PasswordConfirmation', 'Must match Password', { attemptedValue: body.passwordConfirmation }));
    }
    if (body.port !== undefined && !(Number.isInteger(body.port) && body.port >= 1 && body.port <= 65535)) {
      failures.push(failure('Port', `'Port' must be between 1 and 65535. You entered ${body.port}.`, { attemptedValue: body.port }));
    }
    if (failures.length > 0) return badRequest(failures);

    if (needsUser) {
      const password = keepsPassword ? /** @type {{ password: string }} */ (user).password : String(body.password);
      ctx.state.users.splice(0, ctx.state.users.length, { username: String(body.username), password });
    }
    const { config } = ctx;
    config.authenticationMethod = /** @type {any} */ (method);
    if (body.authenticationRequired) config.authenticationRequired = body.authenticationRequired;
    if (typeof body.instanceName === 'string' && body.instanceName) config.instanceName = body.instanceName;
    // Port, UrlBase and BindAddress are saved now but only read at the next start.
    const saved = {
      ...hostResource(ctx),
      ...pick(body, ['port', 'sslPort', 'bindAddress']),
      urlBase: normaliseUrlBase(body.urlBase ?? config.urlBase),
    };
    for (const [prop, element] of Object.entries(CONFIG_KEYS)) {
      const value = /** @type {Record<string, unknown>} */ (saved)[prop];
      if (value === undefined || value === null) continue;
      config.values[element] = ENUM_PROPS.has(prop) ? capitalise(String(value)) : String(value);
    }
    ctx.saveConfig();
    return json(202, saved);
  });
}
