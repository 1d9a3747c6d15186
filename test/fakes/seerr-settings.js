// The settings.json of the Seerr / Overseerr fake: defaults per variant (Seerr 3 moved
// csrfProtection/trustProxy to `network` and region to discoverRegion/streamingRegion, as seen on
// a real Seerr 3 built from source, issue 9), lodash-style merge of a stored file, key generation.
import { randomUUID } from 'node:crypto';

/** Seerr's MediaServerType enum. */
export const MEDIA_SERVER = { PLEX: 1, JELLYFIN: 2, EMBY: 3, NOT_CONFIGURED: 4 };

/** @param {'seerr'|'overseerr'} variant */
function mainSettings(variant) {
  const common = {
    apiKey: '',
    applicationTitle: variant === 'seerr' ? 'Seerr' : 'Overseerr',
    applicationUrl: '',
    cacheImages: false,
    defaultPermissions: 32,
    defaultQuotas: { movie: {}, tv: {} },
    hideAvailable: false,
    localLogin: true,
    newPlexLogin: true,
    originalLanguage: '',
    partialRequestsEnabled: true,
    locale: 'en',
  };
  if (variant === 'overseerr') return { ...common, csrfProtection: false, region: '', trustProxy: false };
  return {
    ...common,
    mediaServerLogin: true,
    hideBlacklisted: false,
    discoverRegion: '',
    streamingRegion: '',
    blacklistedTags: '',
    blacklistedTagsLimit: 50,
    mediaServerType: MEDIA_SERVER.NOT_CONFIGURED,
    enableSpecialEpisodes: false,
    youtubeUrl: '',
  };
}

/** @param {'seerr'|'overseerr'} variant */
export function defaultSettings(variant) {
  return {
    clientId: randomUUID(),
    main: mainSettings(variant),
    ...(variant === 'seerr' ? { network: { csrfProtection: false, forceIpv4First: false, trustProxy: false } } : {}),
    plex: {
      name: '',
      ip: '',
      port: 32400,
      useSsl: false,
      libraries: /** @type {{id: string, name: string, enabled: boolean, type?: string}[]} */ ([]),
    },
    tautulli: {},
    radarr: /** @type {Record<string, unknown>[]} */ ([]),
    sonarr: /** @type {Record<string, unknown>[]} */ ([]),
    public: { initialized: false },
  };
}

/** lodash.merge semantics for plain objects; arrays and scalars from `src` win. */
/** @param {any} target @param {any} src */
export function deepMerge(target, src) {
  for (const [k, v] of Object.entries(src ?? {})) {
    if (v && typeof v === 'object' && !Array.isArray(v) && target[k] && typeof target[k] === 'object' && !Array.isArray(target[k]))
      deepMerge(target[k], v);
    else target[k] = v;
  }
  return target;
}

/** Overseerr's key: base64 of time + UUID. */
export const generateApiKey = () => Buffer.from(`${Date.now()}${randomUUID()}`).toString('base64');
