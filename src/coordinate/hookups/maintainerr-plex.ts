import { containerName } from '../../catalog/index.js';
import type { MaintainerrPlexServer } from '../../clients/maintainerr.js';
import { disabledReason, firstReason, pending, plexTokenReason, secret, updateOrUnchanged, type Ctx, type StackHookup } from './shared.js';

/**
 * Plex in Maintainerr v3, in the order its UI uses: choose Plex as the media
 * server, store the token, then the server address (refused before a token is stored).
 */

const PLEX_PORT = 32400;

function server(ctx: Pick<Ctx, 'config'>): MaintainerrPlexServer {
  const host = containerName('plex', ctx.config);
  return { plex_hostname: host, plex_port: PLEX_PORT, plex_name: host, plex_ssl: 0 };
}

interface Steps {
  switchServer: boolean;
  token: boolean;
  address: boolean;
}

export function maintainerrPlex(): StackHookup {
  return {
    id: 'maintainerr.plex',
    title: 'Maintainerr: Plex server',
    services: ['maintainerr', 'plex'],
    dependsOn: ['wait.maintainerr', 'wait.plex'],
    skipReason: (config, secrets) => firstReason(disabledReason(config, ['maintainerr', 'plex']), plexTokenReason(secrets)),
    async plan(ctx) {
      const want = server(ctx);
      const current = await ctx.clients.maintainerr.settings();
      const fields: string[] = [];
      // Maintainerr v2 has no media-server choice (no such field); v3 starts with none chosen.
      const switchServer = 'media_server_type' in current && current.media_server_type !== 'plex';
      if (switchServer) fields.push('media_server_type');
      const token = current.plex_auth_token !== secret(ctx.secrets, 'PLEX_TOKEN');
      if (token) fields.push('plex_auth_token');
      const address = (['plex_hostname', 'plex_port', 'plex_ssl'] as const).filter((k) => String(current[k] ?? '') !== String(want[k]));
      fields.push(...address);
      return [updateOrUnchanged(`Plex server ${want.plex_hostname}:${want.plex_port} in Maintainerr`, fields, { switchServer, token, address: address.length > 0 } satisfies Steps)];
    },
    async apply(ctx, plan) {
      const maintainerr = ctx.clients.maintainerr;
      for (const change of pending(plan)) {
        const steps = change.data as Steps;
        if (steps.switchServer) await maintainerr.switchMediaServer('plex');
        if (steps.token) await maintainerr.savePlexToken(secret(ctx.secrets, 'PLEX_TOKEN'));
        if (steps.address) await maintainerr.patchSettings(server(ctx));
      }
    },
  };
}
