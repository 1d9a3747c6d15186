import { isApiError } from '../clients/errors.js';
import { createPlexTvClient } from '../clients/plextv.js';
import { maskedValues } from '../redact.js';
import type { CheckResult, DoctorContext } from './types.js';
import { plexarrCommand } from '../ui/invocation.js';

/**
 * The Plex account token (optional) is what the Plex, request-manager and Maintainerr hookups
 * log in with; plex.tv answers 401 for a revoked or mistyped one. A network failure is only a
 * warning: plex.tv being unreachable from here does not make the token wrong.
 */
const FIX = `Get a fresh token (https://support.plex.tv/articles/204059436) and run \`${plexarrCommand('coordinate --plex-token <token>')}\`.`;

export async function plexToken(ctx: Pick<DoctorContext, 'secrets' | 'plexTvUrl'>): Promise<CheckResult> {
  const id = 'plex-token';
  const token = ctx.secrets.PLEX_TOKEN;
  if (!token) {
    return {
      id,
      status: 'warn',
      message: 'no Plex account token: the Plex libraries, request manager and Maintainerr hookups will be skipped',
      fix: FIX,
    };
  }
  const client = createPlexTvClient({ baseUrl: ctx.plexTvUrl, token, secrets: maskedValues(ctx.secrets), timeoutMs: 4_000 });
  try {
    await client.account();
    return { id, status: 'ok', message: `plex.tv (${ctx.plexTvUrl}) accepts the Plex token` };
  } catch (e) {
    if (isApiError(e, 401) || isApiError(e, 403))
      return { id, status: 'fail', message: `plex.tv (${ctx.plexTvUrl}) rejected the Plex token: ${e.message}`, fix: FIX };
    return {
      id,
      status: 'warn',
      message: `the Plex token could not be checked: ${(e as Error).message}`,
      fix: `Check the network (or PLEXARR_PLEX_TV_URL), then run \`${plexarrCommand('doctor')}\` again.`,
    };
  }
}
