import { WorkError } from '../errors.js';
import { redact } from '../redact.js';

/**
 * One error type for every app API, carrying what a person needs to act: which service, which
 * request, the HTTP status (absent when the service could not be reached) and the app's own words.
 * The message is redacted before construction, so it is safe to print and to store.
 */
export class ApiError extends WorkError {
  constructor(
    readonly service: string,
    readonly method: string,
    readonly path: string,
    readonly status: number | undefined,
    readonly appMessage: string,
  ) {
    const where = status === undefined ? 'could not be reached' : `answered HTTP ${status}`;
    super(`${service} ${where} on ${method} ${path}: ${appMessage}`);
    this.name = 'ApiError';
    this.transient = transientAnswer(status, appMessage);
  }

  /**
   * Worth another attempt (unreachable, 5xx, 408, 429, or a 400 saying the app could not reach the
   * app it tests on save); the runner reads this.
   */
  readonly transient: boolean;
}

/**
 * What Prowlarr and the *arr apps say in a 400 when the test they run on save could not reach the
 * other app (Prowlarr's application test: "Unable to complete application test, cannot connect to
 * Sonarr. HTTP 500", "Prowlarr URL is invalid, Sonarr cannot connect to Prowlarr"; a download
 * client's "Unable to connect to NZBGet"; an indexer's "Unable to connect to indexer"). The other
 * app briefly failing or still starting answers exactly like this, so it is worth the runner's
 * bounded retries; a wrong URL only costs those few attempts before it is reported.
 */
const PEER_UNREACHABLE = /unable to complete application test|cannot connect to|unable to connect/i;

/** A 400 whose message says the app could not connect to / test another app. */
export function peerUnreachable(status: number | undefined, message: string): boolean {
  return status === 400 && PEER_UNREACHABLE.test(message);
}

/**
 * Is an answer (or no answer: `status` undefined) worth another attempt: unreachable, 5xx, 408,
 * 429, or a 400 that says another app could not be reached. Every other 4xx is the app rejecting
 * what was sent and would only be rejected again.
 */
export function transientAnswer(status: number | undefined, message: string): boolean {
  return status === undefined || status >= 500 || status === 408 || status === 429 || peerUnreachable(status, message);
}

/**
 * An app's answer with one known remedy: never worth another attempt, and `advice` is what the
 * run report tells the person to do.
 */
export class AdvisedApiError extends ApiError {
  override readonly transient = false;
  constructor(
    from: Pick<ApiError, 'service' | 'method' | 'path' | 'status'>,
    message: string,
    readonly advice: string,
  ) {
    super(from.service, from.method, from.path, from.status, message);
    this.name = 'AdvisedApiError';
  }
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

const MAX_MESSAGE = 400;

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (Array.isArray(value)) {
    const parts = value.map(text).filter((p): p is string => p !== undefined);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    // *arr validation failures name the property; the rest carry a message somewhere.
    const msg = text(o.errorMessage) ?? text(o.message) ?? text(o.error) ?? text(o.description);
    if (msg !== undefined && typeof o.propertyName === 'string' && o.propertyName !== '') return `${o.propertyName}: ${msg}`;
    return msg;
  }
  return undefined;
}

/**
 * The app's own message from an error body: *arr validation-failure arrays, Seerr/Maintainerr/NPM
 * `message` / `error.message`, NZBGet JSON-RPC `error`, or the plain text of anything else.
 * Secrets are masked before the message is shortened: cut first, a secret echoed at the cut would
 * be left partly visible and no longer match.
 */
export function appMessage(body: string, statusText = '', secrets: readonly (string | undefined)[] = []): string {
  let parsed: unknown = body;
  try {
    parsed = JSON.parse(body);
  } catch {
    // not JSON: the raw text is the message
  }
  const message = text(parsed) ?? (statusText || 'no message');
  const oneLine = redact(message, secrets).replace(/\s+/g, ' ');
  return oneLine.length > MAX_MESSAGE ? `${oneLine.slice(0, MAX_MESSAGE)}…` : oneLine;
}
