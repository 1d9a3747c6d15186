import { renderStack, type RenderedStack } from '../compose/render.js';
import { validateCompose } from '../compose/validate.js';
import type { Answers } from '../config/answers.js';
import { accountSecrets } from '../config/build.js';
import type { Secrets, StackConfig } from '../config/schema.js';
import { WorkError } from '../errors.js';
import { generateSecrets } from '../secrets.js';

export interface CheckedStack {
  /** The secrets answered this time (flags, answers file, wizard). */
  given: Secrets;
  /** Every secret the stack gets: the given ones, the saved ones, new ones for the rest. */
  secrets: Secrets;
  rendered: RenderedStack;
}

/** The stack's files as they will be written, checked against the Compose spec before anyone reviews them. */
export function renderChecked(config: StackConfig, complete: Answers, saved: Secrets): CheckedStack {
  const given: Secrets = accountSecrets(complete);
  if (complete.adminPassword) given.ADMIN_PASSWORD = complete.adminPassword;
  if (complete.plexToken) given.PLEX_TOKEN = complete.plexToken;
  const secrets = generateSecrets(config, saved, given);
  const rendered = renderStack(config, secrets);
  const composeErrors = validateCompose(rendered.compose);
  if (composeErrors.length > 0) throw new WorkError(`The generated compose file is not valid Compose:\n  ${composeErrors.join('\n  ')}`);
  return { given, secrets, rendered };
}
