import { CATALOG } from '../../catalog/index.js';
import { nzbgetClientSpec, DOWNLOAD_CLIENT_NAMES } from './arr-download-client.js';
import { applyProvider, planProvider } from './provider.js';
import { disabledReason, type StackHookup } from './shared.js';

/**
 * NZBGet as Prowlarr's download client, used for grabs started from Prowlarr's own search.
 * Prowlarr's default category (`Prowlarr`) is kept: its test checks only per-indexer category
 * mappings, not that field.
 */
export function prowlarrDownloadClient(): StackHookup {
  const id = 'prowlarr.download-client.nzbget';
  return {
    id,
    title: `Prowlarr: ${DOWNLOAD_CLIENT_NAMES.nzbget} download client`,
    services: ['prowlarr', 'nzbget'],
    dependsOn: ['wait.prowlarr', 'nzbget.categories'],
    skipReason: (config) => disabledReason(config, ['prowlarr', 'nzbget']),
    plan: (ctx) =>
      planProvider(
        ctx,
        nzbgetClientSpec(
          ctx,
          'nzbget',
          { key: id, label: CATALOG.prowlarr.label, api: ctx.clients.prowlarr.downloadClients, removesDownloads: false },
          {},
        ),
      ),
    apply: (ctx, plan) => applyProvider(ctx, ctx.clients.prowlarr.downloadClients, plan),
  };
}
