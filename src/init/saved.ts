import { existsSync } from 'node:fs';
import { stackPaths } from '../home.js';
import type { Secrets, StackConfig } from '../config/schema.js';
import { openState } from '../state/db.js';
import { schemaVersion } from '../state/migrations.js';
import { latestConfig } from '../state/configs.js';
import { getSecrets } from '../state/secrets.js';

export interface Saved {
  config?: StackConfig;
  secrets: Secrets;
}

/**
 * The last saved answers and secrets, read without writing anything: input that turns out to be
 * bad must leave plexarr.db as it was (not created, migrated or switched to WAL). An older schema
 * still has both tables; an empty file has none.
 */
export function readSaved(home: string): Saved {
  if (!existsSync(stackPaths(home).db)) return { secrets: {} };
  const state = openState(home, { readonly: true, anySchema: true });
  try {
    if (schemaVersion(state.db) === 0) return { secrets: {} };
    return { config: latestConfig(state.db), secrets: getSecrets(state.db) };
  } finally {
    state.close();
  }
}
