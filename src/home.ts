import { join } from 'node:path';

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
