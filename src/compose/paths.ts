import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/**
 * The package root, where `templates/` ships. This module sits two levels below it both as
 * source (`src/compose/`) and built (`dist/compose/`), so one relative step works for both.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
