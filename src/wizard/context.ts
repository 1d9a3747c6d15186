import type { Answers } from '../config/answers.js';
import type { PortInUse } from '../host/ports.js';
import type { Logger } from '../ui/logger.js';
import type { PromptProvider } from './prompt.js';

/**
 * What the wizard steps share. A step takes only the `Pick<>` it uses. `answers` starts with what
 * flags and the answers file gave — those questions are not asked — and each step adds its own.
 */
export interface WizardContext {
  prompt: PromptProvider;
  log: Logger;
  home: string;
  /** Offered as each question's default: the last saved config, else what was detected. */
  defaults: Answers;
  answers: Answers;
  /** A saved configuration exists (this is a re-run). */
  saved: boolean;
  /**
   * The detected PUID/PGID are root's only because plexarr runs as root without sudo: the wizard
   * offers the media root's owner instead, or asks with no default.
   */
  rootIds: boolean;
  /** A Plex token is already stored, so the wizard does not ask for it again. */
  plexTokenSaved: boolean;
  /** `--force`: a port in use on the host is allowed. */
  force: boolean;
  portInUse: PortInUse;
  /** Host names of the Swarm nodes (`docker node ls`), asked only for `--engine swarm`. */
  swarmNodes?: () => Promise<string[]>;
}
