import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { enabledServices } from '../catalog/index.js';
import { stackPaths, type StackPaths } from '../home.js';
import type { Secrets, StackConfig } from '../config/schema.js';
import type { ContainerInfo } from '../docker/compose.js';
import type { Exec } from '../docker/exec.js';
import type { StackEngine } from '../engine/index.js';
import { UsageError, WorkError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import type { Protocol } from '../host/ports.js';
import { masker } from '../redact.js';
import {
  finishDeployment,
  latestConfigId,
  recordImages,
  recordPhase,
  startDeployment,
  type DeployPhase,
  type DeployTimings,
} from '../state/deployments.js';
import { setSecrets } from '../state/secrets.js';
import { applyChanges, describeChange, type FileChange } from './changes.js';
import { claimDecision, setEnvLine } from './claim.js';
import { waitHealthy, waitTargets, type HealthResult, type WaitTarget } from './health.js';
import { planFolders } from './layout.js';
import { checkPrerequisites } from './prerequisites.js';
import { planPreseed, type PreseedPlan } from './preseed.js';
import { plexarrCommand } from '../ui/invocation.js';

/**
 * The deploy sequence: prerequisites → folders → pre-seeded files → Plex claim → `compose up` →
 * health wait → coordinate. Each phase is timed and recorded in the `deployments` row, so a failed
 * run says where it stopped; every step is idempotent, so running deploy again continues.
 */

export interface DeployContext {
  exec: Exec;
  db: Database;
  home: string;
  config: StackConfig;
  secrets: Secrets;
  /** Progress lines (stderr in --json mode). */
  progress(text: string): void;
  warn(text: string): void;
  now(): number;
  sleep(ms: number): Promise<void>;
  isPortFree(port: number, protocol: Protocol): Promise<boolean>;
  tcpOpen?(host: string, port: number): Promise<boolean>;
  /** Asks plex.tv for a fresh claim token with the account token. */
  fetchClaim(plexToken: string): Promise<string>;
  /**
   * Runs `coordinate` on the containers the health wait has just seen healthy (so it need not ask
   * Docker again); absent with --no-coordinate. Returns its exit code.
   */
  coordinate?(running: ContainerInfo[]): Promise<number>;
}

export interface DeployRunOptions {
  dryRun: boolean;
  /** Per-service health wait, in milliseconds. */
  timeoutMs: number;
  host: string;
}

export interface DeployReport {
  ok: boolean;
  dryRun: boolean;
  deploymentId?: number;
  /** Compose `v2`/`v1` with its version, or `swarm` (version empty: the engine's is engineVersion). */
  compose: { kind: StackEngine['flavour']; version: string };
  engineVersion: string;
  composeHash: string;
  images: string[];
  /** File changes made (or, in a dry run, that would be made). */
  changes: string[];
  commands: string[];
  notes: string[];
  timings: DeployTimings;
  /** Epoch ms: when the last container became healthy (Docker's clock) and coordinate was started. */
  lastHealthyAt?: number;
  coordinateStartedAt?: number;
  coordinateExitCode?: number;
}

/** The hash of the compose file as written, recorded with the deployment. */
export function composeHash(composeFile: string): string {
  if (!existsSync(composeFile))
    throw new UsageError(`No generated compose file at ${composeFile}. Run \`${plexarrCommand('init')}\` first.`, 'home');
  return createHash('sha256').update(readFileSync(composeFile)).digest('hex');
}

/** The phase a run is in, its timings, and its `deployments` row (none in a dry run). */
interface PhaseClock {
  id: number | undefined;
  phase: DeployPhase;
  timings: DeployTimings;
  started: number;
  phaseStart: number;
}

function enter(ctx: DeployContext, clock: PhaseClock, next: DeployPhase): void {
  clock.timings[clock.phase] = ctx.now() - clock.phaseStart;
  clock.phase = next;
  clock.phaseStart = ctx.now();
  if (clock.id !== undefined) recordPhase(ctx.db, clock.id, clock.phase, clock.timings);
}

export async function deployStack(ctx: DeployContext, opts: DeployRunOptions): Promise<DeployReport> {
  const paths = stackPaths(ctx.home);
  const hash = composeHash(paths.composeFile);
  const started = ctx.now();
  const id = opts.dryRun ? undefined : startDeployment(ctx.db, { configId: latestConfigId(ctx.db), composeHash: hash });
  const clock: PhaseClock = { id, phase: 'prerequisites', timings: {}, started, phaseStart: started };
  try {
    const { report, engine } = await prerequisites(ctx, opts, paths, hash, clock);
    enter(ctx, clock, 'folders');
    const folders = prepareFolders(ctx, opts);
    enter(ctx, clock, 'preseed');
    const preseed = preseedFiles(ctx, opts);
    report.changes = [...folders, ...preseed.changes].map(describeChange);
    if (!opts.dryRun) report.changes.forEach((c) => ctx.progress(`  ${c}`));
    report.notes.push(...preseed.notes);
    enter(ctx, clock, 'claim');
    await claimPlex(ctx, opts, paths, report);

    report.commands.push(engine.upCommand(paths.composeFile));
    const targets = waitTargets(ctx.config, enabledServices(ctx.config));
    if (opts.dryRun) {
      report.commands.push(`wait until healthy: ${targets.map((t) => t.container).join(', ')}`);
      if (ctx.coordinate) report.commands.push(`plexarr coordinate --home ${ctx.home}`);
      clock.timings.total = ctx.now() - started;
      return report;
    }

    enter(ctx, clock, 'up');
    ctx.progress(`Starting ${targets.length} containers: ${report.commands[0]}`);
    await engine.up(paths.composeFile);
    enter(ctx, clock, 'health');
    const health = await waitForHealth(ctx, opts, targets, engine);
    if (ctx.coordinate) {
      enter(ctx, clock, 'coordinate');
      await coordinate(ctx, ctx.coordinate, report, health);
    }
    enter(ctx, clock, 'done');
    finish(ctx, clock, report);
    return report;
  } catch (error) {
    throw failed(ctx, clock, error);
  }
}

async function prerequisites(
  ctx: DeployContext,
  opts: DeployRunOptions,
  paths: StackPaths,
  hash: string,
  clock: PhaseClock,
): Promise<{ report: DeployReport; engine: StackEngine }> {
  const pre = await checkPrerequisites({ ...ctx, composeFile: paths.composeFile });
  if (clock.id !== undefined) recordImages(ctx.db, clock.id, pre.images);
  pre.warnings.forEach((w) => ctx.warn(w));
  const report: DeployReport = {
    ok: true,
    dryRun: opts.dryRun,
    compose: { kind: pre.engine.flavour, version: pre.engine.version },
    engineVersion: pre.engineVersion,
    composeHash: hash,
    images: pre.images,
    changes: [],
    commands: [],
    notes: [],
    timings: clock.timings,
  };
  if (clock.id !== undefined) report.deploymentId = clock.id;
  ctx.progress(`Docker ${pre.engineVersion}, ${pre.engine.label}`);
  return { report, engine: pre.engine };
}

function prepareFolders(ctx: DeployContext, opts: DeployRunOptions): FileChange[] {
  const folders = planFolders(ctx.config);
  if (!opts.dryRun) applyChanges(folders, ctx.warn);
  return folders;
}

function preseedFiles(ctx: DeployContext, opts: DeployRunOptions): PreseedPlan {
  const preseed = planPreseed(ctx.config, ctx.secrets);
  if (!opts.dryRun) {
    applyChanges(preseed.changes, ctx.warn);
    if (Object.keys(preseed.adopt).length > 0) setSecrets(ctx.db, preseed.adopt);
  }
  return preseed;
}

async function claimPlex(ctx: DeployContext, opts: DeployRunOptions, paths: StackPaths, report: DeployReport): Promise<void> {
  const claim = claimDecision(ctx.config, ctx.secrets);
  if (claim.needed && ctx.secrets.PLEX_TOKEN) {
    if (opts.dryRun) {
      report.changes.push(`ask plex.tv for a claim token and write PLEX_CLAIM into ${paths.envFile} (mode 0600)`);
    } else {
      await writeClaim(ctx, paths.envFile, ctx.secrets.PLEX_TOKEN, report);
    }
  } else if (ctx.config.services.plex.enabled) {
    report.notes.push(`Plex claim skipped: ${claim.needed ? 'no Plex account token' : claim.reason}.`);
  }
}

function waitForHealth(
  ctx: DeployContext,
  opts: DeployRunOptions,
  targets: readonly WaitTarget[],
  engine: StackEngine,
): Promise<HealthResult> {
  const waitStart = ctx.now();
  return waitHealthy({ ...ctx, inspect: engine.inspect, logsCommand: engine.logsCommand }, targets, {
    timeoutMs: opts.timeoutMs,
    host: opts.host,
    onChange: (t, state, detail) => {
      const after = `${((ctx.now() - waitStart) / 1000).toFixed(1)} s`;
      ctx.progress(state === 'ready' ? `  ✔ ${t.container} healthy (${after})` : `  … ${t.container} ${state}: ${detail}`);
    },
  });
}

async function coordinate(
  ctx: DeployContext,
  run: (running: ContainerInfo[]) => Promise<number>,
  report: DeployReport,
  health: HealthResult,
): Promise<void> {
  report.lastHealthyAt = health.lastHealthyAt;
  report.coordinateStartedAt = ctx.now();
  report.timings.healthyToCoordinate = Math.max(0, report.coordinateStartedAt - health.lastHealthyAt);
  report.coordinateExitCode = await run(health.containers);
  report.ok = report.coordinateExitCode === 0;
}

function finish(ctx: DeployContext, clock: PhaseClock, report: DeployReport): void {
  clock.timings.total = ctx.now() - clock.started;
  if (clock.id === undefined) return;
  const error = report.ok ? undefined : `coordinate: some hookups did not finish; run \`${plexarrCommand('coordinate --retry')}\``;
  finishDeployment(ctx.db, clock.id, {
    outcome: report.ok ? 'succeeded' : 'failed',
    phase: report.ok ? 'done' : 'coordinate',
    timings: clock.timings,
    ...(error ? { error } : {}),
  });
}

/** Records where the run stopped and turns the error into what is printed, secrets masked. */
function failed(ctx: DeployContext, clock: PhaseClock, error: unknown): Error {
  clock.timings[clock.phase] = ctx.now() - clock.phaseStart;
  clock.timings.total = ctx.now() - clock.started;
  const message = masker(ctx.secrets)(error instanceof Error ? error.message : String(error));
  if (clock.id !== undefined)
    finishDeployment(ctx.db, clock.id, { outcome: 'failed', phase: clock.phase, timings: clock.timings, error: message });
  if (error instanceof UsageError) return error;
  // Compose and the apps may echo a secret back; what is printed is the redacted text.
  return new WorkError(error instanceof WorkError ? message : `Deploy failed during ${clock.phase}: ${message}`);
}

/** A claim that cannot be fetched leaves Plex unclaimed but the stack usable: warn, go on. */
async function writeClaim(ctx: DeployContext, envFile: string, plexToken: string, report: DeployReport): Promise<void> {
  let token: string;
  try {
    token = await ctx.fetchClaim(plexToken);
  } catch (error) {
    ctx.warn(
      `Could not get a Plex claim token from plex.tv (${masker(ctx.secrets)((error as Error).message)}); Plex starts unclaimed. Check the token and run \`${plexarrCommand('deploy')}\` again.`,
    );
    return;
  }
  const current = existsSync(envFile) ? readFileSync(envFile, 'utf8') : '';
  writeFileAtomic(envFile, setEnvLine(current, 'PLEX_CLAIM', token), 0o600);
  setSecrets(ctx.db, { PLEX_CLAIM: token });
  const change = `write ${envFile} (fresh PLEX_CLAIM from plex.tv, mode 0600)`;
  report.changes.push(change);
  ctx.progress(`  ${change}`);
}
