import { internalUrl } from '../../catalog/index.js';
import type { MaintainerrServarrBody } from '../../clients/maintainerr.js';
import { ARR_APPS } from './apps.js';
import { differing, disabledReason, pending, secret, updateOrUnchanged, type StackHookup } from './shared.js';

/**
 * Radarr / Sonarr in Maintainerr. Maintainerr keeps a list, saves without a test and never
 * de-duplicates, so plexarr's entry is found by its URL (stored lower-case, no
 * trailing slash) and updated in place.
 */

type Kind = 'radarr' | 'sonarr';
const normalise = (url: string) => url.toLowerCase().replace(/\/+$/, '');

interface ServerData {
  id?: number;
  body: MaintainerrServarrBody;
}

export function maintainerrServer(kind: Kind): StackHookup {
  const facts = ARR_APPS[kind];
  return {
    id: `maintainerr.${kind}`,
    title: `Maintainerr: ${facts.label} server`,
    services: ['maintainerr', kind],
    dependsOn: ['wait.maintainerr', `wait.${kind}`],
    skipReason: (config) => disabledReason(config, ['maintainerr', kind]),
    async plan(ctx) {
      const url = internalUrl(kind, ctx.config);
      const target = `${facts.label} server ${url} in Maintainerr`;
      const want: MaintainerrServarrBody = { serverName: facts.label, url, apiKey: secret(ctx.secrets, facts.apiKey) };
      const existing = (await ctx.clients.maintainerr.servers(kind)).find((s) => normalise(s.url) === normalise(url));
      if (!existing) return [{ kind: 'create', target, data: { body: want } satisfies ServerData }];
      return [
        updateOrUnchanged(target, differing(existing, { serverName: want.serverName, apiKey: want.apiKey }), {
          id: existing.id,
          body: want,
        } satisfies ServerData),
      ];
    },
    async apply(ctx, plan) {
      for (const change of pending(plan)) {
        const { id, body } = change.data as ServerData;
        if (id === undefined) await ctx.clients.maintainerr.addServer(kind, body);
        else await ctx.clients.maintainerr.updateServer(kind, id, body);
      }
    },
  };
}
