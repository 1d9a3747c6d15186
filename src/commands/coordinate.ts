import { z } from 'zod';
import { plexTokenSchema } from '../config/answers.js';
import { homeOptionSchema, hostAddressSchema, type Secrets, type StackConfig } from '../config/schema.js';
import { buildGraph, selectTasks } from '../coordinate/graph.js';
import { runGraph, type RendererName } from '../coordinate/runner.js';
import { formatReport } from '../coordinate/summary.js';
import type { Hookup } from '../coordinate/types.js';
import { onlyRunning, type StackState } from '../coordinate/stack.js';
import { httpProbe, type Probe } from '../coordinate/wait.js';
import { EXIT, UsageError, WorkError } from '../errors.js';
import { stackPaths } from '../home.js';
import { masker, maskedValues } from '../redact.js';
import { appliedSecrets } from '../state/applied-secrets.js';
import { loadHome, requireStack } from '../state/load-home.js';
import { withHomeLock } from '../state/lock.js';
import { setSecrets } from '../state/secrets.js';
import { finishRun, latestTaskStates, startRun, taskRecorder, type RunMode } from '../state/task-runs.js';
import { createClients, type Clients } from '../clients/index.js';
import { echo } from '../ui/echo.js';
import { createLogger, type Logger } from '../ui/logger.js';
import { plexarrCommand } from '../ui/invocation.js';

/** `--only` may be repeated or comma-separated: `--only 'radarr.*,sonarr.*'`. */
const globsSchema = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) =>
    v === undefined
      ? []
      : [v]
          .flat()
          .flatMap((s) => s.split(','))
          .map((s) => s.trim())
          .filter((s) => s !== ''),
  );

export const coordinateOptionsSchema = z.strictObject({
  home: homeOptionSchema,
  host: hostAddressSchema.default('127.0.0.1'),
  retry: z.boolean().default(false),
  only: globsSchema,
  dryRun: z.boolean().default(false),
  /**
   * Hookups at once. Right after the readiness waits about 15 hookups are ready together; with
   * fewer slots the early ones hold them while the longest chain (the request manager's) queues,
   * which measured 1.58× its critical path at 8 and 1.33× at 16 (bench/coordinate.mjs). 16
   * hookups over a default stack's 8 apps is still at most a few requests per app at a time.
   */
  concurrency: z.coerce.number().int('must be a whole number').min(1, 'must be 1 or more').max(64, 'must be at most 64').default(16),
  /** Seconds for the whole run, readiness waits and retries included. */
  timeout: z.coerce.number().int('must be a whole number of seconds').min(1, 'must be 1 or more').max(86_400).default(600),
  plexToken: plexTokenSchema.optional(),
  json: z.boolean().default(false),
});
export type CoordinateOptions = z.input<typeof coordinateOptionsSchema>;

export interface CoordinateDeps<C> {
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Every hookup plexarr knows (`allHookups()`); loaded lazily by the CLI. */
  hookups(): Promise<readonly Hookup<C>[]>;
  /**
   * The API clients, reaching the apps at `http://<host>:<published port>`; `signal` aborts at
   * the run's deadline, so a request in flight ends with it; `home` locates the compose file (for
   * the services driven through Compose, such as Recyclarr).
   */
  clients(config: StackConfig, secrets: Secrets, host: string, signal: AbortSignal, home: string): Promise<C>;
  /** Whether Docker runs the stack's containers (asked before any readiness wait). */
  stack(home: string, config: StackConfig): Promise<StackState>;
  /** Readiness probes; default: HTTP from this machine. */
  probe?(config: StackConfig, secrets: Secrets, host: string): Promise<Probe>;
  /** Progress drawing; default: listr2's default renderer on a TTY, the simple one otherwise. */
  renderer?: RendererName;
  isTTY?: boolean;
  /** Where progress goes in --json mode (stdout carries the JSON). */
  progressStream?: NodeJS.WriteStream;
  /** Runner knobs for tests (attempt count and delays). */
  retry?: { maxAttempts?: number; retryDelayMs?: number };
}

/** What the CLI runs with: real clients over HTTP, every hookup plexarr knows, output on the terminal. */
export function defaultCoordinateDeps(): CoordinateDeps<Clients> {
  return {
    log: createLogger(),
    hookups: async () => (await import('../coordinate/hookups/index.js')).allHookups(),
    clients: async (config, secrets, host, signal, home) =>
      createClients({ config, secrets, host, signal, composeFile: stackPaths(home).composeFile }),
    stack: async (home, config) => {
      const [{ stackState }, { realExec }] = await Promise.all([import('../coordinate/stack.js'), import('../docker/exec.js')]);
      return stackState(realExec, stackPaths(home).composeFile, config);
    },
  };
}

/**
 * Wires the running stack: every hookup whose dependencies are met, concurrently, recorded in
 * SQLite. Returns the exit code: 0 when every selected task is done or skipped on purpose, 1 when
 * any failed or could not run (the report says what to do). Bad options throw (exit 2, nothing written).
 */
export async function runCoordinate<C = Clients>(
  options: CoordinateOptions,
  deps: CoordinateDeps<C> = defaultCoordinateDeps() as unknown as CoordinateDeps<C>,
): Promise<number> {
  const opts = coordinateOptionsSchema.parse(options);
  requireStack(opts.home);
  return withHomeLock(opts.home, 'coordinate', () => coordinateIn(opts, deps));
}

async function coordinateIn<C>(opts: z.output<typeof coordinateOptionsSchema>, deps: CoordinateDeps<C>): Promise<number> {
  const home = loadHome(opts.home);
  const { state, config } = home;
  try {
    const secrets: Secrets = { ...home.secrets, ...(opts.plexToken ? { PLEX_TOKEN: opts.plexToken } : {}) };
    const secretValues = maskedValues(secrets);
    const graph = buildGraph(await deps.hookups(), config, secrets);
    const selection = selectTasks(graph, { only: opts.only, retry: opts.retry, latest: latestTaskStates(state.db) });
    if (selection.unmatched.length > 0) {
      throw new UsageError(
        `--only ${selection.unmatched.map((g) => `'${echo(g)}'`).join(', ')} matches no task. Known tasks: ${graph.order.join(', ')}`,
        'only',
      );
    }
    // Stored only now that the options are known to be good, and never by a dry run (it changes nothing).
    if (opts.plexToken && !opts.dryRun) setSecrets(state.db, { PLEX_TOKEN: opts.plexToken });
    if (selection.tasks.length === 0) {
      const text = 'Nothing to retry: every hookup is done.';
      deps.log.info(opts.json ? JSON.stringify({ ok: true, dryRun: opts.dryRun, tasks: [], message: text }, null, 2) : text);
      return EXIT.ok;
    }

    const stack = await deps.stack(opts.home, config);
    if (stack.state === 'down') throw new WorkError(`The stack is not running: ${stack.why} — run \`${plexarrCommand('deploy')}\`.`);
    if (stack.state === 'unknown')
      deps.log.warn(`Could not ask Docker whether the stack is running (${stack.why}); waiting for the services anyway.`);

    const mode: RunMode = opts.dryRun ? 'dry-run' : opts.retry ? 'retry' : opts.only.length > 0 ? 'only' : 'full';
    const runId = startRun(state.db, mode, selection.tasks);
    // One deadline for the whole run: the runner stops starting work, and every request in flight ends.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), opts.timeout * 1000);
    let result;
    try {
      const clients = await deps.clients(config, secrets, opts.host, deadline.signal, opts.home);
      const reachable = await (deps.probe ?? httpProbe)(config, secrets, opts.host);
      const probe = stack.state === 'up' ? onlyRunning(reachable, config, stack.containers) : reachable;
      const isTTY = deps.isTTY ?? process.stdout.isTTY === true;
      result = await runGraph(
        graph,
        selection.tasks,
        {
          concurrency: opts.concurrency,
          timeoutMs: opts.timeout * 1000,
          signal: deadline.signal,
          dryRun: opts.dryRun,
          renderer: deps.renderer ?? (isTTY && !opts.json ? 'default' : 'simple'),
          ...(opts.json ? { output: deps.progressStream ?? process.stderr } : {}),
          ...deps.retry,
        },
        {
          context: { config, secrets, clients, applied: appliedSecrets(state.db) },
          probe,
          recorder: taskRecorder(state.db, runId, secretValues),
          secretValues,
        },
      );
    } finally {
      clearTimeout(timer);
      finishRun(state.db, runId, result?.ok ? 'ok' : 'failed');
    }

    const clean = masker(secrets);
    if (opts.json) {
      deps.log.info(clean(JSON.stringify({ runId, mode, dryRun: opts.dryRun, ok: result.ok, tasks: result.outcomes }, null, 2)));
    } else {
      deps.log.info(clean(formatReport(result.outcomes, { dryRun: opts.dryRun })));
    }
    if (!result.ok) {
      const failed = result.outcomes.filter((o) => o.status === 'failed').length;
      const notRun = result.outcomes.filter((o) => o.status === 'pending').length;
      deps.log.error(`${failed} failed, ${notRun} not run. Fix the causes above, then run \`${plexarrCommand('coordinate --retry')}\`.`);
      return EXIT.failed;
    }
    return EXIT.ok;
  } finally {
    state.close();
  }
}
