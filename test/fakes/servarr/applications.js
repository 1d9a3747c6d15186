// Prowlarr applications (API-NOTES §1.7): the Radarr/Sonarr/Lidarr implementations with their
// real fields and defaults, and the test Prowlarr runs on save — POST a Newznab indexer pointing
// at prowlarrUrl to the target's indexer/test with X-Api-Key, mapping the answer like Prowlarr.
import { callJson } from '../core/index.js';
import { failure, notEmpty } from './failures.js';

const CATEGORIES = {
  Radarr: [2000, 2010, 2020, 2030, 2040, 2045, 2050, 2060, 2070, 2080, 2090],
  Sonarr: [5000, 5010, 5020, 5030, 5040, 5045, 5050, 5090],
  Lidarr: [3000, 3010, 3030, 3040, 3050, 3060],
};
const TARGETS = {
  Radarr: { port: 7878, apiRoot: '/api/v3' },
  Sonarr: { port: 8989, apiRoot: '/api/v3' },
  Lidarr: { port: 8686, apiRoot: '/api/v1' },
};

/** @param {unknown} url */
const validUrl = (url) => typeof url === 'string' && /^https?:\/\/[^/\s:]+(:\d+)?(\/\S*)?$/i.test(url.trim());

/**
 * The indexer Prowlarr sends to test the target: a Newznab definition served by Prowlarr itself
 * under indexer id 0 (which Prowlarr answers with a canned test release).
 * @param {string} prowlarrUrl @param {string} prowlarrApiKey @param {number[]} categories
 */
function testIndexer(prowlarrUrl, prowlarrApiKey, categories) {
  return {
    name: 'Test (Prowlarr)',
    enableRss: true,
    enableAutomaticSearch: true,
    enableInteractiveSearch: true,
    priority: 25,
    implementation: 'Newznab',
    configContract: 'NewznabSettings',
    protocol: 'usenet',
    tags: [],
    fields: [
      { name: 'baseUrl', value: `${prowlarrUrl.replace(/\/+$/, '')}/0/` },
      { name: 'apiPath', value: '/api' },
      { name: 'apiKey', value: prowlarrApiKey },
      { name: 'categories', value: categories },
    ],
  };
}

/**
 * @param {'Radarr'|'Sonarr'|'Lidarr'} name
 * @param {{ resolve: (url: string) => string, prowlarrApiKey: () => string }} deps
 * @returns {import('./providers.js').Implementation}
 */
export function applicationImplementation(name, deps) {
  const target = TARGETS[name];
  /** @type {import('./providers.js').FieldSpec[]} */
  const fields = [
    {
      name: 'prowlarrUrl',
      label: 'Prowlarr Server',
      type: 'textbox',
      kind: 'string',
      default: 'http://localhost:9696',
      helpText: `Prowlarr server URL as ${name} sees it, including http(s)://, port, and urlbase if needed`,
    },
    {
      name: 'baseUrl',
      label: `${name} Server`,
      type: 'textbox',
      kind: 'string',
      default: `http://localhost:${target.port}`,
      helpText: `URL used to connect to ${name} server, including http(s)://, port, and urlbase if required`,
    },
    { name: 'apiKey', label: 'API Key', type: 'textbox', kind: 'string', default: null, privacy: 'apiKey' },
    { name: 'syncCategories', label: 'Sync Categories', type: 'select', kind: 'intArray', default: CATEGORIES[name], advanced: true },
    ...(name === 'Sonarr'
      ? /** @type {import('./providers.js').FieldSpec[]} */ ([
          {
            name: 'animeSyncCategories',
            label: 'Anime Sync Categories',
            type: 'select',
            kind: 'intArray',
            default: [5070],
            advanced: true,
          },
          {
            name: 'syncAnimeStandardFormatSearch',
            label: 'Sync Anime Standard Format Search',
            type: 'checkbox',
            kind: 'bool',
            default: true,
            advanced: true,
          },
        ])
      : []),
    {
      name: 'syncRejectBlocklistedTorrentHashesWhileGrabbing',
      label: 'Reject Blocklisted Torrent Hashes While Grabbing',
      type: 'checkbox',
      kind: 'bool',
      default: false,
      advanced: true,
    },
  ];

  /** @param {Record<string, any>} s */
  function validate(s) {
    const out = [];
    if (!validUrl(s.baseUrl)) out.push(failure('BaseUrl', `Invalid Url: '${s.baseUrl ?? ''}'`, { attemptedValue: s.baseUrl }));
    if (!validUrl(s.prowlarrUrl))
      out.push(failure('ProwlarrUrl', `Invalid Url: '${s.prowlarrUrl ?? ''}'`, { attemptedValue: s.prowlarrUrl }));
    if (!s.apiKey) out.push(notEmpty('ApiKey', s.apiKey ?? null));
    if (name === 'Radarr' && (!Array.isArray(s.syncCategories) || s.syncCategories.length === 0))
      out.push(notEmpty('SyncCategories', s.syncCategories));
    return out;
  }

  /** @param {Record<string, any>} s */
  async function test(s) {
    const url = `${deps.resolve(String(s.baseUrl).replace(/\/+$/, ''))}${target.apiRoot}/indexer/test`;
    const res = await callJson(url, {
      method: 'POST',
      headers: { 'X-Api-Key': String(s.apiKey) },
      body: testIndexer(String(s.prowlarrUrl), deps.prowlarrApiKey(), s.syncCategories ?? CATEGORIES[name]),
      timeoutMs: 15000,
    });
    if (res.error) return [failure('BaseUrl', `Unable to complete application test, cannot connect to ${name}. ${res.error}`)];
    if (res.status === 401) return [failure('ApiKey', 'API Key is invalid')];
    if (res.status === 400) return [failure('ProwlarrUrl', `Prowlarr URL is invalid, ${name} cannot connect to Prowlarr`)];
    if (res.status === 303 || res.status === 307)
      return [failure('BaseUrl', `${name} returned redirect and is invalid. The ${name} URL is missing a URL base.`)];
    if (res.status === 404)
      return [failure('BaseUrl', `${name} URL is invalid, Prowlarr cannot connect to ${name}. Is ${name} running and accessible?`)];
    if (res.status < 200 || res.status >= 300)
      return [failure('BaseUrl', `Unable to complete application test, cannot connect to ${name}. HTTP ${res.status}`)];
    if (!res.headers['x-application-version']) return [failure('', `Failed to fetch ${name} version`)];
    return [];
  }

  return {
    implementation: name,
    implementationName: name,
    configContract: `${name}Settings`,
    infoLink: `https://wiki.servarr.com/prowlarr/supported#${name.toLowerCase()}`,
    fields,
    validate,
    test,
  };
}
