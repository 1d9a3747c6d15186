import type { CheckResult, DoctorContext } from './types.js';

/**
 * The Plex account token (optional) is what the Plex, request-manager and Maintainerr hookups
 * log in with; plex.tv answers 401 for a revoked or mistyped one. A network failure is only a
 * warning: plex.tv being unreachable from here does not make the token wrong.
 */
const FIX = 'Get a fresh token (https://support.plex.tv/articles/204059436) and run `plexarr coordinate --plex-token <token>`.';

export async function plexToken(ctx: Pick<DoctorContext, 'secrets' | 'plexTvUrl' | 'fetch'>): Promise<CheckResult> {
  const id = 'plex-token';
  const token = ctx.secrets.PLEX_TOKEN;
  if (!token) {
    return { id, status: 'warn', message: 'no Plex account token: the Plex libraries, request manager and Maintainerr hookups will be skipped', fix: FIX };
  }
  const url = new URL('/api/v2/user', ctx.plexTvUrl);
  try {
    const res = await ctx.fetch(url, {
      headers: { Accept: 'application/json', 'X-Plex-Token': token, 'X-Plex-Client-Identifier': 'plexarr-doctor', 'X-Plex-Product': 'plexarr' },
      signal: AbortSignal.timeout(8_000),
    });
    await res.body?.cancel();
    if (res.ok) return { id, status: 'ok', message: `plex.tv (${url.origin}) accepts the Plex token` };
    if (res.status === 401 || res.status === 403) return { id, status: 'fail', message: `plex.tv (${url.origin}) rejected the Plex token (HTTP ${res.status})`, fix: FIX };
    return { id, status: 'warn', message: `plex.tv (${url.origin}) answered HTTP ${res.status}; the token could not be checked`, fix: 'Try again later.' };
  } catch (e) {
    const why = (e as Error).name === 'TimeoutError' ? 'no answer within 8 s' : ((e as { cause?: Error }).cause?.message ?? (e as Error).message);
    return { id, status: 'warn', message: `could not reach plex.tv (${url.origin}): ${why}`, fix: 'Check the network (or PLEXARR_PLEX_TV_URL), then run `plexarr doctor` again.' };
  }
}
