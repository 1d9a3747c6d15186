import type { Secrets, StackConfig } from '../config/schema.js';
import { describeChange } from '../coordinate/outcome.js';
import type { AppliedSecrets, Hookup, HookupContext } from '../coordinate/types.js';
import type { LiveResult } from './build.js';

/**
 * `status --live`: ask the running apps instead of trusting SQLite. Each hookup's `plan()` is
 * GET-only, so this changes nothing; a plan of only `unchanged` means the link is in place.
 */
export interface LiveOptions<C> {
  config: StackConfig;
  secrets: Secrets;
  clients: C;
  /** What plexarr last applied of the masked secrets; read-only here (`record` does nothing). */
  applied: AppliedSecrets;
  /** Per hookup; a hung app must not hang the dashboard. */
  timeoutMs: number;
  concurrency: number;
}

export async function checkLive<C>(hookups: readonly Hookup<C>[], opts: LiveOptions<C>): Promise<Map<string, LiveResult>> {
  const results = new Map<string, LiveResult>();
  const queue = hookups.filter((h) => h.skipReason(opts.config, opts.secrets) === null);
  const worker = async () => {
    for (let h = queue.shift(); h; h = queue.shift()) results.set(h.id, await planOne(h, opts));
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
  return results;
}

async function planOne<C>(hookup: Hookup<C>, opts: LiveOptions<C>): Promise<LiveResult> {
  const signal = AbortSignal.timeout(opts.timeoutMs);
  const ctx: HookupContext<C> = {
    config: opts.config,
    secrets: opts.secrets,
    clients: opts.clients,
    applied: opts.applied,
    dryRun: true,
    signal,
    log: () => {},
  };
  try {
    const plan = await Promise.race([hookup.plan(ctx), aborted(signal, opts.timeoutMs)]);
    const changes = plan.filter((c) => c.kind !== 'unchanged');
    return changes.length === 0 ? { state: 'linked' } : { state: 'drift', changes: changes.map(describeChange) };
  } catch (e) {
    return { state: 'failed', reason: e instanceof Error ? e.message : String(e) };
  }
}

function aborted(signal: AbortSignal, ms: number): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(new Error(`no answer within ${ms / 1000} s`)), { once: true });
  });
}
