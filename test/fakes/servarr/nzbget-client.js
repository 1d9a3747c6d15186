// The NZBGet download client of each *arr app (API-NOTES §1.5, traps 2, 4, 5): per-app fields and
// defaults, settings validation, and the live test against the real NZBGet JSON-RPC — `version`
// (auth failure → Username, anything else → Host), then `config`: the category must equal some
// CategoryN.Name exactly (read until the first missing N), KeepHistory must be 1–25000.
import { callJson } from '../core/index.js';
import { failure } from './failures.js';

const PRIORITY_HELP = 'Priority to use when grabbing items';

/**
 * Per-app differences: the category/priority field names and whether username/password default.
 * @type {Record<string, { category: string, categoryDefault: string, priorities: string[], credentials: boolean, infoLink: string }>}
 */
const PER_APP = {
  radarr: {
    category: 'movieCategory',
    categoryDefault: 'Movies',
    priorities: ['recentMoviePriority', 'olderMoviePriority'],
    credentials: true,
    infoLink: 'https://wiki.servarr.com/radarr/supported#nzbget',
  },
  sonarr: {
    category: 'tvCategory',
    categoryDefault: 'tv',
    priorities: ['recentTvPriority', 'olderTvPriority'],
    credentials: false,
    infoLink: 'https://wiki.servarr.com/sonarr/supported#nzbget',
  },
  lidarr: {
    category: 'musicCategory',
    categoryDefault: 'Music',
    priorities: ['recentMusicPriority', 'olderMusicPriority'],
    credentials: true,
    infoLink: 'https://wiki.servarr.com/lidarr/supported#nzbget',
  },
  prowlarr: {
    category: 'category',
    categoryDefault: 'Prowlarr',
    priorities: ['priority'],
    credentials: true,
    infoLink: 'https://wiki.servarr.com/prowlarr/supported#nzbget',
  },
};

/** @param {string} name */
const pascal = (name) => name.charAt(0).toUpperCase() + name.slice(1);

/** RFC-1123-ish host names and IP literals, like the apps' ValidHost rule. */
/** @param {unknown} host */
const validHost = (host) =>
  typeof host === 'string' &&
  host.trim() !== '' &&
  /^(\[[0-9a-fA-F:.]+\]|[0-9a-fA-F:]+:[0-9a-fA-F:.]*|[A-Za-z0-9]([A-Za-z0-9-_.]*[A-Za-z0-9])?)$/.test(host.trim());

/**
 * One JSON-RPC call to NZBGet the way NzbgetProxy makes it.
 * @param {Record<string, any>} s settings
 * @param {(url: string) => string} resolve
 * @param {string} method
 */
export async function nzbgetRpc(s, resolve, method) {
  const scheme = s.useSsl ? 'https' : 'http';
  const root = resolve(`${scheme}://${s.host}:${s.port}`).replace(/\/$/, '');
  const urlBase = s.urlBase ? `/${String(s.urlBase).replace(/^\/+|\/+$/g, '')}` : '';
  /** @type {Record<string, string>} */
  const headers = {};
  if (s.username || s.password)
    headers.Authorization = `Basic ${Buffer.from(`${s.username ?? ''}:${s.password ?? ''}`).toString('base64')}`;
  return callJson(`${root}${urlBase}/jsonrpc`, { method: 'POST', headers, body: { method, params: [], id: 1 }, timeoutMs: 5000 });
}

/**
 * @param {'radarr'|'sonarr'|'lidarr'|'prowlarr'} app
 * @param {(url: string) => string} resolve
 * @returns {import('./providers.js').Implementation}
 */
export function nzbgetImplementation(app, resolve) {
  const per = /** @type {(typeof PER_APP)['radarr']} */ (PER_APP[app]);
  /** @type {import('./providers.js').FieldSpec[]} */
  const fields = [
    { name: 'host', label: 'Host', type: 'textbox', kind: 'string', default: 'localhost' },
    { name: 'port', label: 'Port', type: 'textbox', kind: 'int', default: 6789 },
    { name: 'useSsl', label: 'Use SSL', type: 'checkbox', kind: 'bool', default: false },
    { name: 'urlBase', label: 'URL Base', type: 'textbox', kind: 'string', default: null, advanced: true },
    {
      name: 'username',
      label: 'Username',
      type: 'textbox',
      kind: 'string',
      default: per.credentials ? 'nzbget' : null,
      privacy: 'userName',
    },
    {
      name: 'password',
      label: 'Password',
      type: 'password',
      kind: 'string',
      default: per.credentials ? 'tegbzn6789' : null,
      privacy: 'password',
    },
    { name: per.category, label: 'Category', type: 'textbox', kind: 'string', default: per.categoryDefault },
    ...per.priorities.map(
      (name) =>
        /** @type {import('./providers.js').FieldSpec} */ ({
          name,
          label: pascal(name),
          type: 'select',
          kind: 'int',
          default: 0,
          helpText: PRIORITY_HELP,
        }),
    ),
    { name: 'addPaused', label: 'Add Paused', type: 'checkbox', kind: 'bool', default: false },
  ];

  /** @param {Record<string, any>} s */
  function validate(s) {
    const out = [];
    if (!validHost(s.host))
      out.push(failure('Host', `'${s.host ?? ''}' is not a valid hostname or IP address`, { attemptedValue: s.host }));
    if (!(Number.isInteger(s.port) && s.port >= 1 && s.port <= 65535))
      out.push(failure('Port', `'Port' must be between 1 and 65535. You entered ${s.port}.`, { attemptedValue: s.port }));
    if (s.urlBase && !/^\/?[\w\-./]*$/.test(s.urlBase)) out.push(failure('UrlBase', 'Invalid URL base', { attemptedValue: s.urlBase }));
    if (s.password && !s.username) out.push(failure('Username', "'Username' must not be empty.", { attemptedValue: s.username }));
    if (s.username && !s.password) out.push(failure('Password', "'Password' must not be empty.", { attemptedValue: '' }));
    if (app !== 'prowlarr' && !s[per.category])
      out.push(failure(pascal(per.category), 'A category is recommended', { warning: true, attemptedValue: s[per.category] }));
    return out;
  }

  /** @param {Record<string, any>} s @param {import('./providers.js').Definition} def */
  async function test(s, def) {
    const version = await nzbgetRpc(s, resolve, 'version');
    if (version.status === 401) return [failure('Username', 'Authentication failed')];
    if (version.status !== 200 || typeof version.body?.result !== 'string') {
      const why = version.error ?? (version.body?.error?.message || `HTTP ${version.status}`);
      return [failure('Host', 'Unable to connect to NZBGet', { detailedDescription: why })];
    }
    const [major] = version.body.result.split(/[.-]/).map(Number);
    if (!(Number(major) >= 12)) return [failure('', 'Nzbget version too low, need 12.0 or higher')];

    const config = await nzbgetRpc(s, resolve, 'config');
    if (config.status !== 200 || !Array.isArray(config.body?.result))
      throw new Error(`NZBGet config call failed: ${config.error ?? `HTTP ${config.status}`}`);
    /** @type {Map<string, string>} */
    const options = new Map(config.body.result.map((/** @type {{ Name: string, Value: string }} */ o) => [o.Name, o.Value]));
    const categories = [];
    for (let i = 1; options.has(`Category${i}.Name`); i += 1) categories.push(options.get(`Category${i}.Name`));

    const out = [];
    const wanted =
      app === 'prowlarr'
        ? (def.top.categories ?? []).map((/** @type {{ clientCategory: string }} */ c) => c.clientCategory).filter(Boolean)
        : s[per.category]
          ? [s[per.category]]
          : [];
    for (const category of wanted) {
      if (!categories.includes(category)) {
        out.push(
          failure(app === 'prowlarr' ? 'ClientCategory' : pascal(per.category), 'Category does not exist', {
            attemptedValue: category,
            infoLink: per.infoLink,
            detailedDescription: "The category you entered doesn't exist in NZBGet. Go to NZBGet to create it.",
          }),
        );
      }
    }
    const keepHistory = Number.parseInt(options.get('KeepHistory') ?? '7', 10);
    if (!Number.isInteger(keepHistory) || keepHistory === 0) {
      out.push(
        failure('', 'NzbGet setting KeepHistory should be greater than 0', {
          infoLink: per.infoLink,
          detailedDescription: `NzbGet setting KeepHistory is set to 0. Which prevents ${pascal(app)} from seeing completed downloads.`,
        }),
      );
    } else if (keepHistory > 25000) {
      out.push(
        failure('', 'NzbGet setting KeepHistory should be less than 25000', {
          infoLink: per.infoLink,
          detailedDescription: `NzbGet setting KeepHistory is set too high.`,
        }),
      );
    }
    return out;
  }

  return {
    implementation: 'Nzbget',
    implementationName: 'NZBGet',
    configContract: 'NzbgetSettings',
    infoLink: per.infoLink,
    fields,
    validate,
    test,
    resourceExtras: app === 'prowlarr' ? { protocol: 'usenet', supportsCategories: true } : { protocol: 'usenet' },
  };
}
