import type { ProviderApi } from '../../clients/servarr.js';
import { CATALOG, containerName } from '../../catalog/index.js';
import type { PlannedChange } from '../types.js';
import type { ArrApp } from '../../clients/arr.js';
import { NZBGET_CREDENTIALS, type NzbgetInstance } from './apps.js';
import { DOWNLOAD_CLIENT_NAMES, isNzbgetClient, nzbgetClientTarget } from './arr-download-client.js';
import { fieldValue } from './provider.js';
import { disabledReason, label, unchanged, type Ctx, type StackHookup } from './shared.js';

type App = ArrApp | 'prowlarr';

function api(ctx: Ctx, app: App): ProviderApi {
  return app === 'prowlarr' ? ctx.clients.prowlarr.downloadClients : ctx.clients[app].downloadClients;
}

/**
 * Once an NZBGet instance is taken out of the stack, the download client plexarr made for it in
 * an *arr app or Prowlarr goes too. Only plexarr's own entry is deleted: one the add-hookup
 * recorded a password fingerprint for (so plexarr created or last set it), that still has
 * plexarr's name, NZBGet's implementation and that container as host. Anything else — a client
 * the user made by hand, or renamed, or pointed elsewhere — is left alone. Without such a record
 * nothing is asked of the app at all.
 */
export function downloadClientRemoval(app: App, instance: NzbgetInstance): StackHookup {
  const addId = `${app}.download-client.${instance}`;
  const name = DOWNLOAD_CLIENT_NAMES[instance];
  const appLabel = CATALOG[app].label;
  const target = nzbgetClientTarget(instance, appLabel);
  const ours = isNzbgetClient(instance);
  return {
    id: `${addId}.remove`,
    title: `${appLabel}: remove plexarr's ${name} download client, if any (${name} is not in the stack)`,
    services: [app],
    whenOff: [instance],
    dependsOn: [`wait.${app}`],
    skipReason: (config) =>
      disabledReason(config, [app]) ??
      (config.services[instance].enabled ? `${label(instance, config)} is enabled: its download client stays` : null),
    plan: async (ctx): Promise<PlannedChange[]> => {
      const password = ctx.secrets[NZBGET_CREDENTIALS[instance].pass];
      if (!password || !ctx.applied.matches(`${addId}#password`, password)) return [unchanged(target)];
      const host = containerName(instance, ctx.config);
      const own = (await api(ctx, app).list()).filter((r) => ours(r) && String(fieldValue(r, 'host') ?? '') === host);
      return own.length === 0 ? [unchanged(target)] : own.map((r) => ({ kind: 'delete', target, data: { id: r.id } }));
    },
    apply: async (ctx, plan) => {
      for (const change of plan) if (change.kind === 'delete') await api(ctx, app).remove((change.data as { id: number }).id);
    },
  };
}
