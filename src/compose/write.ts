import { mkdirSync } from 'node:fs';
import { WorkError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { stackPaths, type StackPaths } from '../home.js';
import type { RenderedStack } from './render.js';
import { validateCompose } from './validate.js';

/**
 * Writes `generated-config/.env` (0600) and `docker-compose.yml`, each atomically. Refuses a compose
 * object that fails the Compose spec, before touching the disk. `.env` goes first so the compose
 * file never references variables that are not there yet.
 */
export function writeStackFiles(home: string, rendered: RenderedStack): StackPaths {
  const errors = validateCompose(rendered.compose);
  if (errors.length > 0) throw new WorkError(`The generated compose file is not valid Compose:\n  ${errors.join('\n  ')}`);
  const paths = stackPaths(home);
  mkdirSync(paths.dir, { recursive: true });
  writeFileAtomic(paths.envFile, rendered.envFile, 0o600);
  writeFileAtomic(paths.composeFile, rendered.composeYaml, 0o644);
  return paths;
}
