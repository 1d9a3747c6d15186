import { z } from 'zod';
import type { Http } from './http.js';

/**
 * What Radarr, Sonarr, Lidarr and Prowlarr share: the provider contract for
 * download clients and Prowlarr applications, `config/host`, and `system/status`. Every call
 * carries the API key in `X-Api-Key`; the auth method only guards the web UI.
 */

const providerFieldSchema = z.looseObject({ name: z.string(), value: z.unknown().optional() });
export type ProviderField = z.infer<typeof providerFieldSchema>;

const providerSchema = z.looseObject({
  id: z.number(),
  name: z.string(),
  implementation: z.string(),
  configContract: z.string().optional(),
  fields: z.array(providerFieldSchema),
  tags: z.array(z.number()).optional(),
  enable: z.boolean().optional(),
  priority: z.number().optional(),
});
export type ProviderResource = z.infer<typeof providerSchema>;
/** What is sent on POST/PUT: the resource without its id (PUT puts the id in the path). */
export type ProviderBody = Omit<ProviderResource, 'id'>;

export interface ProviderApi {
  list(): Promise<ProviderResource[]>;
  create(body: ProviderBody): Promise<ProviderResource>;
  update(id: number, body: ProviderBody): Promise<ProviderResource>;
  remove(id: number): Promise<void>;
}

export function providerApi(http: Http, path: string): ProviderApi {
  return {
    list: () => http.get(path, z.array(providerSchema)),
    create: (body) => http.send('POST', path, body, providerSchema),
    update: (id, body) => http.send('PUT', `${path}/${id}`, { ...body, id }, providerSchema),
    // Nothing in the answer is needed, whatever its body.
    remove: async (id) => {
      await http.send('DELETE', `${path}/${id}`, undefined, z.unknown());
    },
  };
}

const hostConfigSchema = z.looseObject({
  id: z.number(),
  authenticationMethod: z.string().nullish(),
  authenticationRequired: z.string().nullish(),
  username: z.string().nullish(),
  password: z.string().nullish(),
});
export type HostConfig = z.infer<typeof hostConfigSchema>;

const systemStatusSchema = z.looseObject({ version: z.string() });

export interface ServarrCommon {
  readonly http: Http;
  readonly apiRoot: string;
  status(): Promise<z.infer<typeof systemStatusSchema>>;
  downloadClients: ProviderApi;
  hostConfig(): Promise<HostConfig>;
  /** PUT of the full resource: the app replaces every host setting with what is sent. */
  saveHostConfig(config: HostConfig): Promise<HostConfig>;
}

export function servarrCommon(http: Http, apiRoot: string): ServarrCommon {
  return {
    http,
    apiRoot,
    status: () => http.get(`${apiRoot}/system/status`, systemStatusSchema),
    downloadClients: providerApi(http, `${apiRoot}/downloadclient`),
    hostConfig: () => http.get(`${apiRoot}/config/host`, hostConfigSchema),
    saveHostConfig: (config) => http.send('PUT', `${apiRoot}/config/host/${config.id}`, config, hostConfigSchema),
  };
}
