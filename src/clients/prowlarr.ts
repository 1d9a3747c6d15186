import { z } from 'zod';
import { CATALOG } from '../catalog/index.js';
import { createHttp, type HttpOptions } from './http.js';
import { providerApi, servarrCommon, type ProviderApi, type ServarrCommon } from './servarr.js';

/**
 * Prowlarr (API v1): its own indexers, built from the templates `/indexer/schema` lists (one per
 * preset), the app sync profiles, the applications it pushes indexers to, and commands.
 */

const fieldSchema = z.looseObject({ name: z.string(), value: z.unknown().optional() });
const capabilitiesSchema = z.looseObject({
  categories: z.array(z.looseObject({ id: z.number(), subCategories: z.array(z.looseObject({ id: z.number() })).optional() })).optional(),
});

/** A `/schema` entry: a complete indexer resource to fill in and send back. */
export const indexerTemplateSchema = z.looseObject({
  name: z.string(),
  implementation: z.string(),
  configContract: z.string().optional(),
  fields: z.array(fieldSchema),
  capabilities: capabilitiesSchema.nullish(),
});
export type IndexerTemplate = z.infer<typeof indexerTemplateSchema>;

const appProfileSchema = z.looseObject({ id: z.number(), name: z.string() });
export type AppProfile = z.infer<typeof appProfileSchema>;
const commandSchema = z.looseObject({ id: z.number(), status: z.string(), message: z.string().nullish() });
export type Command = z.infer<typeof commandSchema>;

export interface ProwlarrClient extends ServarrCommon {
  applications: ProviderApi;
  indexers: ProviderApi;
  indexerSchema(): Promise<IndexerTemplate[]>;
  appProfiles(): Promise<AppProfile[]>;
  /** Queues a command by name (`ApplicationIndexerSync`); `command(id)` follows it. */
  runCommand(name: string): Promise<Command>;
  command(id: number): Promise<Command>;
}

const PROWLARR_API_ROOT = '/api/v1';

export function createProwlarrClient(
  options: Pick<HttpOptions, 'baseUrl' | 'secrets' | 'timeoutMs' | 'signal'> & { apiKey: string },
): ProwlarrClient {
  const http = createHttp({ ...options, service: CATALOG.prowlarr.label, headers: { 'x-api-key': options.apiKey } });
  const root = PROWLARR_API_ROOT;
  return {
    ...servarrCommon(http, root),
    applications: providerApi(http, `${root}/applications`),
    indexers: providerApi(http, `${root}/indexer`),
    indexerSchema: () => http.get(`${root}/indexer/schema`, z.array(indexerTemplateSchema)),
    appProfiles: () => http.get(`${root}/appprofile`, z.array(appProfileSchema)),
    runCommand: (name) => http.send('POST', `${root}/command`, { name }, commandSchema),
    command: (id) => http.get(`${root}/command/${id}`, commandSchema),
  };
}
