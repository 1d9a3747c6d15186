import type { Database } from 'better-sqlite3';
import { containerName } from '../catalog/index.js';
import type { ServiceId, StackConfig } from '../config/schema.js';
import { waitHealthy, waitTargets, type HealthDeps } from '../deploy/health.js';
import { composeCommand, composeRecreate, detectCompose, serviceImages, type Compose } from '../docker/compose.js';
import { containerImages, imageId, pullImage, tagImage } from '../docker/docker.js';
import { commandLine } from '../docker/exec.js';
import { stackPaths } from '../home.js';
import { finishUpdate, recordBefore, type UpdateOutcome } from '../state/image-updates.js';
import { plexarrCommand } from '../ui/invocation.js';

export interface UpdateContext extends HealthDeps {
  db: Database;
  home: string;
  config: StackConfig;
  services: readonly ServiceId[];
  dryRun: boolean;
  rollback: boolean;
  timeoutMs: number;
  host: string;
  progress(text: string): void;
  /** Runs `coordinate` once recreated services are healthy; returns its exit code. */
  coordinate?: () => Promise<number>;
}

export interface ServiceUpdate {
  service: ServiceId;
  container: string;
  image: string;
  previousId?: string;
  newId?: string;
  outcome: Exclude<UpdateOutcome, 'running'> | 'planned';
  error?: string;
}

export interface UpdateReport {
  ok: boolean;
  dryRun: boolean;
  services: ServiceUpdate[];
  /** Dry run: what would run. */
  commands: string[];
  coordinateExitCode?: number;
}

const short = (id: string | undefined) => (id ? id.replace(/^sha256:/, '').slice(0, 12) : 'none');

/**
 * The writing body of `plexarr update`. Each container's current image id is recorded in SQLite
 * before anything is pulled; images are pulled one by one; only containers whose image id changed
 * are recreated (`up -d --no-deps`), one at a time, each waited for until healthy. One that does
 * not become healthy gets its recorded image back (tagged to the name again, recreated) unless
 * `rollback` is off. Coordinate then repairs any drift the new versions brought.
 */
export async function updateStack(ctx: UpdateContext): Promise<UpdateReport> {
  const { composeFile } = stackPaths(ctx.home);
  const compose = await detectCompose(ctx.exec);
  const images = await serviceImages(ctx.exec, compose, composeFile);
  const plan: ServiceUpdate[] = ctx.services.map((service) => {
    const container = containerName(service, ctx.config);
    return { service, container, image: images[container] ?? '', outcome: 'planned' };
  });
  const report: UpdateReport = { ok: true, dryRun: ctx.dryRun, services: plan, commands: [] };
  const pulls = [...new Set(plan.map((p) => p.image).filter(Boolean))];
  if (ctx.dryRun) {
    const up = composeCommand(compose, composeFile, ['up', '-d', '--no-deps', '<each service whose image changed>']);
    report.commands.push(...pulls.map((i) => `docker pull ${i}`), commandLine(up.file, up.args), `wait until healthy; on failure ${ctx.rollback ? 'put the recorded image back' : 'leave it (--no-rollback)'}`);
    if (ctx.coordinate) report.commands.push(plexarrCommand(`coordinate --home ${ctx.home}`));
    return report;
  }

  const current = await containerImages(ctx.exec, plan.map((p) => p.container));
  for (const p of plan) if (current[p.container]) p.previousId = current[p.container];
  const rowIds = recordBefore(ctx.db, plan.map((p) => ({ service: p.service, container: p.container, image: p.image, ...(p.previousId ? { previousId: p.previousId } : {}) })));
  const finish = (p: ServiceUpdate, outcome: Exclude<UpdateOutcome, 'running'>, error?: string) => {
    p.outcome = outcome;
    if (error !== undefined) p.error = error;
    finishUpdate(ctx.db, rowIds[plan.indexOf(p)]!, { outcome, ...(p.newId ? { newId: p.newId } : {}), ...(error !== undefined ? { error } : {}) });
  };

  const pullFailed = new Map<string, string>();
  for (const [i, image] of pulls.entries()) {
    ctx.progress(`Pulling ${i + 1}/${pulls.length} ${image}…`);
    const r = await pullImage(ctx.exec, image);
    if (!r.ok) pullFailed.set(image, r.message);
    ctx.progress(`  ${r.ok ? r.message || 'done' : `failed: ${r.message}`}`);
  }
  for (const p of plan) {
    const id = await imageId(ctx.exec, p.image);
    if (id) p.newId = id;
    // A failed pull still leaves the local image, which may have changed (built or loaded here).
    if (id && id === p.previousId) finish(p, 'unchanged', pullFailed.has(p.image) ? `pull failed: ${pullFailed.get(p.image)}` : undefined);
    else await settle(ctx, compose, composeFile, p, finish);
  }
  const updated = plan.filter((p) => p.outcome === 'updated');
  if (updated.length > 0 && ctx.coordinate) {
    ctx.progress('Running coordinate to repair anything the new versions changed…');
    report.coordinateExitCode = await ctx.coordinate();
  }
  report.ok = plan.every((p) => (p.outcome === 'updated' || p.outcome === 'unchanged') && p.error === undefined) && (report.coordinateExitCode ?? 0) === 0;
  return report;
}

/**
 * Recreates one service on its new image and waits for it; when either fails, puts its recorded
 * image back unless told not to.
 */
async function settle(
  ctx: UpdateContext,
  compose: Compose,
  composeFile: string,
  p: ServiceUpdate,
  finish: (p: ServiceUpdate, outcome: Exclude<UpdateOutcome, 'running'>, error?: string) => void,
): Promise<void> {
  const targets = waitTargets(ctx.config, [p.service]);
  const wait = () => waitHealthy(ctx, targets, { timeoutMs: ctx.timeoutMs, host: ctx.host });
  try {
    ctx.progress(`Recreating ${p.container} (${short(p.previousId)} → ${short(p.newId)})…`);
    await composeRecreate(ctx.exec, compose, composeFile, [p.container]);
    await wait();
    finish(p, 'updated');
    return;
  } catch (error) {
    const why = (error as Error).message.split('\n')[0] ?? 'not healthy';
    if (!ctx.rollback || !p.previousId) {
      finish(p, 'failed', `${why}${ctx.rollback ? ' (no earlier image was recorded to go back to)' : ' (left as is: --no-rollback)'}`);
      return;
    }
    ctx.progress(`${p.container} did not become healthy on ${short(p.newId)}: putting back ${short(p.previousId)}…`);
    if (!(await tagImage(ctx.exec, p.previousId, p.image))) {
      finish(p, 'failed', `${why}; the earlier image ${short(p.previousId)} could not be tagged ${p.image} again`);
      return;
    }
    await composeRecreate(ctx.exec, compose, composeFile, [p.container]);
    try {
      await wait();
      finish(p, 'rolled-back', why);
    } catch (again) {
      finish(p, 'failed', `${why}; after rolling back: ${(again as Error).message.split('\n')[0] ?? ''}`);
    }
  }
}
