import { z } from 'zod';
import { createHttp, type Http, type HttpOptions } from './http.js';
import { ApiError, isApiError } from './errors.js';

/**
 * NZBGet JSON-RPC (API-NOTES §2). Read-only methods go over GET (`/jsonrpc/<method>`), so a dry
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
  /** Writes exactly these options: anything not sent is deleted from the file (trap 6). */
  saveConfig(options: readonly NzbgetOption[]): Promise<void>;
  reload(): Promise<void>;
  /** Polls `version` (back-off capped at 1 s) until NZBGet answers again after a reload. */
  waitReady(timeoutMs: number, signal?: AbortSignal): Promise<string>;
}

const toOptions = (list: z.infer<typeof optionSchema>[]): NzbgetOption[] => list.map((o) => ({ Name: o.Name, Value: String(o.Value) }));

export function createNzbgetClient(
  options: Pick<HttpOptions, 'baseUrl' | 'secrets' | 'timeoutMs'> & { service?: string; username: string; password: string },
): NzbgetClient {
  const basic = Buffer.from(`${options.username}:${options.password}`).toString('base64');
  const http = createHttp({
    ...options,
    service: options.service ?? 'NZBGet',
    headers: { authorization: `Basic ${basic}` },
    failureIn2xx: rpcFailure,
    secrets: [...options.secrets, basic],
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
    async reload() {
      await call('reload', [], z.unknown());
    },
    async waitReady(timeoutMs, signal) {
      const deadline = Date.now() + timeoutMs;
      for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
        try {
          return await client.version();
        } catch (error) {
          if (!isApiError(error) || Date.now() + delay > deadline || signal?.aborted) throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    },
  };
  return client;
}
