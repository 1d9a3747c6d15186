// Quality/metadata/language profiles as a fresh install creates them (API-NOTES §1.6). Lidarr's
// ids are deliberately not 1..n so a client that hard-codes ids instead of looking profiles up by
// name fails here as it could against a real, older install.
import { json } from '../core/index.js';

/** @type {Record<string, { id: number, name: string }[]>} */
const QUALITY = {
  radarr: ['Any', 'SD', 'HD-720p', 'HD-1080p', 'Ultra-HD', 'HD - 720p/1080p'].map((name, i) => ({ id: i + 1, name })),
  sonarr: ['Any', 'SD', 'HD-720p', 'HD-1080p', 'Ultra-HD', 'HD - 720p/1080p'].map((name, i) => ({ id: i + 1, name })),
  lidarr: [
    { id: 3, name: 'Any' },
    { id: 4, name: 'Lossless' },
    { id: 5, name: 'Standard' },
  ],
};
const LIDARR_METADATA = [
  { id: 2, name: 'Standard' },
  { id: 5, name: 'None' },
];

/** @param {'radarr'|'sonarr'|'lidarr'} app */
export function defaultProfiles(app) {
  const quality = (QUALITY[app] ?? []).map((p) => ({
    ...p,
    upgradeAllowed: false,
    cutoff: 0,
    items: [],
    minFormatScore: 0,
    cutoffFormatScore: 0,
    ...(app === 'lidarr' ? {} : { minUpgradeFormatScore: 1 }),
    formatItems: [],
    ...(app === 'radarr' ? { language: { id: 1, name: 'English' } } : {}),
  }));
  const metadata =
    app === 'lidarr' ? LIDARR_METADATA.map((p) => ({ ...p, primaryAlbumTypes: [], secondaryAlbumTypes: [], releaseStatuses: [] })) : [];
  return { qualityProfiles: quality, metadataProfiles: metadata };
}

/**
 * @param {ReturnType<typeof import('../core/index.js').createRouter>} router
 * @param {import('./base.js').ArrContext} ctx
 */
export function mountProfiles(router, ctx) {
  const api = ctx.profile.apiRoot;
  /** @param {string} path @param {() => any[]} list */
  const listAndGet = (path, list) => {
    router.on('GET', `${api}/${path}`, () => json(200, list()));
    router.on('GET', `${api}/${path}/{id}`, (req) => {
      const found = list().find((p) => p.id === Number(req.params.id));
      return found ? json(200, found) : json(404, { message: 'NotFound' });
    });
  };
  listAndGet('qualityprofile', () => ctx.state.qualityProfiles);
  if (ctx.profile.app === 'lidarr') listAndGet('metadataprofile', () => ctx.state.metadataProfiles);
  if (ctx.profile.app === 'sonarr') {
    const deprecated = {
      id: 1,
      name: 'Deprecated',
      upgradeAllowed: false,
      cutoff: { id: 1, name: 'English' },
      languages: [{ language: { id: 1, name: 'English' }, allowed: true }],
    };
    listAndGet('languageprofile', () => [deprecated]);
  }
}
