import { isApiError } from '../../clients/errors.js';
import type { Secrets, ServiceId, StackConfig } from '../../config/schema.js';
import type { PlannedChange } from '../types.js';
import { disabledReason, firstReason, plexTokenReason, type Ctx } from './shared.js';

/**
 * The request manager (Seerr or Overseerr) is set up from a Plex account: its API key works only
 * once `auth/plex` has made that account user 1, so every `requests.*` hookup needs the
 * Plex token, and in a dry run on a fresh install its reads are refused with 403.
 */

export function requestsSkip(config: StackConfig, secrets: Secrets, also: ServiceId[] = []): string | null {
  return firstReason(disabledReason(config, ['requests', ...also]), plexTokenReason(secrets));
}

/** Plans normally; in a dry run before the admin exists, reports the whole hookup as to be created. */
export async function planAfterAdmin(
  ctx: Pick<Ctx, 'dryRun'>,
  target: string,
  plan: () => Promise<PlannedChange[]>,
): Promise<PlannedChange[]> {
  try {
    return await plan();
  } catch (error) {
    if (ctx.dryRun && isApiError(error) && (error.status === 401 || error.status === 403)) return [{ kind: 'create', target }];
    throw error;
  }
}
