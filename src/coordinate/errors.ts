import { isApiError, peerUnreachable, transientAnswer } from '../clients/errors.js';

/**
 * How the runner reads an error thrown by a hookup or a client: is it worth another attempt,
 * and what did the app itself say. Errors from got carry `code` (network) or `response`
 * (HTTP status + body); hookups may throw their own errors with `transient` or `statusCode`.
 */

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'ESOCKETTIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_GOT_REQUEST_ERROR',
]);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  transient?: unknown;
  statusCode?: unknown;
  status?: unknown;
  response?: { statusCode?: unknown; body?: unknown };
  cause?: unknown;
}

function chain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  let e = err;
  while (e && typeof e === 'object' && out.length < 5 && !out.includes(e as ErrorLike)) {
    out.push(e as ErrorLike);
    e = (e as ErrorLike).cause;
  }
  return out;
}

/** The HTTP status an error stands for, if any. */
export function statusOf(err: unknown): number | undefined {
  for (const e of chain(err)) {
    for (const s of [e.response?.statusCode, e.statusCode, e.status]) if (typeof s === 'number') return s;
  }
  return undefined;
}

/**
 * Connection refused/reset, timeouts and 5xx (plus 408/429) are worth retrying, and so is a 400 in
 * which Prowlarr or an *arr app says the test it runs on save could not reach the other app (see
 * peerUnreachable); any other 4xx is the app rejecting what we sent and would only be rejected again.
 */
export function isTransient(err: unknown): boolean {
  for (const e of chain(err)) {
    if (typeof e.transient === 'boolean') return e.transient;
    // An ApiError without a status is a request that never got an answer (refused, reset, timed out).
    if (isApiError(e)) return transientAnswer(e.status, e.appMessage);
    const status = [e.response?.statusCode, e.statusCode, e.status].find((s) => typeof s === 'number') as number | undefined;
    if (status !== undefined) {
      const said = [typeof e.message === 'string' ? e.message : '', ...bodyMessages(e.response?.body)];
      return status >= 500 || status === 408 || status === 429 || said.some((m) => peerUnreachable(status, m));
    }
    if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
    if (e.name === 'TimeoutError') return true;
  }
  return false;
}

function bodyMessages(body: unknown): string[] {
  let value = body;
  if (Buffer.isBuffer(value)) value = value.toString('utf8');
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return [];
    try {
      value = JSON.parse(text);
    } catch {
      return [
        text
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim()
          .slice(0, 300),
      ];
    }
  }
  if (Array.isArray(value)) return value.flatMap(bodyMessages);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const key of ['errorMessage', 'message', 'error', 'title']) {
      if (typeof o[key] === 'string' && o[key] !== '') return [o[key] as string];
      if (o[key] && typeof o[key] === 'object') return bodyMessages(o[key]);
    }
  }
  return [];
}

/**
 * The error in the app's own words: the thrown message, plus what the response body said when
 * the message does not already contain it (a got "Response code 400 (Bad Request)" alone says
 * nothing a person can act on).
 */
export function describeError(err: unknown): string {
  const first = chain(err)[0];
  const message = typeof first?.message === 'string' && first.message !== '' ? first.message : String(err);
  const said = chain(err).flatMap((e) => bodyMessages(e.response?.body));
  const extra = [...new Set(said)].filter((m) => !message.includes(m));
  return extra.length > 0 ? `${message}: ${extra.join('; ')}` : message;
}
