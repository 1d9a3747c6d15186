import { WorkError } from '../errors.js';
import { discardStaged, installStaged, stageFile, type Staged } from '../fs/atomic.js';
import { makeDirs } from '../fs/dirs.js';
import { stackPaths, type StackPaths } from '../home.js';
import type { RenderedStack } from './render.js';
import { validateCompose } from './validate.js';

/** generated-config holds `.env` (0600): others need not even list it. */
export const GENERATED_DIR_MODE = 0o750;

/**
 * Writes `generated-config/.env` (0600) and `docker-compose.yml` as one unit: both are staged in
 * full, then renamed. Refuses a compose object that fails the Compose spec, before touching the
 * disk. `.env` goes first so the compose file never references variables that are not there yet.
 */
export function writeStackFiles(home: string, rendered: RenderedStack): StackPaths {
  const staged = stageStackFiles(home, rendered);
  try {
    installStaged(staged).done();
  } finally {
    discardStaged(staged);
  }
  return stackPaths(home);
}

/** The staging half of writeStackFiles, for a caller that installs the files with its own commit. */
export function stageStackFiles(home: string, rendered: RenderedStack): Staged[] {
  const errors = validateCompose(rendered.compose);
  if (errors.length > 0) throw new WorkError(`The generated compose file is not valid Compose:\n  ${errors.join('\n  ')}`);
  const paths = stackPaths(home);
  makeDirs(paths.dir, GENERATED_DIR_MODE);
  const staged: Staged[] = [];
  try {
    staged.push(stageFile(paths.envFile, rendered.envFile, 0o600));
    staged.push(stageFile(paths.composeFile, rendered.composeYaml, 0o644));
  } catch (error) {
    discardStaged(staged);
    throw error;
  }
  return staged;
}
