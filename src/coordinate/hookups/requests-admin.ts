import { isApiError } from '../../clients/errors.js';
import { requestsSkip } from './requests-shared.js';
import { label, NO_PLEX_TOKEN, pending, secret, unchanged, type StackHookup } from './shared.js';

/**
 * The request manager's admin (user 1) from the Plex account token (`POST /auth/plex`). Until it
 * exists the API key is refused (403), which is exactly how the plan tells the two states apart.
 */
export function requestsAdmin(): StackHookup {
  return {
    id: 'requests.admin',
    title: 'Request manager: admin account from the Plex account',
    services: ['requests'],
    dependsOn: ['wait.requests'],
    skipReason: (config, secrets) => requestsSkip(config, secrets),
    async plan(ctx) {
      const target = `${label('requests', ctx.config)} admin account (from the Plex account)`;
      try {
        await ctx.clients.requests.me();
        return [unchanged(target)];
      } catch (error) {
        if (isApiError(error) && (error.status === 401 || error.status === 403)) return [{ kind: 'create', target }];
        throw error;
      }
    },
    async apply(ctx, plan) {
      if (pending(plan).length === 0) return;
      try {
        await ctx.clients.requests.authPlex(secret(ctx.secrets, 'PLEX_TOKEN'));
      } catch (error) {
        // The app only says "Unable to authenticate." (Seerr) or "Something went wrong." (Overseerr);
        // plex.tv says whether the token is the problem.
        const tokenRejected = await ctx.clients.plextv.account().then(
          () => false,
          (e: unknown) => isApiError(e, 401),
        );
        if (tokenRejected)
          throw new Error(`plex.tv does not accept the Plex account token — ${NO_PLEX_TOKEN.replace(/^no Plex account token — /, '')}`, {
            cause: error,
          });
        throw error;
      }
    },
  };
}
