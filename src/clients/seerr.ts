import { z } from 'zod';
import { createHttp, type Http, type HttpOptions } from './http.js';

/**
 * Seerr and Overseerr share this REST contract. `X-Api-Key` acts as user 1, so it
 * only works once `auth/plex` has created that user. Bodies are validated by the app
 * against its OpenAPI spec: read-only properties such as `id` are never sent.
 */

const ROOT = '/api/v1';

const publicSettingsSchema = z.looseObject({ initialized: z.boolean() });
const userSchema = z.looseObject({ id: z.number() });
const libraryEntrySchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  name: z.string(),
  enabled: z.boolean(),
  type: z.string().optional(),
});
export type RequestsLibrary = z.infer<typeof libraryEntrySchema>;
const plexSettingsSchema = z.looseObject({
  ip: z.string().nullish(),
  port: z.number().nullish(),
  useSsl: z.boolean().nullish(),
  machineId: z.string().nullish(),
  libraries: z.array(libraryEntrySchema).nullish(),
});

const serverSettingsSchema = z.looseObject({
  id: z.number(),
  name: z.string(),
  hostname: z.string(),
  port: z.number(),
  apiKey: z.string(),
  useSsl: z.boolean(),
  baseUrl: z.string().nullish(),
  activeProfileId: z.number().nullish(),
  activeProfileName: z.string().nullish(),
  activeDirectory: z.string().nullish(),
  is4k: z.boolean(),
  isDefault: z.boolean(),
  externalUrl: z.string().nullish(),
  syncEnabled: z.boolean().nullish(),
  preventSearch: z.boolean().nullish(),
  /** Radarr only. */
  minimumAvailability: z.string().nullish(),
  /** Sonarr only. */
  activeLanguageProfileId: z.number().nullish(),
  activeAnimeProfileId: z.number().nullish(),
  activeAnimeProfileName: z.string().nullish(),
  activeAnimeDirectory: z.string().nullish(),
  activeAnimeLanguageProfileId: z.number().nullish(),
  enableSeasonFolders: z.boolean().nullish(),
});
export type ServerSettings = z.infer<typeof serverSettingsSchema>;
/** The body of POST/PUT `/settings/radarr|sonarr`: every writable property. */
export type ServerSettingsBody = Omit<ServerSettings, 'id'>;

const testResultSchema = z.looseObject({
  profiles: z.array(z.looseObject({ id: z.number(), name: z.string() })),
  rootFolders: z.array(z.looseObject({ id: z.number().optional(), path: z.string() })).optional(),
  languageProfiles: z.array(z.looseObject({ id: z.number(), name: z.string() })).nullish(),
});
export type ServerTestResult = z.infer<typeof testResultSchema>;
export interface ServerConnection {
  hostname: string;
  port: number;
  apiKey: string;
  useSsl: boolean;
  baseUrl: string;
}

export type ServarrKind = 'radarr' | 'sonarr';

export interface SeerrClient {
  readonly http: Http;
  publicSettings(): Promise<z.infer<typeof publicSettingsSchema>>;
  /** The user the API key acts as; 403 until user 1 exists. */
  me(): Promise<z.infer<typeof userSchema>>;
  /** Creates user 1 (admin) from a plex.tv account token on a fresh install. */
  authPlex(plexToken: string): Promise<void>;
  plexSettings(): Promise<z.infer<typeof plexSettingsSchema>>;
  savePlexSettings(settings: { ip: string; port: number; useSsl: boolean }): Promise<void>;
  /**
   * `GET /settings/plex/library` enables exactly the listed ids and disables every other library,
   * even when called only to read or to sync: read libraries via `plexSettings()`.
   * `sync` first refreshes the list from Plex.
   */
  setLibraries(enabledIds: readonly string[], opts?: { sync?: boolean }): Promise<RequestsLibrary[]>;
  servers(kind: ServarrKind): Promise<ServerSettings[]>;
  testServer(kind: ServarrKind, connection: ServerConnection): Promise<ServerTestResult>;
  createServer(kind: ServarrKind, body: ServerSettingsBody): Promise<ServerSettings>;
  updateServer(kind: ServarrKind, id: number, body: ServerSettingsBody): Promise<ServerSettings>;
  initialize(): Promise<void>;
}

export function createSeerrClient(
  options: Pick<HttpOptions, 'baseUrl' | 'secrets' | 'timeoutMs' | 'signal'> & { apiKey: string; service?: string },
): SeerrClient {
  // Every settings save rewrites one file; two at once leave one request unanswered for good. The
  // connection tests (`POST /settings/{radarr,sonarr}/test`) only ask the *arr app and save nothing,
  // so they need not wait behind a save: each takes several round trips to the app.
  const http = createHttp({
    ...options,
    service: options.service ?? 'Seerr',
    headers: { 'x-api-key': options.apiKey },
    serialWrites: (_method, path) => !path.endsWith('/test'),
  });
  return {
    http,
    publicSettings: () => http.get(`${ROOT}/settings/public`, publicSettingsSchema),
    me: () => http.get(`${ROOT}/auth/me`, userSchema),
    async authPlex(plexToken) {
      await http.send('POST', `${ROOT}/auth/plex`, { authToken: plexToken }, z.unknown());
    },
    plexSettings: () => http.get(`${ROOT}/settings/plex`, plexSettingsSchema),
    async savePlexSettings(settings) {
      await http.send('POST', `${ROOT}/settings/plex`, settings, z.unknown());
    },
    // A GET, but it saves the settings file: it waits in the write queue like a POST.
    setLibraries: (ids, opts) =>
      http.serial(() =>
        http.get(`${ROOT}/settings/plex/library`, z.array(libraryEntrySchema), {
          ...(opts?.sync ? { sync: 'true' } : {}),
          ...(ids.length > 0 ? { enable: ids.join(',') } : {}),
        }),
      ),
    servers: (kind) => http.get(`${ROOT}/settings/${kind}`, z.array(serverSettingsSchema)),
    testServer: (kind, connection) => http.send('POST', `${ROOT}/settings/${kind}/test`, connection, testResultSchema),
    createServer: (kind, body) => http.send('POST', `${ROOT}/settings/${kind}`, body, serverSettingsSchema),
    updateServer: (kind, id, body) => http.send('PUT', `${ROOT}/settings/${kind}/${id}`, body, serverSettingsSchema),
    async initialize() {
      await http.send('POST', `${ROOT}/settings/initialize`, undefined, z.unknown());
    },
  };
}
