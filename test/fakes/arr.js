// Radarr / Sonarr / Lidarr fakes (API-NOTES §0 traps 1–5, 8 and §1), one module parameterised
// by app: download clients, indexers (what Prowlarr syncs), Plex Server notifications, root
// folders, profiles, host config. Requests are validated against test/contracts/<app>.openapi.json first.
//
//   const radarr = await startRadarr({ configDir, env: { RADARR__AUTH__APIKEY: key }, pathMap, resolve });
//   radarr.url, radarr.apiKey, radarr.state.downloadClients / indexers / notifications, radarr.log, radarr.faults, await radarr.close()
import { startServarr } from './servarr/base.js';
import { mountProviders } from './servarr/providers.js';
import { nzbgetImplementation } from './servarr/nzbget-client.js';
import { mountRootFolders } from './servarr/root-folders.js';
import { defaultProfiles, mountProfiles } from './servarr/profiles.js';
import { mountHostConfig } from './servarr/host-config.js';
import { ARR_INDEXER_TOP, arrIndexerImplementations } from './servarr/arr-indexers.js';
import { notificationKind } from './servarr/notifications.js';
import { failure } from './servarr/failures.js';

/**
 * @typedef {import('./servarr/base.js').ArrOptions} ArrOptions
 * @typedef {import('./core/index.js').FakeHandle & { apiKey: string, apiRoot: string }} ArrHandle
 * @typedef {'radarr'|'sonarr'|'lidarr'} ArrApp
 */

/** @type {Record<ArrApp, import('./servarr/base.js').ArrProfile>} */
export const ARR_PROFILES = {
  radarr: {
    app: 'radarr',
    appName: 'Radarr',
    envPrefix: 'RADARR',
    apiRoot: '/api/v3',
    spec: 'radarr-v3.openapi.json',
    port: 7878,
    sslPort: 9898,
    version: '6.0.3.10276',
    basicObsolete: true,
  },
  sonarr: {
    app: 'sonarr',
    appName: 'Sonarr',
    envPrefix: 'SONARR',
    apiRoot: '/api/v3',
    spec: 'sonarr-v3.openapi.json',
    port: 8989,
    sslPort: 9898,
    version: '4.0.19.2979',
    basicObsolete: false,
  },
  lidarr: {
    app: 'lidarr',
    appName: 'Lidarr',
    envPrefix: 'LIDARR',
    apiRoot: '/api/v1',
    spec: 'lidarr-v1.openapi.json',
    port: 8686,
    sslPort: 6868,
    version: '2.14.5.4836',
    basicObsolete: false,
  },
};

/** Priority must be 1–50 in Radarr and Lidarr; Sonarr does not check it (trap 3). */
/** @param {ArrApp} app */
const priorityRule = (app) => (/** @type {Record<string, any>} */ top) =>
  app !== 'sonarr' && !(top.priority >= 1 && top.priority <= 50)
    ? [
        failure('Priority', `'Priority' must be between 1 and 50. You entered ${top.priority}.`, {
          attemptedValue: top.priority,
          errorCode: 'InclusiveBetweenValidator',
        }),
      ]
    : [];

/**
 * @param {ArrApp} app
 * @param {ArrOptions} [options]
 * @returns {Promise<ArrHandle>}
 */
export async function startArr(app, options = {}) {
  const profile = ARR_PROFILES[app];
  const state = {
    downloadClients: /** @type {import('./servarr/providers.js').Definition[]} */ ([]),
    rootFolders: /** @type {any[]} */ ([]),
    indexers: /** @type {import('./servarr/providers.js').Definition[]} */ ([]),
    indexerTests: /** @type {any[]} */ ([]),
    notifications: /** @type {import('./servarr/providers.js').Definition[]} */ ([]),
    ...defaultProfiles(app),
  };
  return startServarr(
    profile,
    options,
    (router, ctx) => {
      mountProviders(
        router,
        profile.apiRoot,
        {
          resource: 'downloadclient',
          implementations: [nzbgetImplementation(app, ctx.resolve)],
          topDefaults: { enable: false, priority: 1, removeCompletedDownloads: true, removeFailedDownloads: true },
          topFields: { enable: 'bool', priority: 'int', removeCompletedDownloads: 'bool', removeFailedDownloads: 'bool' },
          enabled: (top) => top.enable === true,
          validateTop: priorityRule(app),
          retestEveryPut: false,
        },
        ctx.state.downloadClients,
      );
      mountRootFolders(router, ctx);
      mountProfiles(router, ctx);
      mountHostConfig(router, ctx);
      mountProviders(
        router,
        profile.apiRoot,
        { resource: 'indexer', implementations: arrIndexerImplementations(app, ctx), ...ARR_INDEXER_TOP },
        ctx.state.indexers,
      );
      mountProviders(router, profile.apiRoot, notificationKind(app, ctx), ctx.state.notifications);
    },
    state,
  );
}

/** @param {ArrOptions} [options] */
export const startRadarr = (options) => startArr('radarr', options);
/** @param {ArrOptions} [options] */
export const startSonarr = (options) => startArr('sonarr', options);
/** @param {ArrOptions} [options] */
export const startLidarr = (options) => startArr('lidarr', options);

/** For the runner: how to start each app and what the real container looks like. */
export const APPS = {
  radarr: { start: startRadarr, internalPort: 7878, apiKeyEnv: 'RADARR__AUTH__APIKEY', configMount: '/config' },
  sonarr: { start: startSonarr, internalPort: 8989, apiKeyEnv: 'SONARR__AUTH__APIKEY', configMount: '/config' },
  lidarr: { start: startLidarr, internalPort: 8686, apiKeyEnv: 'LIDARR__AUTH__APIKEY', configMount: '/config' },
};
