import type { Database } from 'better-sqlite3';
import { z } from 'zod';

/**
 * The `deployments` table: one row per `plexarr deploy` (dry runs are not recorded). A row starts
 * `running`, names the phase it is in, and ends `succeeded` or `failed` with the error text, so a
 * failed `up` leaves a record that says where it stopped.
 */

export const DEPLOY_PHASES = ['prerequisites', 'folders', 'preseed', 'claim', 'up', 'health', 'coordinate', 'done'] as const;
export type DeployPhase = (typeof DEPLOY_PHASES)[number];

/** Milliseconds per phase, plus the gap between the last container turning healthy and coordinate starting. */
export const timingsSchema = z.partialRecord(z.enum([...DEPLOY_PHASES, 'total', 'healthyToCoordinate']), z.number());
export type DeployTimings = z.infer<typeof timingsSchema>;

export const deploymentOutcomeSchema = z.enum(['running', 'succeeded', 'failed']);

export const deploymentSchema = z.object({
  id: z.number(),
  configId: z.number().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  outcome: deploymentOutcomeSchema,
  phase: z.enum(DEPLOY_PHASES).nullable(),
  composeHash: z.string().nullable(),
  images: z.array(z.string()),
  timings: timingsSchema,
  error: z.string().nullable(),
});
export type Deployment = z.infer<typeof deploymentSchema>;

interface Row {
  id: number;
  config_id: number | null;
  started_at: string;
  finished_at: string | null;
  outcome: string;
  phase: string | null;
  compose_hash: string | null;
  images_json: string | null;
  timings_json: string | null;
  error: string | null;
}

function fromRow(row: Row): Deployment {
  return deploymentSchema.parse({
    id: row.id,
    configId: row.config_id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    outcome: row.outcome,
    phase: row.phase,
    composeHash: row.compose_hash,
    images: row.images_json ? JSON.parse(row.images_json) : [],
    timings: row.timings_json ? JSON.parse(row.timings_json) : {},
    error: row.error,
  });
}

/** The newest saved configuration's id, which a deployment deploys. */
export function latestConfigId(db: Database): number | undefined {
  const row = db.prepare('SELECT id FROM configs ORDER BY id DESC LIMIT 1').get() as { id: number } | undefined;
  return row?.id;
}

export function startDeployment(
  db: Database,
  init: { configId?: number; composeHash: string; images?: readonly string[]; now?: Date },
): number {
  const result = db
    .prepare(
      'INSERT INTO deployments (config_id, started_at, outcome, phase, compose_hash, images_json, timings_json) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      init.configId ?? null,
      (init.now ?? new Date()).toISOString(),
      'running',
      'prerequisites',
      init.composeHash,
      JSON.stringify(init.images ?? []),
      '{}',
    );
  return Number(result.lastInsertRowid);
}

/** The images as Compose resolved them, known once prerequisites have run. */
export function recordImages(db: Database, id: number, images: readonly string[]): void {
  db.prepare('UPDATE deployments SET images_json = ? WHERE id = ?').run(JSON.stringify(images), id);
}

export function recordPhase(db: Database, id: number, phase: DeployPhase, timings: DeployTimings): void {
  db.prepare('UPDATE deployments SET phase = ?, timings_json = ? WHERE id = ?').run(phase, JSON.stringify(timings), id);
}

export function finishDeployment(
  db: Database,
  id: number,
  end: { outcome: 'succeeded' | 'failed'; phase: DeployPhase; timings: DeployTimings; error?: string; now?: Date },
): void {
  db.prepare('UPDATE deployments SET finished_at = ?, outcome = ?, phase = ?, timings_json = ?, error = ? WHERE id = ?').run(
    (end.now ?? new Date()).toISOString(),
    end.outcome,
    end.phase,
    JSON.stringify(end.timings),
    end.error ?? null,
    id,
  );
}

export function listDeployments(db: Database, limit = 20): Deployment[] {
  return (db.prepare('SELECT * FROM deployments ORDER BY id DESC LIMIT ?').all(limit) as Row[]).map(fromRow);
}
