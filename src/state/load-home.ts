import { existsSync } from 'node:fs';
import type { Secrets, StackConfig } from '../config/schema.js';
import { NoStackError } from '../errors.js';
import { stackPaths } from '../home.js';
import { latestConfig } from './configs.js';
import { openState, type OpenStateOptions, type State } from './db.js';
import { getSecrets } from './secrets.js';

export interface LoadedHome {
  /** Open; the caller closes it. */
  state: State;
  config: StackConfig;
  secrets: Secrets;
}

/**
 * Opens a home every command but `init` and `doctor` needs a stack in: its state, the latest saved
 * configuration and the secrets. A home with neither is a usage error, and nothing is created.
 */
export function loadHome(home: string, opts: OpenStateOptions = {}): LoadedHome {
  requireStack(home);
  const state = openState(home, opts);
  try {
    const config = latestConfig(state.db);
    if (!config) throw new NoStackError(home);
    return { state, config, secrets: getSecrets(state.db) };
  } catch (error) {
    state.close();
    throw error;
  }
}

/** A home without plexarr.db has no stack: a usage error, checked before anything (a lock) is written there. */
export function requireStack(home: string): void {
  if (!existsSync(stackPaths(home).db)) throw new NoStackError(home);
}
