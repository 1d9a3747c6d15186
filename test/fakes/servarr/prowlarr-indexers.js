// Prowlarr's own indexers (`/api/v1/indexer`): the Newznab implementation with its settings and
// the preset definitions /schema lists, the top-level rules of IndexerController, and the test
// Prowlarr runs on create (the indexer's caps, then a search). Verified against the real app's
// source (Prowlarr 2.x): Indexers/Definitions/Newznab/Newznab.cs (DefaultDefinitions, Test),
// NewznabSettings.cs, IndexerBaseSettings.cs, HttpIndexerBase.TestConnection (messages),
// NewznabRssParser.CheckError (error codes 100–199 = credentials), Prowlarr.Api.V1/Indexers/
// IndexerController.cs (AppProfileId, Priority 1–50, Redirect for Usenet), IndexerFactory.
// GetDefaultDefinitions (a flat list: one entry per preset, "Generic Newznab" for the bare one).
import { callJson } from '../core/index.js';
import { failure } from './failures.js';

/** name, base URL and advertised categories of some presets as Newznab.DefaultDefinitions has them. */
const PRESETS = [
  ['DrunkenSlug', 'https://drunkenslug.com', [1000, 2000, 3000, 4000, 5000, 6000, 7000]],
  ['NZBFinder', 'https://nzbfinder.ws', [2000, 3000, 5000, 6000, 7000]],
  ['NZBgeek', 'https://api.nzbgeek.info', [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000]],
  ['NzbPlanet', 'https://api.nzbplanet.net', [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000]],
  ['Generic Newznab', '', []],
];
const CATEGORY_NAMES = {
  1000: 'Console',
  2000: 'Movies',
  3000: 'Audio',
  4000: 'PC',
  5000: 'TV',
  6000: 'XXX',
  7000: 'Books',
  8000: 'Other',
};

/** @param {number} id */
const categoryName = (id) => CATEGORY_NAMES[/** @type {keyof typeof CATEGORY_NAMES} */ (id)] ?? String(id);

/** The resource's capabilities for these category ids (parents x000 with their subcategories). @param {number[]} ids */
const capabilities = (ids) => ({
  id: 0,
  limitsMax: 100,
  limitsDefault: 100,
  categories: ids
    .filter((id) => id % 1000 === 0)
    .map((id) => ({
      id,
      name: categoryName(id),
      subCategories: ids
        .filter((sub) => sub !== id && Math.floor(sub / 1000) * 1000 === id)
        .map((sub) => ({ id: sub, name: `${categoryName(id)}/${sub}`, subCategories: [] })),
    })),
  supportsRawSearch: false,
  searchParams: ['q'],
  tvSearchParams: ['q', 'season', 'ep'],
  movieSearchParams: ['q', 'imdbId'],
  musicSearchParams: ['q'],
  bookSearchParams: [],
});

const ROOT_URL = /^https?:\/\/[^/\s:]+(:\d+)?\/?[^\s]*$/i;
const DNS_HINT =
  "Unable to connect to indexer. This is typically caused by DNS/SSL issues. Check DNS settings, ensure IPv6 is working or disabled, consider using different DNS servers, or try a VPN/proxy if needed. See: 'https://wiki.servarr.com/prowlarr/troubleshooting#dns-ssl-connection-issues' ";

/**
 * Every category id (parents and subcategories) a caps document advertises.
 * @param {string} xml
 */
const capsCategoryIds = (xml) => [...xml.matchAll(/<(?:category|subcat)\s[^>]*\bid="(\d+)"/g)].map((m) => Number(m[1]));

/** The error a Newznab XML answer carries, if any. @param {string} xml */
const newznabError = (xml) => {
  const m = /<error\s+code="(\d+)"\s+description="([^"]*)"/.exec(xml);
  return m ? { code: Number(m[1]), description: m[2] } : undefined;
};

/**
 * @param {{ resolve: (url: string) => string }} deps
 * @returns {import('./providers.js').Implementation}
 */
export function newznabIndexer(deps) {
  /** @type {import('./providers.js').FieldSpec[]} */
  const fields = [
    { name: 'baseUrl', label: 'URL', type: 'textbox', kind: 'string', default: null },
    {
      name: 'apiPath',
      label: 'API Path',
      type: 'textbox',
      kind: 'string',
      default: '/api',
      advanced: true,
      helpText: 'Path to the api, usually /api',
    },
    { name: 'apiKey', label: 'API Key', type: 'textbox', kind: 'string', default: null, privacy: 'apiKey' },
    { name: 'additionalParameters', label: 'Additional Parameters', type: 'textbox', kind: 'string', default: null, advanced: true },
    { name: 'vipExpiration', label: 'VIP Expiration', type: 'textbox', kind: 'string', default: '' },
    { name: 'baseSettings.queryLimit', label: 'Query Limit', type: 'number', kind: 'int', default: null, advanced: true },
    { name: 'baseSettings.grabLimit', label: 'Grab Limit', type: 'number', kind: 'int', default: null, advanced: true },
    { name: 'baseSettings.limitsUnit', label: 'Limits Unit', type: 'select', kind: 'int', default: 0, advanced: true },
  ];

  /** @param {Record<string, any>} s */
  function validate(s) {
    const out = [];
    if (typeof s.baseUrl !== 'string' || !ROOT_URL.test(s.baseUrl.trim()))
      out.push(failure('BaseUrl', `Invalid Url: '${s.baseUrl ?? ''}'`, { attemptedValue: s.baseUrl }));
    if (s.apiPath && !/^\/[^\s]*$/.test(s.apiPath))
      out.push(failure('ApiPath', `Invalid path: '${s.apiPath}'`, { attemptedValue: s.apiPath }));
    for (const key of ['queryLimit', 'grabLimit']) {
      const v = s[`baseSettings.${key}`];
      if (v !== null && v !== undefined && v <= 0)
        out.push(
          failure(`BaseSettings.${key.charAt(0).toUpperCase()}${key.slice(1)}`, 'Should be greater than zero', { attemptedValue: v }),
        );
    }
    return out;
  }

  /**
   * HttpIndexerBase.TestConnection: the search request (built from the caps) must return releases.
   * The caps' categories are kept on the definition: application sync offers only those.
   * @param {Record<string, any>} s @param {import('./providers.js').Definition} def
   */
  async function test(s, def) {
    const root = `${deps.resolve(String(s.baseUrl).trim()).replace(/\/+$/, '')}${String(s.apiPath ?? '/api').replace(/\/+$/, '')}`;
    const key = s.apiKey ? `&apikey=${encodeURIComponent(s.apiKey)}` : '';
    const caps = await callJson(`${root}?t=caps${key}`, { timeoutMs: 5000 });
    if (caps.error) return [failure('', `${DNS_HINT}${caps.error}`)];
    const fail = answerFailure(caps);
    if (fail) return [fail];
    def.top.capabilities = capabilities(capsCategoryIds(caps.text));
    const search = await callJson(`${root}?t=search&extended=1${key}&limit=100&offset=0`, { timeoutMs: 5000 });
    if (search.error) return [failure('', `${DNS_HINT}${search.error}`)];
    const searchFail = answerFailure(search);
    if (searchFail) return [searchFail];
    if (!search.text.includes('<item')) {
      return [
        failure(
          '',
          'Query successful, but no results were returned from your indexer. This may be an issue with the indexer, your indexer category settings, or other indexer settings such as search freeleech only etc. See the FAQ for details.',
        ),
      ];
    }
    return [];
  }

  return {
    implementation: 'Newznab',
    implementationName: 'Newznab',
    configContract: 'NewznabSettings',
    infoLink: 'https://wiki.servarr.com/prowlarr/supported-indexers#newznab',
    fields,
    validate,
    test,
    resourceExtras: {
      definitionName: 'Newznab',
      description: 'Newznab is an API search specification for Usenet',
      protocol: 'usenet',
      privacy: 'private',
      supportsRss: true,
      supportsSearch: true,
      supportsRedirect: true,
      supportsPagination: true,
      indexerUrls: [''],
      legacyUrls: [],
    },
  };
}

/** @param {{ status: number, text: string }} res */
function answerFailure(res) {
  const error = res.status === 200 ? newznabError(res.text) : undefined;
  if (error && error.code >= 100 && error.code <= 199)
    return failure('', `Indexer returned result for RSS URL, Credentials appears to be invalid. Response: ${error.description}`);
  if (error) return failure('', `Unable to connect to indexer. ${error.description}`);
  if (res.status >= 500)
    return failure(
      '',
      `Unable to connect to indexer, indexer's server is unavailable. Try again later. HTTP request failed: [${res.status}]`,
    );
  if (res.status !== 200)
    return failure(
      '',
      `Unable to connect to indexer, check the log above the ValidationFailure for more details. HTTP request failed: [${res.status}]`,
    );
  return undefined;
}

/**
 * /schema: one entry per preset; each carries the preset's base URL and categories.
 * @param {Record<string, any>} template
 */
export function indexerTemplates(template) {
  return PRESETS.map(([name, url, cats]) => ({
    ...template,
    name,
    fields: template.fields.map((/** @type {any} */ f) => (f.name === 'baseUrl' ? { ...f, value: url } : f)),
    capabilities: capabilities(/** @type {number[]} */ (cats)),
    sortName: String(name)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, ''),
  }));
}

/**
 * IndexerController's SharedValidator and Validate(): AppProfileId must name a profile, Priority
 * 1–50, and an enabled Usenet indexer must keep Redirect on.
 * @param {() => { id: number }[]} profiles
 */
export const indexerTopRules = (profiles) => (/** @type {Record<string, any>} */ top) => {
  const out = [];
  if (!(top.appProfileId > 0))
    out.push(
      failure('AppProfileId', "'App Profile Id' must be greater than '0'.", {
        attemptedValue: top.appProfileId,
        errorCode: 'GreaterThanValidator',
      }),
    );
  else if (!profiles().some((p) => p.id === top.appProfileId))
    out.push(failure('AppProfileId', 'App Profile does not exist', { attemptedValue: top.appProfileId }));
  if (!(top.priority >= 1 && top.priority <= 50))
    out.push(
      failure('Priority', `'Priority' must be between 1 and 50. You entered ${top.priority}.`, {
        attemptedValue: top.priority,
        errorCode: 'InclusiveBetweenValidator',
      }),
    );
  if (top.enable === true && top.redirect !== true) out.push(failure('Redirect', 'Redirect must be enabled for Usenet indexers'));
  return out;
};

/**
 * Every category id an indexer's capabilities hold, parents and subcategories.
 * @param {any} caps
 * @returns {number[]}
 */
export const categoryIds = (caps) =>
  (caps?.categories ?? []).flatMap((/** @type {any} */ c) => [c.id, ...(c.subCategories ?? []).map((/** @type {any} */ s) => s.id)]);
