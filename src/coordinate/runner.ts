import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import { redact } from '../redact.js';
import type { TaskRecorder } from '../state/task-runs.js';
import { describeError } from './errors.js';
import { outcomeBase, type RunContext } from './executors.js';
import type { TaskGraph } from './graph.js';
import { describeChange, type RunResult, type TaskOutcome } from './outcome.js';
import { createScheduler } from './scheduler.js';
import { adviceFor } from './summary.js';
import type { HookupContext } from './types.js';
import type { Probe } from './wait.js';

/**
 * Runs the selected tasks of a graph: the scheduler decides when each starts, the executors run
 * it, and listr2 only draws the progress.
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

export async function runGraph<C>(
  graph: TaskGraph<C>,
  selected: readonly string[],
  opts: RunnerOptions,
  deps: RunnerDeps<C>,
): Promise<RunResult> {
  const clean = (text: string) => redact(text, deps.secretValues);
  const timeoutText = `the --timeout of ${Math.round(opts.timeoutMs / 1000)} s ran out`;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(timeoutText)), opts.timeoutMs);
  timer.unref?.();
  const signal = opts.signal ? AbortSignal.any([abort.signal, opts.signal]) : abort.signal;
  const record = deps.recorder;
  const run: RunContext<C> = {
    ctx: { ...deps.context, dryRun: opts.dryRun, signal, log: () => undefined },
    probe: deps.probe,
    ...(record ? { recorder: record } : {}),
    clean,
    signal,
    timeoutText,
    dryRun: opts.dryRun,
    maxAttempts: opts.maxAttempts ?? 5,
    retryDelayMs: opts.retryDelayMs ?? 250,
    retryDelayCapMs: opts.retryDelayCapMs ?? 2000,
    unapplied: new Set(),
  };
  const scheduler = createScheduler(run, selected, opts.concurrency);

  const outcomes = new Map<string, TaskOutcome>();
  const tasks = selected.map((id) => {
    const node = graph.nodes.get(id)!;
    return {
      title: node.title,
      task: async (_: unknown, t: { title: string; output: string; skip: (m?: string) => void }) => {
        const outcome = await scheduler
          .run(node, (ids) => {
            t.title = `${node.title} (after ${ids.join(', ')})`;
          })
          .catch((err: unknown): TaskOutcome => ({
            ...outcomeBase(node, Date.now(), 0),
            status: 'failed',
            error: clean(describeError(err)),
            advice: adviceFor(err, node, false),
          }));
        outcomes.set(id, outcome);
        scheduler.settle(id, outcome);
        record?.finished(id, {
          status: outcome.status,
          error: outcome.error,
          detail: outcome.advice ?? outcome.reason ?? changeDetail(outcome),
        });
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
