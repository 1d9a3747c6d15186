import { z } from 'zod';
import { CATALOG } from '../catalog/index.js';
import { createHttp, type Http, type HttpOptions } from './http.js';

/**
 * Maintainerr v3. No authentication. Mutations answer `{status, code, message}`
 * with HTTP 2xx even when they failed: only `code === 1` is success.
 */

function nokMessage(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || !('code' in body) || !('status' in body)) return undefined;
  const { code, message } = body as { code: unknown; message?: unknown };
  if (code === 1) return undefined;
  return typeof message === 'string' && message !== '' ? message : 'the request was refused (status NOK)';
}

/** `plex_auth_token` and the `*_api_key`s come back masked (`abc...xyz`, or `****` up to 6 characters). */
const maintainerrSettingsSchema = z.looseObject({
  media_server_type: z.string().nullish(),
  plex_name: z.string().nullish(),
  plex_hostname: z.string().nullish(),
  plex_port: z.number().nullish(),
  plex_ssl: z.number().nullish(),
  plex_auth_token: z.string().nullish(),
  seerr_url: z.string().nullish(),
  seerr_api_key: z.string().nullish(),
});
export type MaintainerrSettings = z.infer<typeof maintainerrSettingsSchema>;

/** The one place Maintainerr returns the Seerr key whole. */
const seerrSettingSchema = z.looseObject({ url: z.string().nullish(), api_key: z.string().nullish() });
export type MaintainerrSeerr = z.infer<typeof seerrSettingSchema>;

const plexAuthSchema = z.looseObject({ code: z.number(), message: z.string().optional(), unreachable: z.boolean().optional() });
/** Whether plex.tv accepts the stored token; `unreachable` when Maintainerr could not ask plex.tv. */
export interface MaintainerrPlexAuth {
  valid: boolean;
  unreachable: boolean;
  message: string;
}

const servarrSettingSchema = z.looseObject({ id: z.number(), serverName: z.string(), url: z.string(), apiKey: z.string() });
export type MaintainerrServarr = z.infer<typeof servarrSettingSchema>;
export type MaintainerrServarrBody = Omit<MaintainerrServarr, 'id'>;
export type MaintainerrServarrKind = 'radarr' | 'sonarr';

export interface MaintainerrPlexServer {
  plex_hostname: string;
  plex_port: number;
  plex_name: string;
  plex_ssl: number;
}

export interface MaintainerrClient {
  readonly http: Http;
  settings(): Promise<MaintainerrSettings>;
  switchMediaServer(target: 'plex'): Promise<void>;
  savePlexToken(token: string): Promise<void>;
  /** Maintainerr asks plex.tv about its stored token (no endpoint returns the token itself). */
  plexAuth(): Promise<MaintainerrPlexAuth>;
  /** Partial update merged over the stored settings (v3). */
  patchSettings(patch: MaintainerrPlexServer): Promise<void>;
  servers(kind: MaintainerrServarrKind): Promise<MaintainerrServarr[]>;
  addServer(kind: MaintainerrServarrKind, body: MaintainerrServarrBody): Promise<void>;
  updateServer(kind: MaintainerrServarrKind, id: number, body: MaintainerrServarrBody): Promise<void>;
  seerr(): Promise<MaintainerrSeerr>;
  saveSeerr(settings: { url: string; api_key: string }): Promise<void>;
}

const ok = z.unknown();

export function createMaintainerrClient(options: Pick<HttpOptions, 'baseUrl' | 'secrets' | 'timeoutMs' | 'signal'>): MaintainerrClient {
  const http = createHttp({ ...options, service: CATALOG.maintainerr.label, failureIn2xx: nokMessage });
  // The auth test's NOK is an answer (invalid or plex.tv unreachable), not a failed request.
  const tests = createHttp({ ...options, service: CATALOG.maintainerr.label });
  return {
    http,
    settings: () => http.get('/api/settings', maintainerrSettingsSchema),
    async switchMediaServer(target) {
      await http.send('POST', '/api/settings/media-server/switch', { targetServerType: target }, ok);
    },
    async savePlexToken(token) {
      await http.send('POST', '/api/settings/plex/token', { plex_auth_token: token }, ok);
    },
    async plexAuth() {
      const answer = await tests.get('/api/settings/test/plex/auth', plexAuthSchema);
      return { valid: answer.code === 1, unreachable: answer.unreachable === true, message: answer.message ?? '' };
    },
    async patchSettings(patch) {
      await http.send('PATCH', '/api/settings', patch, ok);
    },
    servers: (kind) => http.get(`/api/settings/${kind}`, z.array(servarrSettingSchema)),
    async addServer(kind, body) {
      await http.send('POST', `/api/settings/${kind}`, body, ok);
    },
    async updateServer(kind, id, body) {
      await http.send('PUT', `/api/settings/${kind}/${id}`, body, ok);
    },
    seerr: () => http.get('/api/settings/seerr', seerrSettingSchema),
    async saveSeerr(settings) {
      await http.send('POST', '/api/settings/seerr', settings, ok);
    },
  };
}
