import { z } from 'zod';
import { CATALOG } from '../catalog/index.js';
import { createHttp, type Http, type HttpOptions } from './http.js';
import { ApiError } from './errors.js';

/**
 * NZBGet JSON-RPC. Read-only methods go over GET (`/jsonrpc/<method>`), so a dry
 * run sends no POST; `saveconfig` and `reload` are POSTs. Auth is HTTP Basic.
 */

export interface NzbgetOption {
  Name: string;
  Value: string;
}

const optionSchema = z.looseObject({ Name: z.string(), Value: z.union([z.string(), z.number(), z.boolean()]) });
const envelope = <S extends z.ZodType>(result: S) => z.looseObject({ result });

function rpcFailure(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || !('error' in body)) return undefined;
  const error = (body as { error: unknown }).error;
  if (error === null || error === undefined) return undefined;
  const message = typeof error === 'object' && 'message' in error ? String((error as { message: unknown }).message) : String(error);
  return `JSON-RPC error: ${message}`;
}

export interface NzbgetClient {
  readonly http: Http;
  version(): Promise<string>;
  /** The options in effect (includes `-o` command-line overrides). */
  config(): Promise<NzbgetOption[]>;
  /** The options as written in nzbget.conf. */
  loadConfig(): Promise<NzbgetOption[]>;
  /** Writes exactly these options: anything not sent is deleted from the file. */
  saveConfig(options: readonly NzbgetOption[]): Promise<void>;
  /**
   * `reload`, then waits until NZBGet has restarted and answers again. The old daemon still
   * answers for a moment after `reload` returns, then the port is closed while it restarts, so
   * "answers" alone proves nothing: it waits to see the restart (or gives up looking after 3 s).
   */
  reload(timeoutMs: number, signal?: AbortSignal): Promise<void>;
}

const RESTART_SEEN_WITHIN_MS = 3000;
const PROBE_EVERY_MS = 50;

const toOptions = (list: z.infer<typeof optionSchema>[]): NzbgetOption[] => list.map((o) => ({ Name: o.Name, Value: String(o.Value) }));

export function createNzbgetClient(
  options: Pick<HttpOptions, 'baseUrl' | 'secrets' | 'timeoutMs' | 'signal'> & { service?: string; username: string; password: string },
): NzbgetClient {
  const basic = Buffer.from(`${options.username}:${options.password}`).toString('base64');
  const http = createHttp({
    ...options,
    service: options.service ?? CATALOG.nzbget.label,
    headers: { authorization: `Basic ${basic}` },
    failureIn2xx: rpcFailure,
    secrets: [...options.secrets, basic],
  });
  // Restart detection needs single, quick answers: no retries, a short timeout.
  const probe = createHttp({
    ...options,
    service: options.service ?? CATALOG.nzbget.label,
    headers: { authorization: `Basic ${basic}` },
    timeoutMs: 1000,
    getRetries: 0,
  });
  const call = async <S extends z.ZodType>(method: string, params: unknown[], result: S): Promise<z.output<S>> =>
    (await http.send('POST', '/jsonrpc', { method, params, id: 1 }, envelope(result))).result as z.output<S>;
  const read = async <S extends z.ZodType>(method: string, result: S): Promise<z.output<S>> =>
    (await http.get(`/jsonrpc/${method}`, envelope(result))).result as z.output<S>;

  const client: NzbgetClient = {
    http,
    version: () => read('version', z.string()),
    config: async () => toOptions(await read('config', z.array(optionSchema))),
    loadConfig: async () => toOptions(await read('loadconfig', z.array(optionSchema))),
    async saveConfig(list) {
      // NZBGet's parser reads each element positionally: Name first, both values JSON strings.
      const body = list.map((o) => ({ Name: o.Name, Value: String(o.Value) }));
      const saved = await call('saveconfig', [body], z.boolean());
      if (!saved) throw new ApiError(http.service, 'POST', '/jsonrpc', 200, 'saveconfig returned false: the configuration was not written');
    },
    async reload(timeoutMs, signal) {
      await call('reload', [], z.unknown());
      const started = Date.now();
      let restarted = false;
      for (;;) {
        const up = await probe.get('/jsonrpc/version', envelope(z.string())).then(
          () => true,
          () => false,
        );
        if (!up) restarted = true;
        else if (restarted || Date.now() - started > RESTART_SEEN_WITHIN_MS) return;
        if (Date.now() - started > timeoutMs || signal?.aborted) {
          throw new ApiError(
            http.service,
            'POST',
            '/jsonrpc',
            undefined,
            `did not answer within ${Math.round(timeoutMs / 1000)} s after reload`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
      }
    },
  };
  return client;
}
