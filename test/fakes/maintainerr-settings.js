// The settings row of the Maintainerr v3 fake: defaults, body validation, normalisation and the
// masked public view.
// Verified against a real server: Maintainerr 3.24.0 built from its source (Maintainerr/Maintainerr
// v3.24.0: packages/contracts/src/app/maskSecret.ts, packages/contracts/src/settings/serviceUrl.ts
// and settings.ts, apps/server/src/modules/settings/settings-data.service.ts getPublicSettings,
// settings-operations.service.ts updateSettings / updateSeerrSetting, entities/settings.entities.ts).
import { randomUUID } from 'node:crypto';

const SERVER_TYPES = ['plex', 'jellyfin', 'emby'];
/** Keys PATCH/POST /api/settings accept; anything else is stripped like zod's default object. */
const SETTINGS_KEYS = [
  'applicationTitle',
  'applicationUrl',
  'apikey',
  'locale',
  'media_server_type',
  'plex_name',
  'plex_hostname',
  'plex_port',
  'plex_ssl',
  'plex_auth_token',
  'seerr_url',
  'seerr_api_key',
  'tautulli_url',
  'tautulli_api_key',
  'jellyfin_url',
  'jellyfin_api_key',
  'jellyfin_user_id',
  'jellyfin_server_name',
  'emby_url',
  'emby_api_key',
  'emby_user_id',
  'emby_server_name',
  'collection_handler_job_cron',
  'rules_handler_job_cron',
];
const URL_KEYS = ['seerr_url', 'tautulli_url', 'jellyfin_url', 'emby_url'];
const STRING_KEYS = SETTINGS_KEYS.filter((k) => !URL_KEYS.includes(k) && !['media_server_type', 'plex_port', 'plex_ssl'].includes(k));
/** What `GET /api/settings` masks; the Seerr key is whole only under `GET /api/settings/seerr`. */
const MASKED_KEYS = ['plex_auth_token', 'seerr_api_key', 'tautulli_api_key', 'jellyfin_api_key', 'emby_api_key'];

export { SERVER_TYPES };

/** @typedef {{ path: string[], message: string, code?: string, expected?: string }} Issue */

export function defaultSettings() {
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
    // The column defaults to 32400; plex_ssl has no default, so a fresh row has null.
    plex_port: /** @type {number | null} */ (32400),
    plex_ssl: /** @type {number | null} */ (null),
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

/** More than 6 characters: the first 3 + `...` + the last 3; 1 to 6: `****`. @param {string | null | undefined} value */
export function maskSecret(value) {
  if (value === null || value === undefined) return null;
  if (value === '') return '';
  return value.length <= 6 ? '****' : `${value.slice(0, 3)}...${value.slice(-3)}`;
}

/** @param {Record<string, any>} settings */
export function publicSettings(settings) {
  return { ...settings, ...Object.fromEntries(MASKED_KEYS.map((k) => [k, maskSecret(settings[k])])) };
}

/**
 * A service URL as the shared schema takes it: trimmed, trailing `/`s removed, then a
 * case-sensitive scheme check (`HTTP://x` is refused). Case is kept; some callers lower-case.
 * @param {unknown} value @param {string} key @returns {{ url?: string, issue?: Issue }}
 */
export function serviceUrl(value, key) {
  if (typeof value !== 'string') return { issue: typeIssue(key, 'string', value) };
  const url = value.trim().replace(/\/+$/, '');
  if (!url.startsWith('http://') && !url.startsWith('https://'))
    return { issue: { code: 'custom', path: [key], message: 'Must start with http:// or https://' } };
  return { url };
}

/** zod 4's wording for a value of the wrong type. @param {string} key @param {string} expected @param {unknown} value @returns {Issue} */
function typeIssue(key, expected, value) {
  const received = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return { code: 'invalid_type', expected, path: [key], message: `Invalid input: expected ${expected}, received ${received}` };
}

/** @param {Record<string, any>} patch @param {string} key @param {number} min @param {number} max @returns {Issue | undefined} */
function intIssue(patch, key, min, max) {
  const v = patch[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number') return typeIssue(key, 'number', v);
  if (!Number.isInteger(v))
    return { code: 'invalid_type', expected: 'int', path: [key], message: 'Invalid input: expected int, received number' };
  if (v < min) return { code: 'too_small', path: [key], message: `Too small: expected number to be >=${min}` };
  if (v > max) return { code: 'too_big', path: [key], message: `Too big: expected number to be <=${max}` };
  return undefined;
}

/**
 * The accepted keys of a PATCH/POST /api/settings body, normalised like the schema does, or the
 * issues that make it a 400.
 * @param {unknown} body @returns {{ patch: Record<string, any>, issues: Issue[] }}
 */
export function parseSettingsPatch(body) {
  const b = /** @type {Record<string, any>} */ (body && typeof body === 'object' && !Array.isArray(body) ? body : {});
  const patch = Object.fromEntries(Object.entries(b).filter(([k]) => SETTINGS_KEYS.includes(k)));
  /** @type {Issue[]} */
  const issues = [];
  for (const k of URL_KEYS) {
    if (patch[k] === undefined) continue;
    const { url, issue } = serviceUrl(patch[k], k);
    if (issue) issues.push(issue);
    else patch[k] = url;
  }
  for (const k of STRING_KEYS) {
    if (patch[k] === undefined) continue;
    if (typeof patch[k] === 'string') patch[k] = patch[k].trim();
    else issues.push(typeIssue(k, 'string', patch[k]));
  }
  for (const issue of [intIssue(patch, 'plex_port', 1, 65535), intIssue(patch, 'plex_ssl', 0, 1)]) if (issue) issues.push(issue);
  const type = patch.media_server_type;
  if (type !== undefined && type !== null && !SERVER_TYPES.includes(type)) {
    issues.push({
      code: 'invalid_value',
      path: ['media_server_type'],
      message: 'Invalid option: expected one of "plex"|"jellyfin"|"emby"',
    });
  }
  return { patch, issues };
}

/**
 * Host, port and ssl as stored: the host lower-cased without its scheme; only a scheme or port 443
 * says anything about TLS, otherwise the given ssl (null → 0) stays.
 * @param {{ plex_hostname?: string | null, plex_port?: number | null, plex_ssl?: number | null }} s
 */
export function normalisePlex(s) {
  const input = s.plex_hostname?.trim().toLowerCase();
  const hostname = input?.replace(/^https?:\/\//, '') ?? s.plex_hostname;
  const ssl = input?.startsWith('https://') || s.plex_port === 443 ? 1 : input?.startsWith('http://') ? 0 : (s.plex_ssl ?? 0);
  return { plex_hostname: hostname, plex_port: s.plex_port, plex_ssl: ssl };
}

/**
 * Whether a save changes the Plex server; only asked once Plex is the selected media server.
 * @param {Record<string, any>} stored @param {Record<string, any>} merged
 */
export function changesPlexServer(stored, merged) {
  if ((merged.media_server_type ?? stored.media_server_type) !== 'plex') return false;
  const [a, b] = [normalisePlex(stored), normalisePlex(merged)];
  return (
    stored.plex_name !== merged.plex_name || a.plex_hostname !== b.plex_hostname || a.plex_port !== b.plex_port || a.plex_ssl !== b.plex_ssl
  );
}
