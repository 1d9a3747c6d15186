import { join } from 'node:path';

/** The home holds plexarr.db and the generated files: only its owner (and group) may look in. */
export const HOME_MODE = 0o750;

/** `<home>/plexarr.lock`: held by the one writing plexarr of the home (src/state/lock.ts). */
export const LOCK_FILE = 'plexarr.lock';

/** What a plexarr home holds: the state database and the generated stack files. */
export interface StackPaths {
  /** `<home>/generated-config`: output only, rewritten by every confirmed init. */
  dir: string;
  composeFile: string;
  envFile: string;
  db: string;
}

export function stackPaths(home: string): StackPaths {
  const dir = join(home, 'generated-config');
  return { dir, composeFile: join(dir, 'docker-compose.yml'), envFile: join(dir, '.env'), db: join(home, 'plexarr.db') };
}
