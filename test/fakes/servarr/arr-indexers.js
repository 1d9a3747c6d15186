// The Newznab and Torznab indexers of Radarr/Sonarr/Lidarr (`/indexer`, the resource Prowlarr's
// sync writes): their settings with the constructor defaults, the settings rules and the feed
// test on save. Verified against the real app's source: Radarr src/NzbDrone.Core/Indexers/
// Newznab/NewznabSettings.cs (fields, defaults, "'Categories' must be provided"), Prowlarr's
// Applications/Radarr/Radarr.cs (it reads Newznab and Torznab from /indexer/schema, so both must
// be there). Sonarr (anime categories) and Lidarr (early release limit) per their settings classes.
import { failure } from './failures.js';
import { feedTest } from './indexer-test.js';

/** @type {Record<'radarr'|'sonarr'|'lidarr', number[]>} */
const CATEGORIES = { radarr: [2000, 2010, 2020, 2030, 2040, 2045, 2050, 2060], sonarr: [5030, 5040], lidarr: [3000, 3010, 3030, 3040] };

/**
 * @param {'radarr'|'sonarr'|'lidarr'} app
 * @param {'usenet'|'torrent'} protocol
 * @returns {import('./providers.js').FieldSpec[]}
 */
function fieldsFor(app, protocol) {
  /** @type {import('./providers.js').FieldSpec[]} */
  const out = [
    { name: 'baseUrl', label: 'URL', type: 'textbox', kind: 'string', default: null },
    { name: 'apiPath', label: 'API Path', type: 'textbox', kind: 'string', default: '/api', advanced: true },
    { name: 'apiKey', label: 'API Key', type: 'textbox', kind: 'string', default: null, privacy: 'apiKey' },
    { name: 'categories', label: 'Categories', type: 'select', kind: 'intArray', default: CATEGORIES[app] },
  ];
  if (app === 'sonarr') {
    out.push({ name: 'animeCategories', label: 'Anime Categories', type: 'select', kind: 'intArray', default: [] });
    out.push({ name: 'animeStandardFormatSearch', label: 'Anime Standard Format Search', type: 'checkbox', kind: 'bool', default: false });
  }
  if (app === 'lidarr')
    out.push({ name: 'earlyReleaseLimit', label: 'Early Download Limit', type: 'number', kind: 'int', default: null, advanced: true });
  out.push({
    name: 'additionalParameters',
    label: 'Additional Parameters',
    type: 'textbox',
    kind: 'string',
    default: null,
    advanced: true,
  });
  if (app !== 'lidarr')
    out.push({ name: 'multiLanguages', label: 'Multi Languages', type: 'select', kind: 'intArray', default: [], advanced: true });
  if (app === 'radarr')
    out.push({ name: 'removeYear', label: 'Remove Year', type: 'checkbox', kind: 'bool', default: false, advanced: true });
  if (protocol === 'torrent') {
    out.push(
      { name: 'minimumSeeders', label: 'Minimum Seeders', type: 'number', kind: 'int', default: 1, advanced: true },
      { name: 'seedCriteria.seedRatio', label: 'Seed Ratio', type: 'textbox', kind: 'number', default: null },
      { name: 'seedCriteria.seedTime', label: 'Seed Time', type: 'number', kind: 'int', default: null, advanced: true },
      {
        name: 'rejectBlocklistedTorrentHashesWhileGrabbing',
        label: 'Reject Blocklisted Torrent Hashes While Grabbing',
        type: 'checkbox',
        kind: 'bool',
        default: false,
        advanced: true,
      },
    );
  }
  return out;
}

/** @param {'radarr'|'sonarr'|'lidarr'} app @param {Record<string, any>} s */
function validate(app, s) {
  const out = [];
  const none = (/** @type {unknown} */ v) => !Array.isArray(v) || v.length === 0;
  if (app === 'sonarr' ? none(s.categories) && none(s.animeCategories) : none(s.categories)) {
    out.push(
      failure('', app === 'sonarr' ? "Either 'Categories' or 'Anime Categories' must be provided" : "'Categories' must be provided"),
    );
  }
  if (typeof s.baseUrl !== 'string' || !/^https?:\/\/[^/\s:]+(:\d+)?(\/\S*)?$/i.test(s.baseUrl.trim()))
    out.push(failure('BaseUrl', `Invalid Url: '${s.baseUrl ?? ''}'`, { attemptedValue: s.baseUrl }));
  if (s.apiPath && !/^\/\S*$/.test(s.apiPath)) out.push(failure('ApiPath', `Invalid path: '${s.apiPath}'`, { attemptedValue: s.apiPath }));
  return out;
}

/**
 * @param {'radarr'|'sonarr'|'lidarr'} app
 * @param {import('./base.js').ArrContext} ctx
 * @returns {import('./providers.js').Implementation[]}
 */
export function arrIndexerImplementations(app, ctx) {
  const test = feedTest(ctx);
  const docs = `https://wiki.servarr.com/${app}/supported#`;
  return [
    {
      implementation: 'Newznab',
      implementationName: 'Newznab',
      configContract: 'NewznabSettings',
      infoLink: `${docs}newznab`,
      fields: fieldsFor(app, 'usenet'),
      validate: (s) => validate(app, s),
      test,
      resourceExtras: { protocol: 'usenet', supportsRss: true, supportsSearch: true },
    },
    {
      implementation: 'Torznab',
      implementationName: 'Torznab',
      configContract: 'TorznabSettings',
      infoLink: `${docs}torznab`,
      fields: fieldsFor(app, 'torrent'),
      validate: (s) => validate(app, s),
      test,
      resourceExtras: { protocol: 'torrent', supportsRss: true, supportsSearch: true },
    },
  ];
}

/** The indexer resource's top level (IndexerResource; priority 1–50 as IndexerController checks it). */
export const ARR_INDEXER_TOP = {
  topDefaults: { enableRss: true, enableAutomaticSearch: true, enableInteractiveSearch: true, priority: 25, downloadClientId: 0 },
  topFields: {
    enableRss: 'bool',
    enableAutomaticSearch: 'bool',
    enableInteractiveSearch: 'bool',
    priority: 'int',
    downloadClientId: 'int',
  },
  enabled: (/** @type {Record<string, any>} */ top) =>
    top.enableRss === true || top.enableAutomaticSearch === true || top.enableInteractiveSearch === true,
  validateTop: (/** @type {Record<string, any>} */ top) =>
    top.priority >= 1 && top.priority <= 50
      ? []
      : [
          failure('Priority', `'Priority' must be between 1 and 50. You entered ${top.priority}.`, {
            attemptedValue: top.priority,
            errorCode: 'InclusiveBetweenValidator',
          }),
        ],
  retestEveryPut: false,
};
