import type { TaskRecorder } from '../state/task-runs.js';
import { describeError, isTransient } from './errors.js';
import type { TaskNode } from './graph.js';
import { VerifyError, type TaskOutcome } from './outcome.js';
import { adviceFor } from './summary.js';
import type { HookupContext, PlannedChange } from './types.js';
import { ProbeError, type Probe } from './wait.js';

/**
 * How one task runs once the scheduler lets it: a readiness wait asks its probe with backoff; a
 * hookup plans, applies and plans again to verify, retrying transient errors.
 */

/** What every task of one run shares. */
export interface RunContext<C> {
  ctx: HookupContext<C>;
  probe: Probe;
  recorder?: TaskRecorder;
  /** Masks secrets in every message kept or shown. */
  clean: (text: string) => string;
  signal: AbortSignal;
  /** Why the run was cut short when `signal` aborts. */
  timeoutText: string;
  dryRun: boolean;
  maxAttempts: number;
  retryDelayMs: number;
  retryDelayCapMs: number;
  /** Dry run: tasks whose effect is not in the apps yet, so their dependents may not be plannable. */
  unapplied: Set<string>;
}

const WAIT_FIRST_MS = 100;
const WAIT_CAP_MS = 1000;

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function outcomeBase(node: TaskNode<unknown>, started: number, attempts: number) {
  return { id: node.id, title: node.title, kind: node.kind, attempts, durationMs: Date.now() - started };
}

const publicChange = ({ kind, target, fields }: PlannedChange): PlannedChange => ({ kind, target, ...(fields ? { fields } : {}) });

export async function waitForService<C>(run: RunContext<C>, node: TaskNode<C>, started: number): Promise<TaskOutcome> {
  const service = node.services[0]!;
  const { signal } = run;
  let delay = WAIT_FIRST_MS;
  let attempts = 0;
  let last = '';
  for (;;) {
    attempts += 1;
    try {
      await run.probe(service, signal);
      return { ...outcomeBase(node, started, attempts), status: 'done' };
    } catch (err) {
      // The probe cut short by the deadline says nothing new; keep what the service last said.
      if (!signal.aborted || last === '') last = err instanceof Error ? err.message : String(err);
      if ((err instanceof ProbeError && err.fatal) || signal.aborted) {
        const error = run.clean(signal.aborted ? `${last}; ${run.timeoutText} waiting for it` : last);
        return { ...outcomeBase(node, started, attempts), status: 'failed', error, advice: adviceFor(err, node, signal.aborted) };
      }
    }
    await sleep(delay, signal);
    delay = Math.min(delay * 2, WAIT_CAP_MS);
  }
}

export async function runHookup<C>(
  run: RunContext<C>,
  node: TaskNode<C>,
  started: number,
  upstreamUnapplied: boolean,
): Promise<TaskOutcome> {
  const hookup = node.hookup!;
  const { ctx, signal } = run;
  for (let attempt = 1; ; attempt++) {
    run.recorder?.attempt(node.id, attempt);
    try {
      const plan = await hookup.plan(ctx);
      const changes = plan.filter((c) => c.kind !== 'unchanged');
      if (run.dryRun) {
        if (changes.length > 0) run.unapplied.add(node.id);
        return { ...outcomeBase(node, started, attempt), status: 'done', changes: plan.map(publicChange) };
      }
      if (changes.length > 0) {
        await hookup.apply(ctx, plan);
        const left = (await hookup.plan(ctx)).filter((c) => c.kind !== 'unchanged');
        if (left.length > 0) throw new VerifyError(left);
      }
      return { ...outcomeBase(node, started, attempt), status: 'done', changes: changes.map(publicChange) };
    } catch (err) {
      if (run.dryRun && upstreamUnapplied) {
        run.unapplied.add(node.id);
        const reason = run.clean(`cannot be planned before its dependencies' changes are applied (${describeError(err)})`);
        return { ...outcomeBase(node, started, attempt), status: 'pending', reason };
      }
      const retry = !(err instanceof VerifyError) && isTransient(err) && attempt < run.maxAttempts && !signal.aborted;
      if (!retry) {
        const said = describeError(err);
        const error = run.clean(signal.aborted ? `${said} (${run.timeoutText})` : said);
        return { ...outcomeBase(node, started, attempt), status: 'failed', error, advice: adviceFor(err, node, signal.aborted) };
      }
      await sleep(Math.min(run.retryDelayMs * 2 ** (attempt - 1), run.retryDelayCapMs), signal);
    }
  }
}
