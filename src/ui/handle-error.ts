import { CancelledError, EXIT, ExitError } from '../errors.js';
import { holdsSecrets, isSecretField, MASK } from '../redact.js';
import { echo, escapeProse } from './echo.js';
import { environmentMessage } from './environment-error.js';
import type { Logger } from './logger.js';

/**
 * The one place errors become exit codes and messages. Expected failures (ExitError, invalid
 * options, Ctrl-C, a full disk or a read-only mount) print a message a person can act on; only a
 * bug prints a stack trace.
 */
export function handleError(err: unknown, log: Pick<Logger, 'error'>, input?: Record<string, unknown>): number {
  if (isPromptCancel(err)) {
    log.error(new CancelledError().message);
    return EXIT.cancelled;
  }
  if (isZodError(err)) {
    for (const line of zodIssueLines(err, input)) log.error(line);
    return EXIT.usage;
  }
  if (err instanceof ExitError) {
    // Messages quote input and server answers; no control character reaches the terminal raw.
    log.error(escapeProse(err.message));
    return err.exitCode;
  }
  const environment = environmentMessage(err);
  if (environment !== undefined) {
    log.error(escapeProse(environment));
    return EXIT.failed;
  }
  log.error(
    escapeProse(
      `Unexpected error (a bug in plexarr; please report it):\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    ),
  );
  return EXIT.failed;
}

interface ZodLikeIssue {
  path: PropertyKey[];
  message: string;
  input?: unknown;
}

/** Structural check, so the entry point does not load zod just to recognise its errors. */
function isZodError(err: unknown): err is Error & { issues: ZodLikeIssue[] } {
  return err instanceof Error && err.name === 'ZodError' && Array.isArray((err as { issues?: unknown }).issues);
}

/** @inquirer rejects with ExitPromptError on Ctrl-C (and AbortPromptError when aborted). */
export function isPromptCancel(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}

/** A command's options failed its schema: `--<option>: <message> (got <value>)`, one per line. */
export function zodIssueLines(err: { issues: ZodLikeIssue[] }, input?: Record<string, unknown>): string[] {
  return err.issues.map((issue) => {
    const path = issue.path.map(String);
    const [head] = path;
    const field =
      head === undefined
        ? 'options'
        : `--${head.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}${path.length > 1 ? ` ${path.slice(1).join('.')}` : ''}`;
    const value = issue.input !== undefined ? issue.input : head !== undefined ? input?.[head] : undefined;
    const shown = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
    const got = value === undefined ? '' : ` (got ${path.some(isSecretField) || holdsSecrets(head ?? '') ? MASK : echo(shown)})`;
    return `${field}: ${issue.message}${got}`;
  });
}
