import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_IDS } from '../../src/config/schema.js';
import { NoStackError, WorkError } from '../../src/errors.js';
import { latestConfig, saveConfig } from '../../src/state/configs.js';
import { openState } from '../../src/state/db.js';
import { migrate, MIGRATIONS, SCHEMA_VERSION, schemaVersion } from '../../src/state/migrations.js';
import { getSecrets, setSecrets } from '../../src/state/secrets.js';
import { fixtureConfig } from './compose-fixtures.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'plexarr-state-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

describe('openState', () => {
  test("creates plexarr.db 0600 in WAL mode with the brief's tables", () => {
    const old = process.umask(0);
    let state;
    try {
      state = openState(home);
    } finally {
      process.umask(old);
    }
    const { db } = state;
    expect(mode(join(home, 'plexarr.db'))).toBe(0o600);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
      (r) => r.name,
    );
    expect(tables).toEqual(['applied_secrets', 'configs', 'coordinate_runs', 'deployments', 'image_updates', 'secrets', 'task_runs']);
    db.prepare("INSERT INTO configs (created_at, config_json) VALUES ('t', '{}')").run();
    for (const file of readdirSync(home)) expect([file, mode(join(home, file))]).toEqual([file, 0o600]);
    state.close();
  });

  test('creates a missing home directory', () => {
    const nested = join(home, 'a', 'b');
    openState(nested).close();
    expect(mode(join(nested, 'plexarr.db'))).toBe(0o600);
  });

  test('migration 1 creates exactly the contract columns', () => {
    const { db, close } = openState(home);
    const columns = (table: string) => (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
    expect(columns('configs')).toEqual(['id', 'created_at', 'config_json']);
    expect(columns('secrets')).toEqual(['name', 'value', 'updated_at']);
    expect(columns('deployments')).toEqual([
      'id',
      'config_id',
      'started_at',
      'finished_at',
      'outcome',
      'phase',
      'compose_hash',
      'images_json',
      'timings_json',
      'error',
    ]);
    expect(columns('coordinate_runs')).toEqual(['id', 'started_at', 'finished_at', 'outcome', 'mode']);
    expect(columns('task_runs')).toEqual([
      'id',
      'run_id',
      'task_id',
      'status',
      'attempts',
      'started_at',
      'finished_at',
      'duration_ms',
      'error',
      'detail',
    ]);
    close();
  });

  test('reopening is idempotent and keeps data; a too-open file is tightened', () => {
    const first = openState(home);
    const id = saveConfig(first.db, fixtureConfig());
    first.close();
    const path = join(home, 'plexarr.db');
    // As if left too open by a manual copy.
    chmodSync(path, 0o644);
    const second = openState(home);
    expect(schemaVersion(second.db)).toBe(SCHEMA_VERSION);
    expect(migrate(second.db)).toBe(SCHEMA_VERSION);
    expect((second.db.prepare('SELECT count(*) AS n FROM configs').get() as { n: number }).n).toBe(1);
    expect(id).toBe(1);
    expect(mode(path)).toBe(0o600);
    second.close();
  });

  test('a later migration bumps user_version and runs only once', () => {
    const { db, close } = openState(home);
    const next = [...MIGRATIONS, 'CREATE TABLE extra (id INTEGER PRIMARY KEY);'];
    expect(migrate(db, next)).toBe(SCHEMA_VERSION + 1);
    expect(migrate(db, next)).toBe(SCHEMA_VERSION + 1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toBeDefined();
    close();
  });

  test('a failing migration leaves the version and schema as they were', () => {
    const { db, close } = openState(home);
    expect(() => migrate(db, [...MIGRATIONS, 'CREATE TABLE half (id INTEGER); SELECT * FROM missing_table;'])).toThrow();
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    close();
  });

  test('a database from a newer plexarr is refused with advice', () => {
    const { db, close } = openState(home);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    close();
    expect(() => openState(home)).toThrow(/newer plexarr/);
    expect(() => openState(home, { readonly: true })).toThrow(/newer plexarr/);
  });

  test('readonly never creates the file, and cannot write', () => {
    expect(() => openState(home, { readonly: true })).toThrow(NoStackError);
    expect(() => openState(home, { readonly: true })).toThrow(/plexarr init/);
    expect(existsSync(join(home, 'plexarr.db'))).toBe(false);
    openState(home).close();
    const ro = openState(home, { readonly: true });
    expect(latestConfig(ro.db)).toBeUndefined();
    expect(() => saveConfig(ro.db, fixtureConfig())).toThrow(/readonly/);
    ro.close();
  });

  test('a reader sees what a writer still holding the database committed (status during deploy)', () => {
    const writer = openState(home);
    saveConfig(writer.db, fixtureConfig());
    const reader = openState(home, { readonly: true });
    expect(latestConfig(reader.db)?.mediaRoot).toBe('/srv/media');
    writer.db.prepare('BEGIN IMMEDIATE').run();
    expect(latestConfig(reader.db)).toBeDefined();
    writer.db.prepare('ROLLBACK').run();
    reader.close();
    writer.close();
  });

  test('readonly refuses an unmigrated file instead of migrating it', () => {
    writeFileSync(join(home, 'plexarr.db'), '', { mode: 0o600 });
    expect(() => openState(home, { readonly: true })).toThrow(/older schema/);
  });
});

describe('configs', () => {
  test('each save is a new version; latest returns the newest, parsed', () => {
    const { db, close } = openState(home);
    expect(latestConfig(db)).toBeUndefined();
    expect(saveConfig(db, fixtureConfig())).toBe(1);
    const second = fixtureConfig(SERVICE_IDS, { requestManager: 'overseerr' });
    expect(saveConfig(db, second)).toBe(2);
    expect(latestConfig(db)).toEqual(second);
    close();
  });

  test('an invalid config is not saved', () => {
    const { db, close } = openState(home);
    expect(() => saveConfig(db, { ...fixtureConfig(), puid: -1 })).toThrow();
    expect(latestConfig(db)).toBeUndefined();
    close();
  });

  test('a bad row is rejected by the schema, naming the row and the field', () => {
    const { db, close } = openState(home);
    db.prepare('INSERT INTO configs (created_at, config_json) VALUES (?, ?)').run(
      't',
      JSON.stringify({ ...fixtureConfig(), tz: 'Mars/Olympus' }),
    );
    expect(() => latestConfig(db)).toThrow(WorkError);
    expect(() => latestConfig(db)).toThrow(/configuration #1 is invalid \(tz: is not a known time zone\)/);
    db.prepare('INSERT INTO configs (created_at, config_json) VALUES (?, ?)').run('t', '{not json');
    expect(() => latestConfig(db)).toThrow(/#2 is not valid JSON/);
    close();
  });
});

describe('secrets', () => {
  test('upsert keeps the names not given and replaces the ones given', () => {
    const { db, close } = openState(home);
    expect(getSecrets(db)).toEqual({});
    setSecrets(db, { RADARR_API_KEY: 'a'.repeat(32), ADMIN_PASSWORD: 'first' });
    setSecrets(db, { ADMIN_PASSWORD: 'second', PLEX_CLAIM: undefined });
    expect(getSecrets(db)).toEqual({ RADARR_API_KEY: 'a'.repeat(32), ADMIN_PASSWORD: 'second' });
    close();
  });

  test('rows with unknown names are ignored on read', () => {
    const { db, close } = openState(home);
    db.prepare("INSERT INTO secrets (name, value, updated_at) VALUES ('OLD_THING', 'x', 't')").run();
    expect(getSecrets(db)).toEqual({});
    close();
  });
});
