import { resolve } from 'node:path';
import type { StackPaths } from '../home.js';
import type { CheckResult } from '../doctor/types.js';
import { CancelledError } from '../errors.js';
import { isPromptCancel } from '../ui/handle-error.js';
import { plexarrCommand } from '../ui/invocation.js';
import type { Logger } from '../ui/logger.js';
import type { PromptProvider } from '../wizard/prompt.js';

/** `deploy` for this home, as the user types it (`--home` only when it is not the current folder). */
export function deployCommand(home: string, cwd: string): string {
  return plexarrCommand(`deploy${home === resolve(cwd) ? '' : ` --home ${home}`}`);
}

/**
 * Offered only with a default that fits: without a Docker engine the deploy would fail at once.
 * Ctrl-C here comes after the writes: say what is on disk and how to go on.
 */
export async function confirmDeploy(
  prompt: PromptProvider,
  log: Logger,
  dockerEngine: () => Promise<CheckResult>,
  paths: Pick<StackPaths, 'composeFile' | 'envFile' | 'db'>,
  command: string,
): Promise<boolean> {
  const engine = await dockerEngine();
  if (engine.status !== 'ok') {
    log.warn(`No Docker engine to deploy to: ${engine.message}`);
    if (engine.fix) log.info(engine.fix);
  }
  try {
    return await prompt.confirm({ name: 'deploy', message: 'Deploy the stack now?', default: engine.status === 'ok' });
  } catch (error) {
    if (!isPromptCancel(error)) throw error;
    throw new CancelledError(
      `Cancelled before deploying. The configuration is saved in ${paths.db}, with ${paths.composeFile} and ${paths.envFile} written; deploy later with \`${command}\`.`,
    );
  }
}
