import type { Database } from 'better-sqlite3';

/**
 * Schema migrations, applied in order by `PRAGMA user_version`. Never edit a shipped migration:
 * append a new one. Migration 1 is the original schema;
 * migration 2 records applied-secret fingerprints (state/applied-secrets.ts); migration 3 the
 * image each container ran before and after `plexarr update` (state/image-updates.ts).
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE configs (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, config_json TEXT NOT NULL);
CREATE TABLE secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE deployments (id INTEGER PRIMARY KEY, config_id INTEGER REFERENCES configs(id),
  started_at TEXT NOT NULL, finished_at TEXT, outcome TEXT NOT NULL DEFAULT 'running', phase TEXT,
  compose_hash TEXT, images_json TEXT, timings_json TEXT, error TEXT);
CREATE TABLE coordinate_runs (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT,
  outcome TEXT NOT NULL DEFAULT 'running', mode TEXT NOT NULL);
CREATE TABLE task_runs (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES coordinate_runs(id),
  task_id TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, started_at TEXT,
  finished_at TEXT, duration_ms INTEGER, error TEXT, detail TEXT, UNIQUE(run_id, task_id));`,
  // Fingerprints of the secrets an app accepted, per hookup field: the apps mask them on read.
  `CREATE TABLE applied_secrets (target TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, updated_at TEXT NOT NULL);`,
  // Written before an update touches a container, so its previous image can always be put back.
  `CREATE TABLE image_updates (id INTEGER PRIMARY KEY, service TEXT NOT NULL, container TEXT NOT NULL, image TEXT NOT NULL,
  previous_id TEXT, new_id TEXT, started_at TEXT NOT NULL, finished_at TEXT, outcome TEXT NOT NULL DEFAULT 'running', error TEXT);`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema up to SCHEMA_VERSION. IMMEDIATE takes the write lock before reading the
 * version, so two plexarr processes opening a fresh home cannot both run migration 1.
 */
export function migrate(db: Database, migrations: readonly string[] = MIGRATIONS): number {
  const run = db.transaction(() => {
    const from = schemaVersion(db);
    for (let version = from + 1; version <= migrations.length; version++) {
      db.exec(migrations[version - 1]!);
      db.pragma(`user_version = ${version}`);
    }
    return schemaVersion(db);
  });
  return run.immediate();
}
