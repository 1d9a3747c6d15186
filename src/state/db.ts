import { closeSync, constants, existsSync, fchmodSync, lstatSync, openSync, readFileSync } from 'node:fs';
import DatabaseConstructor, { type Database } from 'better-sqlite3';
import { NoStackError, WorkError } from '../errors.js';
import { makeDirs } from '../fs/dirs.js';
import { HOME_MODE, stackPaths } from '../home.js';
import { migrate, SCHEMA_VERSION, schemaVersion } from './migrations.js';
import { plexarrCommand } from '../ui/invocation.js';

export interface State {
  db: Database;
  close(): void;
}

export interface OpenStateOptions {
  /** For commands that only report (status, credentials): never creates, migrates or writes anything. */
  readonly?: boolean;
  /** With readonly: accept an older schema (init reads the saved answers before it upgrades). */
  anySchema?: boolean;
}

/** Another plexarr (e.g. `status` during `deploy`) may hold the write lock briefly. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens `<home>/plexarr.db`. The file is created empty with mode 0600 before SQLite opens it, so it
 * is never readable by others (it holds the secrets); SQLite gives its -wal/-shm files the same mode.
 * A symlink is refused: chmod through it would change some other file's mode.
 */
export function openState(home: string, opts: OpenStateOptions = {}): State {
  const path = stackPaths(home).db;
  if (opts.readonly) return openReadonly(home, path, opts.anySchema === true);
  makeDirs(home, HOME_MODE);
  makePrivate(path);
  const db = open(path, () => new DatabaseConstructor(path));
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    const version = schemaVersion(db);
    if (version > SCHEMA_VERSION) throw newerSchema(path, version);
    migrate(db);
  } catch (error) {
    db.close();
    throw sqliteProblem(path, error);
  }
  return { db, close: () => db.close() };
}

/**
 * `wx` makes creation atomic: of two plexarr processes starting at once, one creates, one finds.
 * O_NOFOLLOW makes the open (and so the fchmod) fail on a symlink instead of reaching its target.
 */
function makePrivate(path: string): void {
  refuseSymlink(path);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    fd = openSync(path, constants.O_RDWR | constants.O_NOFOLLOW);
  }
  try {
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

function refuseSymlink(path: string): void {
  let link = false;
  try {
    link = lstatSync(path).isSymbolicLink();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (link)
    throw new WorkError(
      `${path} is a symbolic link; plexarr keeps its secrets in that file and will not follow a link to it. Replace the link with the file it points to (or move the home), then run the command again.`,
    );
}

/**
 * A reader must not create -wal/-shm files (SQLite makes -shm for any reader of a WAL database,
 * and cannot on a read-only mount). With no -wal file no writer is at work and the main file is
 * complete, so it is read into memory: nothing on disk is touched. With a -wal file a writer is
 * running (its -shm exists already) and a normal read-only open sees its latest commit.
 */
function openReadonly(home: string, path: string, anySchema: boolean): State {
  if (!existsSync(path)) throw new NoStackError(home);
  refuseSymlink(path);
  const db = existsSync(`${path}-wal`)
    ? open(path, () => new DatabaseConstructor(path, { readonly: true, fileMustExist: true }))
    : open(path, () => new DatabaseConstructor(asRollbackJournal(readFileSync(path)), { readonly: true }));
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const version = schemaVersion(db);
    if (version > SCHEMA_VERSION) throw newerSchema(path, version);
    if (version < SCHEMA_VERSION && !anySchema)
      throw new WorkError(`${path} has an older schema (version ${version}). Run \`${plexarrCommand('init')}\` to upgrade it.`);
  } catch (error) {
    db.close();
    throw sqliteProblem(path, error);
  }
  return { db, close: () => db.close() };
}

/** Header bytes 18/19 say "WAL" (2); an in-memory copy has no WAL, so they must say "rollback journal" (1). */
function asRollbackJournal(file: Buffer): Buffer {
  if (file.length >= 20 && file[18] === 2 && file[19] === 2) {
    file[18] = 1;
    file[19] = 1;
  }
  return file;
}

function open(path: string, make: () => Database): Database {
  try {
    return make();
  } catch (error) {
    throw sqliteProblem(path, error);
  }
}

/** SQLite's errors do not say which file; the message the user sees should. */
export function sqliteProblem(path: string, error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (error instanceof Error && typeof code === 'string' && code.startsWith('SQLITE_')) Object.assign(error, { path });
  return error;
}

function newerSchema(path: string, version: number): WorkError {
  return new WorkError(
    `${path} was written by a newer plexarr (schema version ${version}, this one knows ${SCHEMA_VERSION}). Upgrade plexarr.`,
  );
}
