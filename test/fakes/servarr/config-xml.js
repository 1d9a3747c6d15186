// config.xml as the *arr apps read it (API-NOTES §1.1): root element exactly <Config>, one child
// element per setting (case-sensitive names), defaults generated and persisted only when an
// element is missing, an empty ApiKey replaced, and <APP>__AUTH__* / __SERVER__* env values
// winning over the file (an env ApiKey is never written to the file).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** @param {string} text */
const unescapeXml = (text) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
/** @param {string} text */
const escapeXml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Parses the flat <Config> document; throws like the app refuses to start on a wrong root.
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseConfigXml(text) {
  const body = text
    .replace(/<\?xml[^>]*\?>/, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .trim();
  const root = /^<Config\s*>([\s\S]*)<\/Config>$/.exec(body);
  if (!root) throw new Error('config.xml: root element must be exactly <Config>');
  /** @type {Record<string, string>} */
  const values = {};
  for (const m of (root[1] ?? '').matchAll(/<([A-Za-z][\w.]*)\s*(?:\/>|>([\s\S]*?)<\/\1>)/g)) {
    values[/** @type {string} */ (m[1])] = unescapeXml(m[2] ?? '');
  }
  return values;
}

/** @param {Record<string, string>} values */
export function renderConfigXml(values) {
  const lines = Object.entries(values).map(([k, v]) => `  <${k}>${escapeXml(v)}</${k}>`);
  return `<Config>\n${lines.join('\n')}\n</Config>\n`;
}

/** ConfigFileProvider's properties: any other element is deleted on startup (names are case-sensitive). */
export const KNOWN_ELEMENTS = new Set([
  'ApiKey',
  'Port',
  'SslPort',
  'EnableSsl',
  'BindAddress',
  'UrlBase',
  'AuthenticationMethod',
  'AuthenticationRequired',
  'InstanceName',
  'LaunchBrowser',
  'Branch',
  'LogLevel',
  'ConsoleLogLevel',
  'LogSql',
  'LogRotate',
  'LogSizeLimit',
  'FilterSentryEvents',
  'AnalyticsEnabled',
  'UpdateMechanism',
  'UpdateAutomatically',
  'UpdateScriptPath',
  'SslCertPath',
  'SslCertPassword',
  'Theme',
  'TrustCgnatIpAddresses',
  'LogDbEnabled',
  'SyslogServer',
  'SyslogPort',
  'SyslogLevel',
  'PostgresHost',
  'PostgresPort',
  'PostgresUser',
  'PostgresPassword',
  'PostgresMainDb',
  'PostgresLogDb',
]);

/** 32 lowercase hex characters, like the GUID-without-dashes the apps generate. */
export const generateApiKey = () => randomBytes(16).toString('hex');

/**
 * @typedef {object} ArrConfig
 * @property {string} apiKey
 * @property {'none'|'basic'|'forms'|'external'} authenticationMethod
 * @property {'enabled'|'disabledForLocalAddresses'} authenticationRequired
 * @property {string} urlBase '' or '/x' (leading slash, no trailing slash)
 * @property {number} port
 * @property {string} bindAddress
 * @property {string} instanceName
 * @property {string | undefined} file the config.xml path, when there is a config dir
 * @property {Record<string, string>} values everything in the file
 */

/** @param {string | undefined} raw */
export function normaliseUrlBase(raw) {
  const trimmed = (raw ?? '').trim().replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}` : '';
}

/** @param {string | undefined} raw @param {string[]} allowed @param {string} fallback */
function enumValue(raw, allowed, fallback) {
  const found = allowed.find((a) => a.toLowerCase() === (raw ?? '').trim().toLowerCase());
  return found ?? fallback;
}

/**
 * Reads (creating/completing as the app does) `<configDir>/config.xml` and applies env overrides.
 * @param {{ appName: string, envPrefix: string, port: number, env?: Record<string, string | undefined>, configDir?: string, basicObsolete: boolean }} options
 * @returns {ArrConfig}
 */
export function loadArrConfig(options) {
  const env = options.env ?? {};
  const envValue = (/** @type {string} */ section, /** @type {string} */ key) => {
    const v = env[`${options.envPrefix}__${section}__${key}`];
    return v === undefined || v.trim() === '' ? undefined : v;
  };
  const file = options.configDir ? path.join(options.configDir, 'config.xml') : undefined;
  /** @type {Record<string, string>} */
  let values = {};
  if (file && existsSync(file)) values = parseConfigXml(readFileSync(file, 'utf8'));
  const before = JSON.stringify(values);
  values = Object.fromEntries(Object.entries(values).filter(([k]) => KNOWN_ELEMENTS.has(k)));

  /** @param {string} key @param {string} fallback */
  const getOrPersist = (key, fallback) => {
    if (values[key] === undefined) values[key] = fallback;
    return values[key];
  };
  const envKey = envValue('AUTH', 'APIKEY');
  let apiKey = envKey;
  if (!apiKey) {
    if (!values.ApiKey || values.ApiKey.trim() === '') values.ApiKey = generateApiKey();
    apiKey = values.ApiKey;
  }
  const port = Number(envValue('SERVER', 'PORT') ?? getOrPersist('Port', String(options.port)));
  const urlBase = normaliseUrlBase(envValue('SERVER', 'URLBASE') ?? getOrPersist('UrlBase', ''));
  const bindAddress = envValue('SERVER', 'BINDADDRESS') ?? getOrPersist('BindAddress', '*');
  const rawMethod = envValue('AUTH', 'METHOD') ?? values.AuthenticationMethod;
  /** @type {ArrConfig['authenticationMethod']} */
  let authenticationMethod = /** @type {any} */ (enumValue(rawMethod, ['none', 'basic', 'forms', 'external'], 'none'));
  if (authenticationMethod === 'basic' && options.basicObsolete) authenticationMethod = 'forms';
  const authenticationRequired = /** @type {ArrConfig['authenticationRequired']} */ (
    enumValue(envValue('AUTH', 'REQUIRED') ?? values.AuthenticationRequired, ['enabled', 'disabledForLocalAddresses'], 'enabled')
  );
  getOrPersist('SslPort', '9898');
  getOrPersist('EnableSsl', 'False');
  getOrPersist('LaunchBrowser', 'True');
  getOrPersist('Branch', 'master');
  getOrPersist('LogLevel', 'info');
  getOrPersist('UpdateMechanism', 'Docker');
  const instanceName = getOrPersist('InstanceName', options.appName);

  if (file && JSON.stringify(values) !== before) writeArrConfig(file, values);
  return { apiKey, authenticationMethod, authenticationRequired, urlBase, port, bindAddress, instanceName, file, values };
}

/** @param {string} file @param {Record<string, string>} values */
export function writeArrConfig(file, values) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, renderConfigXml(values));
}
