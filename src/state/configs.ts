import type { Database } from 'better-sqlite3';
import { stackConfigSchema, type StackConfig } from '../config/schema.js';
import { WorkError } from '../errors.js';
import { plexarrCommand } from '../ui/invocation.js';

/** Saves a confirmed configuration as a new version; returns its id. */
export function saveConfig(db: Database, config: StackConfig): number {
  const valid = stackConfigSchema.parse(config);
  const result = db
    .prepare('INSERT INTO configs (created_at, config_json) VALUES (?, ?)')
    .run(new Date().toISOString(), JSON.stringify(valid));
  return Number(result.lastInsertRowid);
}

/** The newest saved configuration, re-validated: a row edited by hand must not reach docker. */
export function latestConfig(db: Database): StackConfig | undefined {
  const row = db.prepare('SELECT id, config_json FROM configs ORDER BY id DESC LIMIT 1').get() as
    { id: number; config_json: string } | undefined;
  if (!row) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(row.config_json);
  } catch {
    throw new WorkError(`Saved configuration #${row.id} is not valid JSON. Run \`${plexarrCommand('init')}\` to save a new one.`);
  }
  const parsed = stackConfigSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new WorkError(`Saved configuration #${row.id} is invalid (${fields}). Run \`${plexarrCommand('init')}\` to save a new one.`);
  }
  return parsed.data;
}
