import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import DatabaseConstructor, { type Database } from 'better-sqlite3';
import { stackPaths } from '../home.js';
import { NoStackError, WorkError } from '../errors.js';
import { migrate, SCHEMA_VERSION, schemaVersion } from './migrations.js';
import { plexarrCommand } from '../ui/invocation.js';

export interface State {
  db: Database;
  close(): void;
}

export interface OpenStateOptions {
  /** For commands that only report (status, credentials): never creates or migrates anything. */
  readonly?: boolean;
}

/** Another plexarr (e.g. `status` during `deploy`) may hold the write lock briefly. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens `<home>/plexarr.db`. The file is created empty with mode 0600 before SQLite opens it, so it
 * is never readable by others (it holds the secrets); SQLite gives its -wal/-shm files the same mode.
 */
export function openState(home: string, opts: OpenStateOptions = {}): State {
  const path = stackPaths(home).db;
  if (opts.readonly) return openReadonly(home, path);
  mkdirSync(home, { recursive: true });
  createPrivate(path);
  chmodSync(path, 0o600);
  const db = new DatabaseConstructor(path);
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    const version = schemaVersion(db);
    if (version > SCHEMA_VERSION) throw newerSchema(path, version);
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return { db, close: () => db.close() };
}

/** `wx` makes creation atomic: of two plexarr processes starting at once, one creates, one finds. */
function createPrivate(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

function openReadonly(home: string, path: string): State {
  if (!existsSync(path)) throw new NoStackError(home);
  const db = new DatabaseConstructor(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const version = schemaVersion(db);
    if (version > SCHEMA_VERSION) throw newerSchema(path, version);
    if (version < SCHEMA_VERSION) throw new WorkError(`${path} has an older schema (version ${version}). Run \`${plexarrCommand('init')}\` to upgrade it.`);
  } catch (error) {
    db.close();
    throw error;
  }
  return { db, close: () => db.close() };
}

function newerSchema(path: string, version: number): WorkError {
  return new WorkError(`${path} was written by a newer plexarr (schema version ${version}, this one knows ${SCHEMA_VERSION}). Upgrade plexarr.`);
}
