import { existsSync, readFileSync } from 'node:fs';
import type { StackPaths } from '../home.js';
import { diffCompose } from '../compose/diff.js';
import { summarizeComposeChanges } from '../compose/diff-summary.js';
import type { Secrets, StackConfig } from '../config/schema.js';
import { CancelledError } from '../errors.js';
import type { Logger } from '../ui/logger.js';
import type { PromptProvider } from '../wizard/prompt.js';
import { review, type SecretOrigin } from '../wizard/review.js';

export interface ReviewInput {
  home: string;
  config: StackConfig;
  paths: StackPaths;
  composeYaml: string;
  nextCommand: string;
  given: Secrets;
  saved: Secrets;
}

/**
 * Shows what is about to be written, with the change to a compose file already on disk; declining
 * cancels with nothing written. Returns the compose diff ('' = same, undefined = no file yet).
 */
export async function reviewStack(
  ctx: { log: Logger; prompt: PromptProvider | undefined },
  input: ReviewInput,
): Promise<string | undefined> {
  const { paths, composeYaml, given, saved } = input;
  const previous = existsSync(paths.composeFile) ? readFileSync(paths.composeFile, 'utf8') : undefined;
  const composeDiff = previous === undefined ? undefined : diffCompose(previous, composeYaml);
  const confirmed = await review(ctx, {
    home: input.home,
    config: input.config,
    files: paths,
    composeDiff,
    ...(previous !== undefined && composeDiff ? { composeChanges: summarizeComposeChanges(previous, composeYaml, composeDiff) } : {}),
    nextCommand: input.nextCommand,
    adminPassword: origin(given.ADMIN_PASSWORD, saved.ADMIN_PASSWORD, 'generated'),
    plexToken: origin(given.PLEX_TOKEN, saved.PLEX_TOKEN, 'missing'),
  });
  if (!confirmed) throw new CancelledError();
  return composeDiff;
}

function origin(given: string | undefined, saved: string | undefined, otherwise: SecretOrigin): SecretOrigin {
  if (given) return 'given';
  return saved ? 'saved' : otherwise;
}
