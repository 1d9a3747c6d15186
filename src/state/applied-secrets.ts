import { createHmac, randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { AppliedSecrets } from '../coordinate/types.js';

/**
 * Fingerprints of the secrets plexarr sent and an app accepted, keyed by hookup field
 * (`radarr.download-client.nzbget#password`). The *arr apps mask secret fields on read, so a plan
 * compares the secret it would send with what was last applied instead of asking the app.
 * A fingerprint is an HMAC-SHA256 keyed by a random per-home salt, so the table alone does not
 * let anyone confirm a guessed password. The salt is a row of the `secrets` table under a name
 * that is not a SecretName: `getSecrets`, `.env` and `plexarr credentials` never see it.
 */

const SALT_NAME = 'FINGERPRINT_SALT';

function readSalt(db: Database): string | undefined {
  return (db.prepare('SELECT value FROM secrets WHERE name = ?').get(SALT_NAME) as { value: string } | undefined)?.value;
}

/** Two processes may create it at once: the first insert wins and both read that one. */
function ensureSalt(db: Database): string {
  db.prepare('INSERT OR IGNORE INTO secrets (name, value, updated_at) VALUES (?, ?, ?)').run(
    SALT_NAME,
    randomBytes(32).toString('hex'),
    new Date().toISOString(),
  );
  return readSalt(db)!;
}

function fingerprint(salt: string, target: string, secret: string): string {
  return createHmac('sha256', salt).update(`${target}\0${secret}`).digest('hex');
}

function load(db: Database): Map<string, string> {
  const rows = db.prepare('SELECT target, fingerprint FROM applied_secrets').all() as { target: string; fingerprint: string }[];
  return new Map(rows.map((r) => [r.target, r.fingerprint]));
}

function matcher(salt: string | undefined, known: ReadonlyMap<string, string>): AppliedSecrets['matches'] {
  return (target, secret) => salt !== undefined && known.get(target) === fingerprint(salt, target, secret);
}

/** For coordinate: reads the database and records into it. Creates the salt only on the first record, so a dry run writes nothing. */
export function appliedSecrets(db: Database): AppliedSecrets {
  let salt = readSalt(db);
  const known = load(db);
  const upsert = db.prepare(
    'INSERT INTO applied_secrets (target, fingerprint, updated_at) VALUES (?, ?, ?) ON CONFLICT(target) DO UPDATE SET fingerprint = excluded.fingerprint, updated_at = excluded.updated_at',
  );
  return {
    matches: (target, secret) => matcher(salt, known)(target, secret),
    record(target, secret) {
      salt ??= ensureSalt(db);
      const value = fingerprint(salt, target, secret);
      upsert.run(target, value, new Date().toISOString());
      known.set(target, value);
    },
  };
}

/** For `status --live` (read-only database, closed before the apps are asked): a snapshot; `record` does nothing. */
export function appliedSecretsSnapshot(db: Database): AppliedSecrets {
  return { matches: matcher(readSalt(db), load(db)), record: () => undefined };
}
