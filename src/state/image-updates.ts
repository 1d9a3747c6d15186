import type { Database } from 'better-sqlite3';

/**
 * The `image_updates` table: one row per container `plexarr update` considered, written before
 * anything is pulled or recreated (the image id the container ran), finished with the id it runs
 * afterwards and what happened.
 */

export type UpdateOutcome = 'running' | 'unchanged' | 'updated' | 'rolled-back' | 'failed';

export interface ImageUpdate {
  id: number;
  service: string;
  container: string;
  image: string;
  previousId: string | null;
  newId: string | null;
  startedAt: string;
  finishedAt: string | null;
  outcome: UpdateOutcome;
  error: string | null;
}

interface Row {
  id: number;
  service: string;
  container: string;
  image: string;
  previous_id: string | null;
  new_id: string | null;
  started_at: string;
  finished_at: string | null;
  outcome: UpdateOutcome;
  error: string | null;
}

const fromRow = (r: Row): ImageUpdate => ({
  id: r.id,
  service: r.service,
  container: r.container,
  image: r.image,
  previousId: r.previous_id,
  newId: r.new_id,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  outcome: r.outcome,
  error: r.error,
});

export function recordBefore(
  db: Database,
  rows: readonly { service: string; container: string; image: string; previousId?: string }[],
  now = new Date(),
): number[] {
  const insert = db.prepare('INSERT INTO image_updates (service, container, image, previous_id, started_at) VALUES (?, ?, ?, ?, ?)');
  return db.transaction(() =>
    rows.map((r) => Number(insert.run(r.service, r.container, r.image, r.previousId ?? null, now.toISOString()).lastInsertRowid)),
  )();
}

export function finishUpdate(
  db: Database,
  id: number,
  result: { outcome: Exclude<UpdateOutcome, 'running'>; newId?: string; error?: string },
  now = new Date(),
): void {
  db.prepare('UPDATE image_updates SET outcome = ?, new_id = ?, error = ?, finished_at = ? WHERE id = ?').run(
    result.outcome,
    result.newId ?? null,
    result.error ?? null,
    now.toISOString(),
    id,
  );
}

export interface ServiceImage {
  /** The image id the container runs after the last update that looked at it. */
  imageId: string | null;
  /** When an update last gave it a new image. */
  updatedAt: string | null;
}

/** Per service: the image id from its latest finished update row, and its latest real update. */
export function serviceImages(db: Database): Map<string, ServiceImage> {
  const rows = (db.prepare("SELECT * FROM image_updates WHERE outcome != 'running' ORDER BY id").all() as Row[]).map(fromRow);
  const out = new Map<string, ServiceImage>();
  for (const r of rows) {
    const prev = out.get(r.service);
    const imageId = r.outcome === 'updated' ? r.newId : r.previousId;
    out.set(r.service, {
      imageId: imageId ?? prev?.imageId ?? null,
      updatedAt: r.outcome === 'updated' ? r.finishedAt : (prev?.updatedAt ?? null),
    });
  }
  return out;
}

export function listImageUpdates(db: Database, limit = 50): ImageUpdate[] {
  return (db.prepare('SELECT * FROM image_updates ORDER BY id DESC LIMIT ?').all(limit) as Row[]).map(fromRow);
}
