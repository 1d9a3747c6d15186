import got, { CancelError, RequestError, type Got } from 'got';
import type { z } from 'zod';
import { redact } from '../redact.js';
import { ApiError, appMessage } from './errors.js';

/**
 * The one place that talks HTTP for every app client: JSON in and out, a request timeout, and
 * every failure turned into an `ApiError` with secrets masked. Only GETs are retried here (they
 * are safe to repeat); mutating requests are never repeated behind the caller's back, because the
 * coordinate runner owns the retry policy for work that changes an app.
 *
 * Seerr and Overseerr save every setting by writing one `settings.json.tmp` and renaming it; two
 * saves at once make the later rename fail inside an async route and the request never gets an
 * answer. For such apps (`serialWrites`) mutating calls that save wait for each other; reads, and
 * mutating calls the app answers without saving, stay parallel.
 */

export type Mutation = 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Query = Record<string, string | number | boolean>;

export interface HttpOptions {
  /** How the service is named in errors ("Radarr"). */
  service: string;
  baseUrl: string;
  headers?: Record<string, string>;
  /** Every secret value that could be echoed back (API keys, passwords, tokens). */
  secrets: readonly (string | undefined)[];
  timeoutMs?: number;
  /** How many times a failed GET is repeated (network error, 429 or 5xx). */
  getRetries?: number;
  /** For apps that report failure inside a 2xx body: returns the app's message when it did. */
  failureIn2xx?: (body: unknown) => string | undefined;
  /** Ends every request in flight (and every later one) when the run is cancelled or times out. */
  signal?: AbortSignal;
  /**
   * The app persists its settings through one file: never send it two saves at once. `true`: every
   * mutating call saves; a function says which do (a POST that only tests a connection saves nothing).
   */
  serialWrites?: boolean | ((method: Mutation, path: string) => boolean);
  /** Largest response body accepted, in bytes (default 8 MiB): a bigger one fails the request. */
  maxBodyBytes?: number;
}

export interface Http {
  readonly service: string;
  readonly baseUrl: string;
  get<S extends z.ZodType>(path: string, schema: S, query?: Query): Promise<z.output<S>>;
  send<S extends z.ZodType>(method: Mutation, path: string, body: unknown, schema: S, query?: Query): Promise<z.output<S>>;
  /** Runs `work` in this app's write queue (with `serialWrites`; at once otherwise): for a GET that saves settings. */
  serial<T>(work: () => Promise<T>): Promise<T>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const RETRY_DELAYS_MS = [250, 750, 1000];
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Runs the works given to it one after another, in call order; a failure does not stop the next. */
function writeQueue(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (work) => {
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  };
}

const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return error.status === undefined || error.status === 429 || error.status >= 500;
}

export function createHttp(options: HttpOptions): Http {
  const client: Got = got.extend({
    prefixUrl: options.baseUrl,
    headers: { accept: 'application/json', ...options.headers },
    timeout: { request: options.timeoutMs ?? DEFAULT_TIMEOUT_MS },
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const fail = (method: string, path: string, status: number | undefined, message: string): ApiError =>
    new ApiError(options.service, method, path, status, redact(message, options.secrets));
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const serial = options.serialWrites ? writeQueue() : <T>(work: () => Promise<T>) => work();
  const saves = typeof options.serialWrites === 'function' ? options.serialWrites : () => true;
  const tooBig = (method: string, path: string, status: number) =>
    fail(
      method,
      path,
      status,
      `the response is larger than ${mib(maxBody)}, more than any answer plexarr expects; the request was stopped (at ${options.baseUrl})`,
    );

  async function once<S extends z.ZodType>(method: string, path: string, body: unknown, schema: S, query?: Query): Promise<z.output<S>> {
    let response;
    let oversized: number | undefined;
    try {
      const request = client(path.replace(/^\//, ''), {
        method: method as 'GET',
        searchParams: query,
        ...(body === undefined ? {} : { json: body }),
      });
      // got buffers the whole body before answering: stop it as soon as it passes the cap.
      request.on('response', (res: { statusCode: number; headers: Record<string, string | string[] | undefined> }) => {
        if (Number(res.headers['content-length']) > maxBody) {
          oversized = res.statusCode;
          request.cancel();
        }
      });
      request.on('downloadProgress', ({ transferred }: { transferred: number }) => {
        if (transferred > maxBody && oversized === undefined) {
          oversized = 0;
          request.cancel();
        }
      });
      response = await request;
    } catch (error) {
      if (oversized !== undefined && error instanceof CancelError) throw tooBig(method, path, oversized || 200);
      if (options.signal?.aborted) throw fail(method, path, undefined, `no answer before the run's deadline (at ${options.baseUrl})`);
      const reason = error instanceof RequestError ? `${error.code} ${error.message}` : String(error);
      throw fail(method, path, undefined, `${reason} (at ${options.baseUrl})`);
    }
    const raw = typeof response.body === 'string' ? response.body : String(response.body);
    if (response.statusCode >= 300) throw fail(method, path, response.statusCode, appMessage(raw, response.statusMessage, options.secrets));
    let value: unknown;
    try {
      value = raw.trim() === '' ? undefined : JSON.parse(raw);
    } catch {
      value = raw;
    }
    const failure = options.failureIn2xx?.(value);
    if (failure !== undefined) throw fail(method, path, response.statusCode, failure);
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const at = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      throw fail(method, path, response.statusCode, `unexpected response${at}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  }

  return {
    service: options.service,
    baseUrl: options.baseUrl,
    async get(path, schema, query) {
      const retries = options.getRetries ?? 2;
      for (let attempt = 0; ; attempt++) {
        try {
          return await once('GET', path, undefined, schema, query);
        } catch (error) {
          if (attempt >= retries || !isRetryable(error) || options.signal?.aborted) throw error;
          await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]));
        }
      }
    },
    send(method, path, body, schema, query) {
      const work = () => once(method, path, body, schema, query);
      return saves(method, path) ? serial(work) : work();
    },
    serial,
  };
}
