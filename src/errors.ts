import { plexarrCommand } from './ui/invocation.js';

/**
 * Errors are values with a message a person can act on. One top-level handler (src/cli.ts) maps
 * them to exit codes; expected failures never print a stack trace.
 */

export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

export class ExitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'ExitError';
  }
}

/** Bad usage or invalid input: exit 2, nothing written. `field` names the flag or answer. */
export class UsageError extends ExitError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}

/** `--home` points at no stack (no state, or no saved configuration): exit 2, nothing was done. */
export class NoStackError extends UsageError {
  constructor(home: string) {
    super(`No saved configuration in ${home}. Run \`${plexarrCommand('init')}\` first.`, 'home');
    this.name = 'NoStackError';
  }
}

/** The work failed (a hookup, compose, a service): exit 1. */
export class WorkError extends ExitError {
  constructor(message: string) {
    super(message, EXIT.failed);
    this.name = 'WorkError';
  }
}

/** The user pressed Ctrl-C or declined: exit 130, nothing written. */
export class CancelledError extends ExitError {
  constructor(message = 'Cancelled, nothing was written.') {
    super(message, EXIT.cancelled);
    this.name = 'CancelledError';
  }
}
