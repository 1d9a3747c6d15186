import { z } from 'zod';
import { homeOptionSchema, hostAddressSchema, type Secrets } from '../config/schema.js';
import type { StackState } from '../coordinate/stack.js';
import type { DeployReport } from '../deploy/deploy.js';
import type { ContainerInfo } from '../docker/compose.js';
import type { Exec } from '../docker/exec.js';
import { EXIT } from '../errors.js';
import type { Protocol } from '../host/ports.js';
import type { Logger } from '../ui/logger.js';
import { plexarrCommand } from '../ui/invocation.js';

export const deployOptionsSchema = z.object({
  home: homeOptionSchema,
  host: hostAddressSchema.default('127.0.0.1'),
  /** Commander's `--no-coordinate` sets `coordinate: false`. */
  coordinate: z.boolean().default(true),
  dryRun: z.boolean().default(false),
  /** Seconds each service may take to become healthy. */
  timeout: z.coerce.number().int('must be a whole number of seconds').min(1, 'must be 1 or more').max(86_400).default(600),
  json: z.boolean().default(false),
});
export type DeployOptions = z.input<typeof deployOptionsSchema>;

/**
 * Runs `coordinate` right after the stack is healthy; `running`, the containers just seen healthy,
 * stands in for coordinate's own question to Docker. `capture` collects its output (for --json).
 */
export type CoordinateRun = (
  opts: { home: string; host: string; json: boolean; running?: ContainerInfo[] },
  capture?: (line: string) => void,
) => Promise<number>;

export interface DeployDeps {
  exec: Exec;
  log: Pick<Logger, 'info' | 'warn' | 'error' | 'success'>;
  now(): number;
  sleep(ms: number): Promise<void>;
  isPortFree(port: number, protocol: Protocol): Promise<boolean>;
  tcpOpen?(host: string, port: number): Promise<boolean>;
  fetchClaim(plexToken: string, secrets: Secrets): Promise<string>;
  coordinate: CoordinateRun;
  /** Progress in --json mode goes here (stdout carries the JSON). */
  stderr: Pick<NodeJS.WriteStream, 'write'>;
}

/** What the CLI runs with: real docker, real sockets, plex.tv at PLEXARR_PLEX_TV_URL, real coordinate. */
export async function defaultDeployDeps(): Promise<DeployDeps> {
  const [{ realExec }, { isPortFree }, { createLogger }] = await Promise.all([
    import('../docker/exec.js'),
    import('../host/ports.js'),
    import('../ui/logger.js'),
  ]);
  return {
    exec: realExec,
    log: createLogger(),
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    isPortFree,
    fetchClaim: async (plexToken, secrets) => {
      const [{ createPlexTvClient, plexTvUrl }, { maskedValues }] = await Promise.all([
        import('../clients/plextv.js'),
        import('../redact.js'),
      ]);
      return createPlexTvClient({ baseUrl: plexTvUrl(), token: plexToken, secrets: maskedValues(secrets), timeoutMs: 15_000 }).claimToken();
    },
    coordinate: async ({ running, ...opts }, capture) => {
      const { runCoordinate, defaultCoordinateDeps } = await import('./coordinate.js');
      const deps = defaultCoordinateDeps();
      // Asking Docker again whether the stack runs would only delay the first hookup (about 1 s on a real engine).
      if (running) deps.stack = async (): Promise<StackState> => ({ state: 'up', containers: running });
      if (!capture) return runCoordinate(opts, deps);
      const lines = (text: string) => capture(text);
      return runCoordinate(opts, { ...deps, log: { info: lines, warn: lines, error: lines }, progressStream: process.stderr });
    },
    stderr: process.stderr,
  };
}

/**
 * `plexarr deploy`: brings the saved stack up and wires it. Returns the exit code (0 all healthy
 * and coordinated, 1 coordinate left work undone); failures before that throw a WorkError whose
 * message says what to do, and the deployment row records where it stopped.
 */
export async function runDeploy(options: DeployOptions, injected?: DeployDeps): Promise<number> {
  const opts = deployOptionsSchema.parse(options);
  const deps = injected ?? (await defaultDeployDeps());
  const [{ requireStack }, { withHomeLock }] = await Promise.all([import('../state/load-home.js'), import('../state/lock.js')]);
  requireStack(opts.home);
  return withHomeLock(opts.home, 'deploy', () => deployIn(opts, deps));
}

async function deployIn(opts: z.output<typeof deployOptionsSchema>, deps: DeployDeps): Promise<number> {
  const [{ loadHome }, { deployStack }] = await Promise.all([import('../state/load-home.js'), import('../deploy/deploy.js')]);
  // Loading coordinate's code while containers start keeps the healthy → coordinate gap short.
  const coordinateLoaded = opts.coordinate && !opts.dryRun ? import('./coordinate.js').catch(() => undefined) : undefined;

  const { state, config, secrets } = loadHome(opts.home);
  let coordinateOutput: string[] = [];
  try {
    const progress = opts.json ? (text: string) => void deps.stderr.write(`${text}\n`) : (text: string) => deps.log.info(text);
    if (opts.dryRun) progress('Dry run: nothing is changed.');

    const report = await deployStack(
      {
        exec: deps.exec,
        db: state.db,
        home: opts.home,
        config,
        secrets,
        progress,
        warn: (text) => deps.log.warn(text),
        now: deps.now,
        sleep: deps.sleep,
        isPortFree: deps.isPortFree,
        ...(deps.tcpOpen ? { tcpOpen: deps.tcpOpen } : {}),
        fetchClaim: (token) => deps.fetchClaim(token, secrets),
        ...(opts.coordinate
          ? {
              coordinate: async (running) => {
                await coordinateLoaded;
                const coordinateOpts = { home: opts.home, host: opts.host, json: opts.json, running };
                if (!opts.json) return deps.coordinate(coordinateOpts);
                coordinateOutput = [];
                return deps.coordinate(coordinateOpts, (line) => coordinateOutput.push(line));
              },
            }
          : {}),
      },
      { dryRun: opts.dryRun, timeoutMs: opts.timeout * 1000, host: opts.host },
    );
    render(report, opts.json, coordinateOutput, deps.log);
    return report.ok ? EXIT.ok : EXIT.failed;
  } finally {
    state.close();
  }
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`;
}

function render(report: DeployReport, json: boolean, coordinateOutput: string[], log: DeployDeps['log']): void {
  if (json) {
    const coordinate = coordinateOutput.length === 1 ? parseJson(coordinateOutput[0] ?? '') : undefined;
    log.info(
      JSON.stringify({ ...report, ...(coordinateOutput.length > 0 ? { coordinate: coordinate ?? coordinateOutput } : {}) }, null, 2),
    );
    return;
  }
  if (report.dryRun) {
    // A real run prints each change as it makes it; a dry run lists them here.
    log.info(
      report.changes.length > 0
        ? `Would:\n${report.changes.map((c) => `  ${c}`).join('\n')}`
        : 'Folders and pre-seeded files: nothing to change.',
    );
    log.info(`Would run:\n${report.commands.map((c) => `  ${c}`).join('\n')}`);
  }
  for (const note of report.notes) log.info(note);
  if (report.dryRun) return;
  const t = report.timings;
  const parts = [`${report.compose.kind === 'swarm' ? 'stack deploy' : 'compose up'} ${seconds(t.up)}`, `health wait ${seconds(t.health)}`];
  if (t.coordinate !== undefined)
    parts.push(`coordinate ${seconds(t.coordinate)}`, `healthy → coordinate ${t.healthyToCoordinate ?? '–'} ms`);
  const summary = `Deployment #${report.deploymentId ?? '?'} in ${seconds(t.total)} (${parts.join(', ')}).`;
  if (report.ok) log.success(summary);
  else log.error(`${summary} Coordinate left work undone: run \`${plexarrCommand('coordinate --retry')}\`.`);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
