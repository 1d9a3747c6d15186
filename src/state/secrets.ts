import type { Database } from 'better-sqlite3';
import { isNumberedSecretName } from '../catalog/ids.js';
import { SECRET_NAMES, type SecretName, type Secrets } from '../config/schema.js';

const KNOWN = new Set<string>(SECRET_NAMES);
const isKnown = (name: string): boolean => KNOWN.has(name) || isNumberedSecretName(name);

/** All stored secrets; rows with names this version does not know are left out. */
export function getSecrets(db: Database): Secrets {
  const rows = db.prepare('SELECT name, value FROM secrets').all() as { name: string; value: string }[];
  const secrets: Secrets = {};
  for (const row of rows) if (isKnown(row.name)) secrets[row.name as SecretName] = row.value;
  return secrets;
}

/** Inserts or replaces the given secrets in one transaction; names not given are untouched. */
export function setSecrets(db: Database, secrets: Secrets): void {
  const upsert = db.prepare(
    'INSERT INTO secrets (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const [name, value] of Object.entries(secrets)) {
      if (value !== undefined && isKnown(name)) upsert.run(name, value, now);
    }
  })();
}
