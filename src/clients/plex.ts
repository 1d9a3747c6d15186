import { z } from 'zod';
import { createHttp, type Http, type HttpOptions } from './http.js';

/** Plex Media Server: JSON via `Accept`, the account token in `X-Plex-Token`. */

const identitySchema = z.looseObject({
  MediaContainer: z.looseObject({
    machineIdentifier: z.string().optional(),
    version: z.string().optional(),
    claimed: z.boolean().optional(),
  }),
});

const sectionSchema = z.looseObject({
  key: z.union([z.string(), z.number()]).transform(String),
  type: z.string(),
  title: z.string(),
  agent: z.string().optional(),
  scanner: z.string().optional(),
  Location: z.array(z.looseObject({ path: z.string() })).optional(),
});
export type PlexSection = z.infer<typeof sectionSchema>;
const sectionsSchema = z.looseObject({ MediaContainer: z.looseObject({ Directory: z.array(sectionSchema).optional() }) });

export interface NewSection {
  name: string;
  /** `movie`, `show` or `artist` (music). */
  type: string;
  agent: string;
  scanner: string;
  language: string;
  location: string;
}

const prefsSchema = z.looseObject({
  MediaContainer: z.looseObject({
    Setting: z.array(z.looseObject({ id: z.string(), value: z.union([z.string(), z.number(), z.boolean()]) })).optional(),
  }),
});

export interface PlexClient {
  readonly http: Http;
  identity(): Promise<z.infer<typeof identitySchema>['MediaContainer']>;
  sections(): Promise<PlexSection[]>;
  addSection(section: NewSection): Promise<void>;
  /** Server settings by id, booleans as `true`/`false`. */
  prefs(): Promise<Record<string, string>>;
  /** Sets the given settings (a PUT with them as query parameters). */
  setPrefs(values: Record<string, string>): Promise<void>;
}

export function createPlexClient(
  options: Pick<HttpOptions, 'baseUrl' | 'secrets' | 'timeoutMs' | 'signal'> & { token: string },
): PlexClient {
  const http = createHttp({ ...options, service: 'Plex', headers: { 'x-plex-token': options.token } });
  return {
    http,
    identity: async () => (await http.get('/identity', identitySchema)).MediaContainer,
    sections: async () => (await http.get('/library/sections', sectionsSchema)).MediaContainer.Directory ?? [],
    async addSection(section) {
      // Plex takes a new library as query parameters, not as a body.
      await http.send('POST', '/library/sections', undefined, z.unknown(), { ...section });
    },
    async prefs() {
      const settings = (await http.get('/:/prefs', prefsSchema)).MediaContainer.Setting ?? [];
      return Object.fromEntries(settings.map((s) => [s.id, String(s.value)]));
    },
    async setPrefs(values) {
      await http.send('PUT', '/:/prefs', undefined, z.unknown(), values);
    },
  };
}
