// *arr Connect notifications (`/notification`), implementation PlexServer ("Plex Media Server"):
// its settings with the constructor defaults, the settings rules, and the test that runs when an
// enabled notification is saved — the app asks Plex for its library sections with the token and
// needs one of its own kind. Verified against the real app's source (Radarr): NzbDrone.Core/
// Notifications/Plex/Server/PlexServerSettings.cs (fields, defaults, Host/Port/MapFrom/MapTo
// rules), PlexServerService.Test (messages), PlexServerProxy.cs (GET /library/sections with
// X-Plex-Token as a query parameter and Accept: application/json; 401 → authentication error),
// NotificationDefinition.Enable (any event flag; "on upgrade" only together with "on import"),
// Localization/Core/en.json. Sonarr answers "At least one TV library is required" (Sonarr's
// PlexServerService, localized like Radarr's); Lidarr's PlexServerService is not localized and
// says "At least one Music library is required" / "Invalid authentication token". The event
// flags per app come from each app's OpenAPI NotificationResource.
import { callJson, loadSpec } from '../core/index.js';
import { failure, notEmpty } from './failures.js';

/** @type {Record<'radarr'|'sonarr'|'lidarr', { product: string, section: string, noLibrary: string, badToken: string, spec: string, importFlag: string }>} */
const APPS = {
  radarr: {
    product: 'Radarr',
    section: 'movie',
    noLibrary: 'At least one Movie library is required',
    badToken: 'Authentication Token is invalid',
    spec: 'radarr-v3.openapi.json',
    importFlag: 'onDownload',
  },
  sonarr: {
    product: 'Sonarr',
    section: 'show',
    noLibrary: 'At least one TV library is required',
    badToken: 'Authentication Token is invalid',
    spec: 'sonarr-v3.openapi.json',
    importFlag: 'onDownload',
  },
  lidarr: {
    product: 'Lidarr',
    section: 'artist',
    noLibrary: 'At least one Music library is required',
    badToken: 'Invalid authentication token',
    spec: 'lidarr-v1.openapi.json',
    importFlag: 'onReleaseImport',
  },
};
/** Events a Plex Media Server notification reacts to (PlexServer overrides these handlers). */
const PLEX_EVENTS = [
  'onDownload',
  'onReleaseImport',
  'onUpgrade',
  'onRename',
  'onMovieDelete',
  'onMovieFileDelete',
  'onMovieFileDeleteForUpgrade',
  'onSeriesDelete',
  'onEpisodeFileDelete',
  'onEpisodeFileDeleteForUpgrade',
  'onArtistDelete',
  'onAlbumDelete',
  'onTrackRetag',
];
const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;

/** @type {Map<string, string[]>} */
const flagsBySpec = new Map();

/** The event flags the app's NotificationResource has (onGrab, onDownload, …, includeHealthWarnings). @param {string} spec */
function eventFlags(spec) {
  let flags = flagsBySpec.get(spec);
  if (!flags) {
    const props = Object.keys(loadSpec(spec).components.schemas.NotificationResource.properties);
    flags = props.filter((p) => /^on[A-Z]/.test(p) || p === 'includeHealthWarnings');
    flagsBySpec.set(spec, flags);
  }
  return flags;
}

/**
 * The provider kind for mountProviders: PlexServer with the app's event flags at the top level.
 * @param {'radarr'|'sonarr'|'lidarr'} app
 * @param {{ resolve: (url: string) => string }} deps
 * @returns {import('./providers.js').ProviderKind}
 */
export function notificationKind(app, deps) {
  const { section, noLibrary, badToken, spec, importFlag } = APPS[app];
  const flags = eventFlags(spec);
  /** @type {import('./providers.js').FieldSpec[]} */
  const fields = [
    { name: 'server', label: 'Server', type: 'select', kind: 'string', default: null },
    { name: 'host', label: 'Host', type: 'textbox', kind: 'string', default: '' },
    { name: 'port', label: 'Port', type: 'textbox', kind: 'int', default: 32400 },
    { name: 'useSsl', label: 'Use SSL', type: 'checkbox', kind: 'bool', default: false },
    { name: 'urlBase', label: 'URL Base', type: 'textbox', kind: 'string', default: null, advanced: true },
    { name: 'authToken', label: 'Auth Token', type: 'textbox', kind: 'string', default: null, privacy: 'apiKey', advanced: true },
    { name: 'signIn', label: 'Authenticate with Plex.tv', type: 'textbox', kind: 'string', default: 'startOAuth' },
    { name: 'updateLibrary', label: 'Update Library', type: 'checkbox', kind: 'bool', default: true },
    { name: 'mapFrom', label: 'Map Paths From', type: 'textbox', kind: 'string', default: null, advanced: true },
    { name: 'mapTo', label: 'Map Paths To', type: 'textbox', kind: 'string', default: null, advanced: true },
  ];

  /** @param {Record<string, any>} s */
  function validate(s) {
    const out = [];
    const host = typeof s.host === 'string' ? s.host.trim() : '';
    if (!host) out.push(notEmpty('Host', s.host));
    else if (!HOST.test(host)) out.push(failure('Host', "'Host' must be valid Host without http://", { attemptedValue: s.host }));
    if (!(s.port >= 1 && s.port <= 65535))
      out.push(
        failure('Port', `'Port' must be between 1 and 65535. You entered ${s.port}.`, {
          attemptedValue: s.port,
          errorCode: 'InclusiveBetweenValidator',
        }),
      );
    if (!s.mapFrom && s.mapTo) out.push(notEmpty('MapFrom', s.mapFrom));
    if (!s.mapTo && s.mapFrom) out.push(notEmpty('MapTo', s.mapTo));
    return out;
  }

  /** @param {Record<string, any>} s */
  async function test(s) {
    const base = deps.resolve(`${s.useSsl ? 'https' : 'http'}://${s.host}:${s.port}${s.urlBase ?? ''}`);
    const query = new URLSearchParams({
      'X-Plex-Client-Identifier': 'fake-client',
      'X-Plex-Product': APPS[app].product,
      'X-Plex-Platform': 'Windows',
    });
    if (s.authToken) query.set('X-Plex-Token', s.authToken);
    const res = await callJson(`${base.replace(/\/+$/, '')}/library/sections?${query}`, {
      headers: { Accept: 'application/json' },
      timeoutMs: 10000,
    });
    if (res.error) return [failure('Host', 'Unable to connect to Plex Media Server', { detailedDescription: res.error })];
    if (res.status === 401) return [failure('AuthToken', badToken)];
    if (res.status !== 200)
      return [failure('Host', 'Unable to connect to Plex Media Server', { detailedDescription: `HTTP ${res.status}` })];
    const sections = res.body?.MediaContainer?.Directory ?? [];
    return sections.some((/** @type {any} */ d) => d.type === section) ? [] : [failure('Host', noLibrary)];
  }

  const supports = Object.fromEntries(
    flags.filter((f) => f.startsWith('on')).map((f) => [`supports${f.charAt(0).toUpperCase()}${f.slice(1)}`, PLEX_EVENTS.includes(f)]),
  );
  return {
    resource: 'notification',
    implementations: [
      {
        implementation: 'PlexServer',
        implementationName: 'Plex Media Server',
        configContract: 'PlexServerSettings',
        infoLink: `https://wiki.servarr.com/${app}/supported#plexserver`,
        fields,
        validate,
        test,
        resourceExtras: { link: 'https://www.plex.tv/', ...supports },
      },
    ],
    topDefaults: Object.fromEntries(flags.map((f) => [f, false])),
    topFields: Object.fromEntries(flags.map((f) => [f, /** @type {'bool'} */ ('bool')])),
    // An upgrade is an import too: the flag alone does not enable the notification.
    enabled: (top) =>
      flags.some(
        (f) =>
          top[f] === true && f !== 'includeHealthWarnings' && !(f === 'onUpgrade' && top[importFlag] !== true) && !f.endsWith('ForUpgrade'),
      ),
    retestEveryPut: false,
  };
}
