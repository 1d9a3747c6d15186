import type { Database } from 'better-sqlite3';
import { containerName } from '../catalog/index.js';
import type { ServiceId, StackConfig } from '../config/schema.js';
import { waitHealthy, waitTargets, type HealthDeps } from '../deploy/health.js';
import { imageId, pullImage, tagImage } from '../docker/docker.js';
import { openEngine, type StackEngine } from '../engine/index.js';
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
 * The writing body of `plexarr update`, on either engine. Each service's current image id is
 * recorded in SQLite before anything is pulled; images are pulled one by one; only services whose
 * image id changed are replaced (Compose: `up -d --no-deps`; Swarm: a forced `service update`),
 * one at a time, each waited for until healthy. One that does not become healthy gets its
 * recorded image back (tagged to the name again, replaced again) unless `rollback` is off.
 * Coordinate then repairs any drift the new versions brought.
 */
export async function updateStack(ctx: UpdateContext): Promise<UpdateReport> {
  const { composeFile } = stackPaths(ctx.home);
  const engine = await openEngine({ exec: ctx.exec, sleep: ctx.sleep }, ctx.config);
  const images = await engine.serviceImages(composeFile);
  const plan: ServiceUpdate[] = ctx.services.map((service) => {
    const container = containerName(service, ctx.config);
    return { service, container, image: images[container] ?? '', outcome: 'planned' };
  });
  const report: UpdateReport = { ok: true, dryRun: ctx.dryRun, services: plan, commands: [] };
  const pulls = [...new Set(plan.map((p) => p.image).filter(Boolean))];
  if (ctx.dryRun) {
    report.commands.push(
      ...pulls.map((i) => `docker pull ${i}`),
      `${engine.replaceCommand(composeFile)} (each service whose image changed)`,
      `wait until healthy; on failure ${ctx.rollback ? 'put the recorded image back' : 'leave it (--no-rollback)'}`,
    );
    if (ctx.coordinate) report.commands.push(plexarrCommand(`coordinate --home ${ctx.home}`));
    return report;
  }

  const current = await engine.imageIds(
    composeFile,
    plan.map((p) => p.container),
  );
  for (const p of plan) if (current[p.container]) p.previousId = current[p.container];
  const rowIds = recordBefore(
    ctx.db,
    plan.map((p) => ({
      service: p.service,
      container: p.container,
      image: p.image,
      ...(p.previousId ? { previousId: p.previousId } : {}),
    })),
  );
  const finish = (p: ServiceUpdate, outcome: Exclude<UpdateOutcome, 'running'>, error?: string) => {
    p.outcome = outcome;
    if (error !== undefined) p.error = error;
    finishUpdate(ctx.db, rowIds[plan.indexOf(p)]!, {
      outcome,
      ...(p.newId ? { newId: p.newId } : {}),
      ...(error !== undefined ? { error } : {}),
    });
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
    else await settle(ctx, engine, composeFile, p, finish);
  }
  const updated = plan.filter((p) => p.outcome === 'updated');
  if (updated.length > 0 && ctx.coordinate) {
    ctx.progress('Running coordinate to repair anything the new versions changed…');
    report.coordinateExitCode = await ctx.coordinate();
  }
  report.ok =
    plan.every((p) => (p.outcome === 'updated' || p.outcome === 'unchanged') && p.error === undefined) &&
    (report.coordinateExitCode ?? 0) === 0;
  return report;
}

/**
 * Recreates one service on its new image and waits for it; when either fails, puts its recorded
 * image back unless told not to.
 */
async function settle(
  ctx: UpdateContext,
  engine: StackEngine,
  composeFile: string,
  p: ServiceUpdate,
  finish: (p: ServiceUpdate, outcome: Exclude<UpdateOutcome, 'running'>, error?: string) => void,
): Promise<void> {
  const targets = waitTargets(ctx.config, [p.service]);
  const wait = () =>
    waitHealthy({ ...ctx, inspect: engine.inspect, logsCommand: engine.logsCommand }, targets, {
      timeoutMs: ctx.timeoutMs,
      host: ctx.host,
    });
  try {
    ctx.progress(`Recreating ${p.container} (${short(p.previousId)} → ${short(p.newId)})…`);
    await engine.replace(composeFile, p.container, { ref: p.image, id: p.newId ?? p.image });
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
    try {
      await engine.replace(composeFile, p.container, { ref: p.image, id: p.previousId });
      await wait();
      finish(p, 'rolled-back', why);
    } catch (again) {
      finish(p, 'failed', `${why}; after rolling back: ${(again as Error).message.split('\n')[0] ?? ''}`);
    }
  }
}
