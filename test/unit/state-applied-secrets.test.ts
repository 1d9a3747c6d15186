import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectCredentials } from '../../src/commands/credentials.js';
import { appliedSecrets, appliedSecretsSnapshot } from '../../src/state/applied-secrets.js';
import { openState } from '../../src/state/db.js';
import { migrate, MIGRATIONS, SCHEMA_VERSION, schemaVersion } from '../../src/state/migrations.js';
import { getSecrets, setSecrets } from '../../src/state/secrets.js';
import { fixtureConfig, FIXTURE_SECRETS } from './compose-fixtures.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'plexarr-applied-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const TARGET = 'radarr.download-client.nzbget#password';

describe('migration 2', () => {
  test('a version 1 database migrates to the current version and keeps its data', () => {
    const path = join(home, 'plexarr.db');
    const v1 = new Database(path);
    migrate(v1, MIGRATIONS.slice(0, 1));
    expect(schemaVersion(v1)).toBe(1);
    setSecrets(v1, { RADARR_API_KEY: 'a'.repeat(32) });
    v1.close();

    const { db, close } = openState(home);
    try {
      expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
      expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
      const columns = (db.prepare('PRAGMA table_info(applied_secrets)').all() as { name: string; pk: number; notnull: number }[]).map(
        (c) => [c.name, c.pk, c.notnull],
      );
      expect(columns).toEqual([
        ['target', 1, 0],
        ['fingerprint', 0, 1],
        ['updated_at', 0, 1],
      ]);
      expect(getSecrets(db)).toEqual({ RADARR_API_KEY: 'a'.repeat(32) });
    } finally {
      close();
    }
  });
});

describe('applied secrets', () => {
  test('matches only the value last recorded for that target; survives reopening', () => {
    const first = openState(home);
    const applied = appliedSecrets(first.db);
    expect(applied.matches(TARGET, 'pw-1')).toBe(false);
    applied.record(TARGET, 'pw-1');
    expect(applied.matches(TARGET, 'pw-1')).toBe(true);
    expect(applied.matches(TARGET, 'pw-2')).toBe(false);
    expect(applied.matches('sonarr.download-client.nzbget#password', 'pw-1')).toBe(false);
    applied.record(TARGET, 'pw-2');
    expect(applied.matches(TARGET, 'pw-1')).toBe(false);
    first.close();

    const again = openState(home);
    expect(appliedSecrets(again.db).matches(TARGET, 'pw-2')).toBe(true);
    again.close();
  });

  test('stores a salted fingerprint, never the secret; the salt is not a secret plexarr lists', () => {
    const { db, close } = openState(home);
    setSecrets(db, FIXTURE_SECRETS);
    appliedSecrets(db).record(TARGET, FIXTURE_SECRETS.NZBGET_PASS!);
    const rows = db.prepare('SELECT target, fingerprint FROM applied_secrets').all() as { target: string; fingerprint: string }[];
    expect(rows).toEqual([{ target: TARGET, fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    const salt = (db.prepare("SELECT value FROM secrets WHERE name = 'FINGERPRINT_SALT'").get() as { value: string }).value;
    expect(salt).toMatch(/^[0-9a-f]{64}$/);
    const all = JSON.stringify(db.prepare('SELECT * FROM applied_secrets').all());
    expect(all).not.toContain(FIXTURE_SECRETS.NZBGET_PASS);
    // getSecrets feeds .env and `plexarr credentials`: the salt is in neither.
    expect(Object.keys(getSecrets(db))).not.toContain('FINGERPRINT_SALT');
    expect(JSON.stringify(collectCredentials(fixtureConfig(), getSecrets(db)))).not.toContain(salt);
    close();
  });

  test('two homes fingerprint the same secret differently (per-home salt)', () => {
    const other = mkdtempSync(join(tmpdir(), 'plexarr-applied-'));
    try {
      const fingerprints = [home, other].map((h) => {
        const { db, close } = openState(h);
        appliedSecrets(db).record(TARGET, 'same');
        const row = db.prepare('SELECT fingerprint FROM applied_secrets').get() as { fingerprint: string };
        close();
        return row.fingerprint;
      });
      expect(fingerprints[0]).not.toBe(fingerprints[1]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('only a record writes (a dry run leaves the database as it was)', () => {
    const { db, close } = openState(home);
    const applied = appliedSecrets(db);
    expect(applied.matches(TARGET, 'x')).toBe(false);
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect([count('secrets'), count('applied_secrets')]).toEqual([0, 0]);
    close();
  });

  test('the read-only snapshot (status --live) matches what was recorded and records nothing', () => {
    const writer = openState(home);
    appliedSecrets(writer.db).record(TARGET, 'pw');
    writer.close();
    const reader = openState(home, { readonly: true });
    const snapshot = appliedSecretsSnapshot(reader.db);
    reader.close();
    expect(snapshot.matches(TARGET, 'pw')).toBe(true);
    expect(snapshot.matches(TARGET, 'other')).toBe(false);
    snapshot.record(TARGET, 'other');
    expect(snapshot.matches(TARGET, 'other')).toBe(false);
  });
});
