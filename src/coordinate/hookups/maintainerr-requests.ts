import { internalUrl } from '../../catalog/index.js';
import { requestsSkip } from './requests-shared.js';
import { disabledReason, firstReason, label, pending, secret, updateOrUnchanged, type StackHookup } from './shared.js';

/**
 * The request manager in Maintainerr (one instance, `seerr_url` + `seerr_api_key`). Its key works
 * only once the request manager has its admin, so this waits for `requests.admin` and needs the
 * Plex token like the other request-manager hookups. Read from `/api/settings/seerr`, the one
 * place Maintainerr returns the key whole (`/api/settings` masks it); it stores the URL as sent,
 * case kept, without a trailing `/`.
 */
export function maintainerrRequests(): StackHookup {
  return {
    id: 'maintainerr.requests',
    title: 'Maintainerr: request manager',
    services: ['maintainerr', 'requests'],
    dependsOn: ['wait.maintainerr', 'requests.admin'],
    skipReason: (config, secrets) => firstReason(disabledReason(config, ['maintainerr']), requestsSkip(config, secrets)),
    async plan(ctx) {
      const url = internalUrl('requests', ctx.config);
      const current = await ctx.clients.maintainerr.seerr();
      const fields: string[] = [];
      if ((current.url ?? '').replace(/\/+$/, '') !== url) fields.push('seerr_url');
      if (current.api_key !== secret(ctx.secrets, 'REQUESTS_API_KEY')) fields.push('seerr_api_key');
      return [updateOrUnchanged(`${label('requests', ctx.config)} ${url} in Maintainerr`, fields)];
    },
    async apply(ctx, plan) {
      if (pending(plan).length === 0) return;
      await ctx.clients.maintainerr.saveSeerr({
        url: internalUrl('requests', ctx.config),
        api_key: secret(ctx.secrets, 'REQUESTS_API_KEY'),
      });
    },
  };
}
