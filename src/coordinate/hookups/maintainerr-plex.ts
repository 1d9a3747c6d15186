import { containerName } from '../../catalog/index.js';
import type { MaintainerrClient, MaintainerrPlexServer } from '../../clients/maintainerr.js';
import {
  disabledReason,
  firstReason,
  NO_PLEX_TOKEN,
  pending,
  plexTokenReason,
  secret,
  updateOrUnchanged,
  type Ctx,
  type StackHookup,
} from './shared.js';

/**
 * Plex in Maintainerr v3, in the order its UI uses: choose Plex as the media server, store the
 * token, then the server address (refused before a token is stored once Plex is the chosen server).
 */

const PLEX_PORT = 32400;
const TOKEN_TARGET = 'maintainerr.plex#plex_auth_token';

function server(ctx: Pick<Ctx, 'config'>): MaintainerrPlexServer {
  const host = containerName('plex', ctx.config);
  return { plex_hostname: host, plex_port: PLEX_PORT, plex_name: host, plex_ssl: 0 };
}

/** How Maintainerr 3.x shows a secret in `GET /api/settings`: first 3 + `...` + last 3, or `****` up to 6 characters. */
function maskedSecret(value: string): string {
  return value.length <= 6 ? '****' : `${value.slice(0, 3)}...${value.slice(-3)}`;
}

/**
 * No endpoint returns the stored token whole. Its masked form must fit the token and the token
 * must be the one plexarr last applied there (its fingerprint); older versions that showed the
 * token whole are compared directly.
 */
function tokenStale(ctx: Pick<Ctx, 'applied'>, shown: string | null | undefined, token: string): boolean {
  if (shown === token) return false;
  return shown !== maskedSecret(token) || !ctx.applied.matches(TOKEN_TARGET, token);
}

/** The check after storing the token: Maintainerr asks plex.tv whether it works. */
async function checkToken(maintainerr: MaintainerrClient): Promise<void> {
  const auth = await maintainerr.plexAuth();
  if (auth.valid) return;
  if (auth.unreachable) {
    // plex.tv may be back on the next attempt: the runner retries a transient error.
    throw Object.assign(new Error(`Maintainerr could not ask plex.tv about the Plex account token: ${auth.message}`), { transient: true });
  }
  throw new Error(
    `Maintainerr: plex.tv does not accept the Plex account token (${auth.message}) — ${NO_PLEX_TOKEN.replace(/^no Plex account token — /, '')}`,
  );
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
      const token = tokenStale(ctx, current.plex_auth_token, secret(ctx.secrets, 'PLEX_TOKEN'));
      if (token) fields.push('plex_auth_token');
      const address = (['plex_hostname', 'plex_port', 'plex_ssl'] as const).filter((k) => String(current[k] ?? '') !== String(want[k]));
      fields.push(...address);
      return [
        updateOrUnchanged(`Plex server ${want.plex_hostname}:${want.plex_port} in Maintainerr`, fields, {
          switchServer,
          token,
          address: address.length > 0,
        } satisfies Steps),
      ];
    },
    async apply(ctx, plan) {
      const maintainerr = ctx.clients.maintainerr;
      for (const change of pending(plan)) {
        const steps = change.data as Steps;
        if (steps.switchServer) await maintainerr.switchMediaServer('plex');
        if (steps.token) {
          const token = secret(ctx.secrets, 'PLEX_TOKEN');
          await maintainerr.savePlexToken(token);
          await checkToken(maintainerr);
          ctx.applied.record(TOKEN_TARGET, token);
        }
        if (steps.address) await maintainerr.patchSettings(server(ctx));
      }
    },
  };
}
