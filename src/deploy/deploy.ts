import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { enabledServices } from '../catalog/index.js';
import { stackPaths } from '../compose/paths.js';
import type { Secrets, StackConfig } from '../config/schema.js';
import { composeCommand, composeUp, UP_ARGS, type Compose } from '../docker/compose.js';
import { commandLine, type Exec } from '../docker/exec.js';
import { UsageError, WorkError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import type { Protocol } from '../host/ports.js';
import { redact } from '../redact.js';
import { finishDeployment, latestConfigId, recordImages, recordPhase, startDeployment, type DeployPhase, type DeployTimings } from '../state/deployments.js';
import { setSecrets } from '../state/secrets.js';
import { applyChanges, describeChange } from './changes.js';
import { claimDecision, setEnvLine } from './claim.js';
import { waitHealthy, waitTargets } from './health.js';
import { planFolders } from './layout.js';
import { checkPrerequisites } from './prerequisites.js';
import { planPreseed } from './preseed.js';
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
  /** Runs `coordinate`; absent with --no-coordinate. Returns its exit code. */
  coordinate?(): Promise<number>;
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
  compose: { kind: Compose['kind']; version: string };
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
  if (!existsSync(composeFile)) throw new UsageError(`No generated compose file at ${composeFile}. Run \`${plexarrCommand('init')}\` first.`, 'home');
  return createHash('sha256').update(readFileSync(composeFile)).digest('hex');
}

export async function deployStack(ctx: DeployContext, opts: DeployRunOptions): Promise<DeployReport> {
  const paths = stackPaths(ctx.home);
  const hash = composeHash(paths.composeFile);
  const secretValues = Object.values(ctx.secrets);
  const timings: DeployTimings = {};
  const started = ctx.now();
  const id = opts.dryRun ? undefined : startDeployment(ctx.db, { configId: latestConfigId(ctx.db), composeHash: hash });
  let phase: DeployPhase = 'prerequisites';
  let phaseStart = started;
  const enter = (next: DeployPhase) => {
    timings[phase] = ctx.now() - phaseStart;
    phase = next;
    phaseStart = ctx.now();
    if (id !== undefined) recordPhase(ctx.db, id, phase, timings);
  };

  try {
    const pre = await checkPrerequisites({ ...ctx, composeFile: paths.composeFile });
    if (id !== undefined) recordImages(ctx.db, id, pre.images);
    pre.warnings.forEach((w) => ctx.warn(w));
    const report: DeployReport = {
      ok: true,
      dryRun: opts.dryRun,
      compose: { kind: pre.compose.kind, version: pre.compose.version },
      engineVersion: pre.engineVersion,
      composeHash: hash,
      images: pre.images,
      changes: [],
      commands: [],
      notes: [],
      timings,
    };
    if (id !== undefined) report.deploymentId = id;
    ctx.progress(`Docker ${pre.engineVersion}, Compose ${pre.compose.kind} ${pre.compose.version}`);

    enter('folders');
    const folders = planFolders(ctx.config);
    if (!opts.dryRun) applyChanges(folders, ctx.warn);

    enter('preseed');
    const preseed = planPreseed(ctx.config, ctx.secrets);
    if (!opts.dryRun) {
      applyChanges(preseed.changes, ctx.warn);
      if (Object.keys(preseed.adopt).length > 0) setSecrets(ctx.db, preseed.adopt);
    }
    report.changes = [...folders, ...preseed.changes].map(describeChange);
    if (!opts.dryRun) report.changes.forEach((c) => ctx.progress(`  ${c}`));
    report.notes.push(...preseed.notes);

    enter('claim');
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

    const up = composeCommand(pre.compose, paths.composeFile, [...UP_ARGS]);
    report.commands.push(commandLine(up.file, up.args));
    const targets = waitTargets(ctx.config, enabledServices(ctx.config));
    if (opts.dryRun) {
      report.commands.push(`wait until healthy: ${targets.map((t) => t.container).join(', ')}`);
      if (ctx.coordinate) report.commands.push(`plexarr coordinate --home ${ctx.home}`);
      timings.total = ctx.now() - started;
      return report;
    }

    enter('up');
    ctx.progress(`Starting ${targets.length} containers: ${report.commands[0]}`);
    await composeUp(ctx.exec, pre.compose, paths.composeFile);

    enter('health');
    const waitStart = ctx.now();
    const health = await waitHealthy(ctx, targets, {
      timeoutMs: opts.timeoutMs,
      host: opts.host,
      onChange: (t, state, detail) => {
        const after = `${((ctx.now() - waitStart) / 1000).toFixed(1)} s`;
        ctx.progress(state === 'ready' ? `  ✔ ${t.container} healthy (${after})` : `  … ${t.container} ${state}: ${detail}`);
      },
    });

    if (ctx.coordinate) {
      enter('coordinate');
      report.lastHealthyAt = health.lastHealthyAt;
      report.coordinateStartedAt = ctx.now();
      timings.healthyToCoordinate = Math.max(0, report.coordinateStartedAt - health.lastHealthyAt);
      report.coordinateExitCode = await ctx.coordinate();
      report.ok = report.coordinateExitCode === 0;
    }
    enter('done');
    timings.total = ctx.now() - started;
    if (id !== undefined) {
      const error = report.ok ? undefined : `coordinate: some hookups did not finish; run \`${plexarrCommand('coordinate --retry')}\``;
      finishDeployment(ctx.db, id, { outcome: report.ok ? 'succeeded' : 'failed', phase: report.ok ? 'done' : 'coordinate', timings, ...(error ? { error } : {}) });
    }
    return report;
  } catch (error) {
    timings[phase] = ctx.now() - phaseStart;
    timings.total = ctx.now() - started;
    const message = redact(error instanceof Error ? error.message : String(error), secretValues);
    if (id !== undefined) finishDeployment(ctx.db, id, { outcome: 'failed', phase, timings, error: message });
    if (error instanceof UsageError) throw error;
    // Compose and the apps may echo a secret back; what is printed is the redacted text.
    throw new WorkError(error instanceof WorkError ? message : `Deploy failed during ${phase}: ${message}`);
  }
}

/** A claim that cannot be fetched leaves Plex unclaimed but the stack usable: warn, go on. */
async function writeClaim(ctx: DeployContext, envFile: string, plexToken: string, report: DeployReport): Promise<void> {
  let token: string;
  try {
    token = await ctx.fetchClaim(plexToken);
  } catch (error) {
    ctx.warn(
      `Could not get a Plex claim token from plex.tv (${redact((error as Error).message, Object.values(ctx.secrets))}); Plex starts unclaimed. Check the token and run \`${plexarrCommand('deploy')}\` again.`,
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
