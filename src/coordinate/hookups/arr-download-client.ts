import type { ArrApp } from '../../clients/arr.js';
import type { ProviderResource } from '../../clients/servarr.js';
import { CATALOG, containerName } from '../../catalog/index.js';
import { ARR_APPS, NZBGET_CREDENTIALS, NZBGET_INTERNAL_PORT, type NzbgetInstance } from './apps.js';
import { applyProvider, planProvider, type ProviderSpec } from './provider.js';
import { disabledReason, secret, type Ctx, type StackHookup } from './shared.js';

/**
 * NZBGet as an enabled download client of Radarr/Sonarr/Lidarr, with every pitfall in mind: the
 * category NZBGet has (`Series` for Sonarr), `enable` and `priority` always sent (omitted they
 * mean disabled / an invalid 0), username and password always sent (Sonarr has no defaults),
 * finished and failed downloads removed. The second NZBGet is a second client at priority 2.
 */

export const DOWNLOAD_CLIENT_NAMES: Record<NzbgetInstance, string> = { nzbget: CATALOG.nzbget.label, nzbget2: CATALOG.nzbget2.label };
const PRIORITY: Record<NzbgetInstance, number> = { nzbget: 1, nzbget2: 2 };

/** How plexarr's client for an NZBGet instance is named in the plans of an app (`label`). */
export function nzbgetClientTarget(instance: NzbgetInstance, label: string): string {
  return `download client '${DOWNLOAD_CLIENT_NAMES[instance]}' in ${label}`;
}

/** An app's download client that is plexarr's for this NZBGet instance: NZBGet's implementation, plexarr's name. */
export function isNzbgetClient(instance: NzbgetInstance): (r: ProviderResource) => boolean {
  const name = DOWNLOAD_CLIENT_NAMES[instance].toLowerCase();
  return (r) => r.implementation.toLowerCase() === 'nzbget' && r.name.toLowerCase() === name;
}

export function nzbgetClientSpec(
  ctx: Pick<Ctx, 'config' | 'secrets'>,
  instance: NzbgetInstance,
  /** Prowlarr's download clients have no remove-completed/failed settings. */
  where: { key: string; label: string; api: ProviderSpec['api']; removesDownloads: boolean },
  extraFields: Record<string, unknown>,
): ProviderSpec {
  const name = DOWNLOAD_CLIENT_NAMES[instance];
  const credentials = NZBGET_CREDENTIALS[instance];
  return {
    target: nzbgetClientTarget(instance, where.label),
    key: where.key,
    api: where.api,
    match: isNzbgetClient(instance),
    top: {
      name,
      enable: true,
      protocol: 'usenet',
      priority: PRIORITY[instance],
      ...(where.removesDownloads ? { removeCompletedDownloads: true, removeFailedDownloads: true } : {}),
    },
    fields: {
      host: containerName(instance, ctx.config),
      port: NZBGET_INTERNAL_PORT,
      useSsl: false,
      username: secret(ctx.secrets, credentials.user),
      password: secret(ctx.secrets, credentials.pass),
      ...extraFields,
    },
    secretFields: ['password'],
    identity: { implementation: 'Nzbget', configContract: 'NzbgetSettings', tags: [] },
  };
}

export function arrDownloadClient(app: ArrApp, instance: NzbgetInstance): StackHookup {
  const facts = ARR_APPS[app];
  const id = `${app}.download-client.${instance}`;
  const spec = (ctx: Ctx) =>
    nzbgetClientSpec(
      ctx,
      instance,
      { key: id, label: facts.label, api: ctx.clients[app].downloadClients, removesDownloads: true },
      { [facts.categoryField]: facts.category },
    );
  return {
    id,
    title: `${facts.label}: ${DOWNLOAD_CLIENT_NAMES[instance]} download client (category ${facts.category})`,
    services: [app, instance],
    dependsOn: [`wait.${app}`, `${instance}.categories`],
    skipReason: (config) => disabledReason(config, [app, instance]),
    plan: (ctx) => planProvider(ctx, spec(ctx)),
    apply: (ctx, plan) => applyProvider(ctx, ctx.clients[app].downloadClients, plan),
  };
}
