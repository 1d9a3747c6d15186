// Prowlarr fake (API-NOTES §1, §1.7): the shared *arr behaviour plus applications (pushing to
// Radarr/Sonarr/Lidarr, tested against the target's indexer/test on save), its own NZBGet
// download client (tested on category mappings only), Newznab indexers (tested on create against
// the indexer's caps/search, then synced to the applications), app sync profiles, the
// ApplicationIndexerSync command, and the Newznab endpoint /{id}/api that the targets call back
// (id 0 = Prowlarr's built-in test indexer).
//
//   const prowlarr = await startProwlarr({ env: { PROWLARR__AUTH__APIKEY: key }, resolve });
//   prowlarr.state.applications, prowlarr.state.downloadClients, prowlarr.state.indexers,
//   prowlarr.state.syncLog (one line per call the sync made to an app)
import { json } from './core/index.js';
import { startServarr } from './servarr/base.js';
import { mountProviders } from './servarr/providers.js';
import { nzbgetImplementation } from './servarr/nzbget-client.js';
import { applicationImplementation } from './servarr/applications.js';
import { mountHostConfig } from './servarr/host-config.js';
import { failure } from './servarr/failures.js';
import { indexerTemplates, indexerTopRules, newznabIndexer } from './servarr/prowlarr-indexers.js';
import { mountProwlarrCommands } from './servarr/prowlarr-commands.js';

/** @type {import('./servarr/base.js').ArrProfile} */
export const PROWLARR_PROFILE = {
  app: 'prowlarr',
  appName: 'Prowlarr',
  envPrefix: 'PROWLARR',
  apiRoot: '/api/v1',
  spec: 'prowlarr-v1.openapi.json',
  port: 9696,
  sslPort: 6969,
  version: '2.3.5.5327',
  basicObsolete: true,
  apiPaths: /^\/(api(\/|$)|\d+\/(api|download)$)/,
};

const CAPS = `<?xml version="1.0" encoding="UTF-8"?>
<caps><server title="Prowlarr" /><limits default="100" max="100" /><searching><search available="yes" supportedParams="q" /><tv-search available="yes" supportedParams="q,season,ep" /><movie-search available="yes" supportedParams="q,imdbid,tmdbid" /><audio-search available="yes" supportedParams="q" /></searching><categories><category id="2000" name="Movies" /><category id="3000" name="Audio" /><category id="5000" name="TV" /></categories></caps>`;

const TEST_RELEASE = () => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:newznab="http://www.newznab.com/DTD/2010/feeds/attributes/"><channel><title>Prowlarr</title><item><title>Test Release</title><guid isPermaLink="true">https://prowlarr.com</guid><link>https://prowlarr.com</link><pubDate>${new Date().toUTCString()}</pubDate><enclosure url="https://prowlarr.com" length="0" type="application/x-nzb" /><newznab:attr name="category" value="2000" /></item></channel></rss>`;

const priorityRule = (/** @type {Record<string, any>} */ top) =>
  top.priority >= 1 && top.priority <= 50
    ? []
    : [
        failure('Priority', `'Priority' must be between 1 and 50. You entered ${top.priority}.`, {
          attemptedValue: top.priority,
          errorCode: 'InclusiveBetweenValidator',
        }),
      ];

/**
 * @param {import('./servarr/base.js').ArrOptions} [options]
 * @returns {Promise<import('./arr.js').ArrHandle>}
 */
export async function startProwlarr(options = {}) {
  const state = {
    applications: /** @type {import('./servarr/providers.js').Definition[]} */ ([]),
    downloadClients: /** @type {import('./servarr/providers.js').Definition[]} */ ([]),
    indexers: /** @type {import('./servarr/providers.js').Definition[]} */ ([]),
    // the default profile a fresh Prowlarr creates on first start (AppSyncProfileService)
    appProfiles: [
      { id: 1, name: 'Standard', enableRss: true, enableAutomaticSearch: true, enableInteractiveSearch: true, minimumSeeders: 1 },
    ],
    syncLog: /** @type {string[]} */ ([]),
  };
  return startServarr(
    PROWLARR_PROFILE,
    options,
    (router, ctx) => {
      const deps = { resolve: ctx.resolve, prowlarrApiKey: () => ctx.config.apiKey };
      const sync = mountProwlarrCommands(router, ctx);
      mountProviders(
        router,
        PROWLARR_PROFILE.apiRoot,
        {
          resource: 'applications',
          implementations: [
            applicationImplementation('Radarr', deps),
            applicationImplementation('Sonarr', deps),
            applicationImplementation('Lidarr', deps),
          ],
          topDefaults: { syncLevel: 'disabled' },
          topFields: { syncLevel: 'string' },
          topOmitted: { syncLevel: 'disabled' },
          enabled: (top) => top.syncLevel === 'addOnly' || top.syncLevel === 'fullSync',
          retestEveryPut: true,
          // Adding or changing an application syncs every enabled indexer to it (ApplicationService).
          afterSave: sync.applicationSaved,
        },
        ctx.state.applications,
      );
      mountProviders(
        router,
        PROWLARR_PROFILE.apiRoot,
        {
          resource: 'downloadclient',
          implementations: [nzbgetImplementation('prowlarr', ctx.resolve)],
          topDefaults: { enable: false, priority: 1, categories: [] },
          topFields: { enable: 'bool', priority: 'int', categories: 'any' },
          topOmitted: { categories: [] },
          enabled: (top) => top.enable === true,
          validateTop: priorityRule,
          retestEveryPut: true,
        },
        ctx.state.downloadClients,
      );
      mountHostConfig(router, ctx);
      mountProviders(
        router,
        PROWLARR_PROFILE.apiRoot,
        {
          resource: 'indexer',
          implementations: [newznabIndexer(deps)],
          topDefaults: { enable: true, redirect: true, priority: 25, appProfileId: 0, downloadClientId: 0 },
          topFields: {
            enable: 'bool',
            redirect: 'bool',
            priority: 'int',
            appProfileId: 'int',
            downloadClientId: 'int',
            capabilities: 'any',
          },
          enabled: (top) => top.enable === true,
          validateTop: indexerTopRules(() => ctx.state.appProfiles),
          retestEveryPut: true,
          templates: indexerTemplates,
          // Adding or changing an indexer syncs it to the applications straight away (ApplicationService).
          afterSave: sync.indexerSaved,
        },
        ctx.state.indexers,
      );
      router.on('GET', '/{id}/api', (req) => {
        if (Number(req.params.id) !== 0 && !ctx.state.indexers.some((/** @type {any} */ i) => i.id === Number(req.params.id)))
          return json(404, { message: 'NotFound' });
        const type = String(req.query.t ?? 'search');
        const xml = type === 'caps' ? CAPS : TEST_RELEASE();
        return { status: 200, body: xml, headers: { 'Content-Type': type === 'caps' ? 'application/xml' : 'application/rss+xml' } };
      });
    },
    state,
  );
}

/** For the runner (see arr.js APPS). */
export const APPS = {
  prowlarr: { start: startProwlarr, internalPort: 9696, apiKeyEnv: 'PROWLARR__AUTH__APIKEY', configMount: '/config' },
};
