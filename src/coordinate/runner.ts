import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import { redact } from '../redact.js';
import type { TaskRecorder, TaskStatus } from '../state/task-runs.js';
import { describeError, isTransient } from './errors.js';
import type { TaskGraph, TaskNode } from './graph.js';
import { adviceFor, describeChange, VerifyError } from './summary.js';
import type { HookupContext, PlannedChange } from './types.js';
import { ProbeError, type Probe } from './wait.js';

/**
 * Runs the selected tasks of a graph: every task starts as soon as its dependencies are done,
 * at most `concurrency` hookups talk to the apps at once (readiness waits are cheap and do not
 * count), the tallest remaining chain goes first. listr2 only draws the progress.
 */

export type RendererName = 'default' | 'simple' | 'silent';

export interface RunnerOptions {
  concurrency: number;
  timeoutMs: number;
  /** The caller's deadline (the one its API clients abort on); the run stops when either fires. */
  signal?: AbortSignal;
  dryRun: boolean;
  renderer: RendererName;
  /** Where progress goes (stderr in --json mode, so stdout stays one JSON document). */
  output?: NodeJS.WriteStream;
  /** Attempts per hookup when errors are transient. */
  maxAttempts?: number;
  retryDelayMs?: number;
  retryDelayCapMs?: number;
}

export interface RunnerDeps<C> {
  context: Pick<HookupContext<C>, 'config' | 'secrets' | 'clients' | 'applied'>;
  probe: Probe;
  recorder?: TaskRecorder;
  /** Every secret value: masked in every message the runner keeps or shows. */
  secretValues: readonly string[];
}

export type OutcomeStatus = Exclude<TaskStatus, 'running'>;

export interface TaskOutcome {
  id: string;
  title: string;
  kind: 'hookup' | 'wait';
  status: OutcomeStatus;
  attempts: number;
  durationMs: number;
  /** What went wrong, in the app's words (failed). */
  error?: string;
  /** What to do about it (failed). */
  advice?: string;
  /** Why it was skipped or not run (skipped, pending). */
  reason?: string;
  /** Dry run: the plan. Otherwise: what was changed. Never the hookup's private `data`. */
  changes?: PlannedChange[];
}

export interface RunResult {
  outcomes: TaskOutcome[];
  ok: boolean;
}

const WAIT_FIRST_MS = 100;
const WAIT_CAP_MS = 1000;

class Slots {
  private readonly queue: { priority: number; go: () => void }[] = [];
  constructor(private free: number) {}
  acquire(priority: number): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return Promise.resolve();
    }
    return new Promise((go) => {
      this.queue.push({ priority, go });
      this.queue.sort((a, b) => b.priority - a.priority);
    });
  }
  release(): void {
    const next = this.queue.shift();
    if (next) next.go();
    else this.free += 1;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
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

const publicChange = ({ kind, target, fields }: PlannedChange): PlannedChange => ({ kind, target, ...(fields ? { fields } : {}) });

export async function runGraph<C>(graph: TaskGraph<C>, selected: readonly string[], opts: RunnerOptions, deps: RunnerDeps<C>): Promise<RunResult> {
  const chosen = new Set(selected);
  const clean = (text: string) => redact(text, deps.secretValues);
  const timeoutText = `the --timeout of ${Math.round(opts.timeoutMs / 1000)} s ran out`;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(timeoutText)), opts.timeoutMs);
  timer.unref?.();
  const signal = opts.signal ? AbortSignal.any([abort.signal, opts.signal]) : abort.signal;
  const slots = new Slots(Math.max(1, opts.concurrency));
  const settled = new Map<string, Promise<TaskOutcome>>();
  const resolvers = new Map<string, (o: TaskOutcome) => void>();
  for (const id of selected) settled.set(id, new Promise((r) => resolvers.set(id, r)));
  /** Dry run: tasks whose effect is not in the apps yet, so their dependents may not be plannable. */
  const unapplied = new Set<string>();
  const maxAttempts = opts.maxAttempts ?? 5;
  const record = deps.recorder;
  const ctx: HookupContext<C> = { ...deps.context, dryRun: opts.dryRun, signal, log: () => undefined };

  async function waitForService(node: TaskNode<C>, started: number): Promise<TaskOutcome> {
    const service = node.services[0]!;
    let delay = WAIT_FIRST_MS;
    let attempts = 0;
    let last = '';
    for (;;) {
      attempts += 1;
      try {
        await deps.probe(service, signal);
        return { ...base(node, started, attempts), status: 'done' };
      } catch (err) {
        // The probe cut short by the deadline says nothing new; keep what the service last said.
        if (!signal.aborted || last === '') last = err instanceof Error ? err.message : String(err);
        if ((err instanceof ProbeError && err.fatal) || signal.aborted) {
          const error = clean(signal.aborted ? `${last}; ${timeoutText} waiting for it` : last);
          return { ...base(node, started, attempts), status: 'failed', error, advice: adviceFor(err, node, signal.aborted) };
        }
      }
      await sleep(delay, signal);
      delay = Math.min(delay * 2, WAIT_CAP_MS);
    }
  }

  function base(node: TaskNode<C>, started: number, attempts: number) {
    return { id: node.id, title: node.title, kind: node.kind, attempts, durationMs: Date.now() - started };
  }

  async function runHookup(node: TaskNode<C>, started: number, upstreamUnapplied: boolean): Promise<TaskOutcome> {
    const hookup = node.hookup!;
    for (let attempt = 1; ; attempt++) {
      record?.attempt(node.id, attempt);
      try {
        const plan = await hookup.plan(ctx);
        const changes = plan.filter((c) => c.kind !== 'unchanged');
        if (opts.dryRun) {
          if (changes.length > 0) unapplied.add(node.id);
          return { ...base(node, started, attempt), status: 'done', changes: plan.map(publicChange) };
        }
        if (changes.length > 0) {
          await hookup.apply(ctx, plan);
          const left = (await hookup.plan(ctx)).filter((c) => c.kind !== 'unchanged');
          if (left.length > 0) throw new VerifyError(left);
        }
        return { ...base(node, started, attempt), status: 'done', changes: changes.map(publicChange) };
      } catch (err) {
        if (opts.dryRun && upstreamUnapplied) {
          unapplied.add(node.id);
          const reason = clean(`cannot be planned before its dependencies' changes are applied (${describeError(err)})`);
          return { ...base(node, started, attempt), status: 'pending', reason };
        }
        const retry = !(err instanceof VerifyError) && isTransient(err) && attempt < maxAttempts && !signal.aborted;
        if (!retry) {
          const said = describeError(err);
          const error = clean(signal.aborted ? `${said} (${timeoutText})` : said);
          return { ...base(node, started, attempt), status: 'failed', error, advice: adviceFor(err, node, signal.aborted) };
        }
        const first = opts.retryDelayMs ?? 250;
        await sleep(Math.min(first * 2 ** (attempt - 1), opts.retryDelayCapMs ?? 2000), signal);
      }
    }
  }

  async function runNode(node: TaskNode<C>, onWaiting: (ids: string[]) => void): Promise<TaskOutcome> {
    const queued = Date.now();
    if (node.skipReason !== null) return { ...base(node, queued, 0), status: 'skipped', reason: clean(node.skipReason) };
    const pendingDeps = node.dependsOn.filter((d) => chosen.has(d));
    if (pendingDeps.length > 0) onWaiting(pendingDeps);
    const depOutcomes = await Promise.all(pendingDeps.map((d) => settled.get(d)!));
    const upstreamUnapplied = opts.dryRun && node.dependsOn.some((d) => unapplied.has(d));
    const blocker = depOutcomes.find((o) => o.status === 'failed' || (o.status === 'pending' && !(opts.dryRun && unapplied.has(o.id))));
    if (blocker) {
      const why = blocker.status === 'failed' ? 'failed' : 'did not run';
      return { ...base(node, queued, 0), status: 'pending', reason: `not run: "${blocker.title}" (${blocker.id}) ${why}` };
    }
    if (node.kind === 'hookup') await slots.acquire(node.height);
    try {
      if (signal.aborted) return { ...base(node, queued, 0), status: 'pending', reason: `not run: ${timeoutText} first` };
      record?.started(node.id);
      const started = Date.now();
      return node.kind === 'wait' ? await waitForService(node, started) : await runHookup(node, started, upstreamUnapplied);
    } finally {
      if (node.kind === 'hookup') slots.release();
    }
  }

  const outcomes = new Map<string, TaskOutcome>();
  const tasks = selected.map((id) => {
    const node = graph.nodes.get(id)!;
    return {
      title: node.title,
      task: async (_: unknown, t: { title: string; output: string; skip: (m?: string) => void }) => {
        const outcome = await runNode(node, (ids) => {
          t.title = `${node.title} (after ${ids.join(', ')})`;
        }).catch(
          (err: unknown): TaskOutcome => ({ ...base(node, Date.now(), 0), status: 'failed', error: clean(describeError(err)), advice: adviceFor(err, node, false) }),
        );
        outcomes.set(id, outcome);
        resolvers.get(id)!(outcome);
        record?.finished(id, { status: outcome.status, error: outcome.error, detail: outcome.advice ?? outcome.reason ?? changeDetail(outcome) });
        t.title = node.title + titleSuffix(outcome, opts.dryRun);
        if (outcome.status === 'failed') throw new Error(outcome.error);
        if (outcome.status !== 'done') t.skip(outcome.reason);
        else if (opts.dryRun && outcome.changes) t.output = outcome.changes.map(describeChange).join('\n');
      },
    };
  });
  const logger = opts.output ? new ListrLogger({ processOutput: new ProcessOutput(opts.output, opts.output) }) : undefined;
  const list = new Listr(tasks, {
    concurrent: true,
    exitOnError: false,
    registerSignalListeners: false,
    renderer: opts.renderer,
    // Keep each task's title beside its skip reason ("not run: … failed") in both renderers.
    rendererOptions: { ...(logger ? { logger } : {}), ...(opts.renderer === 'default' ? { collapseSkips: false } : {}) },
  } as never);
  try {
    await list.run();
  } finally {
    clearTimeout(timer);
  }
  const ordered = selected.map((id) => outcomes.get(id)!);
  // A dry run cannot plan past changes it did not make; only a failure makes it not ok.
  const ok = ordered.every((o) => o.status === 'done' || o.status === 'skipped' || (opts.dryRun && o.status === 'pending'));
  return { outcomes: ordered, ok };
}

function changeDetail(o: TaskOutcome): string | undefined {
  if (!o.changes) return undefined;
  const changed = o.changes.filter((c) => c.kind !== 'unchanged');
  return changed.length === 0 ? 'unchanged' : changed.map(describeChange).join('; ');
}

function titleSuffix(o: TaskOutcome, dryRun: boolean): string {
  if (o.status !== 'done' || !o.changes) return '';
  const changed = o.changes.filter((c) => c.kind !== 'unchanged');
  if (changed.length === 0) return ' — unchanged';
  return dryRun ? ` — would ${changed.map((c) => c.kind).join(', ')}` : ` — ${changed.length} change${changed.length > 1 ? 's' : ''}`;
}
