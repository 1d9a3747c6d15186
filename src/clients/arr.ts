import { z } from 'zod';
import { CATALOG } from '../catalog/index.js';
import { createHttp, type HttpOptions } from './http.js';
import { providerApi, servarrCommon, type ProviderApi, type ServarrCommon } from './servarr.js';

/** Radarr and Sonarr speak API v3, Lidarr v1. */
const ARR_API_ROOT = { radarr: '/api/v3', sonarr: '/api/v3', lidarr: '/api/v1' } as const;
export type ArrApp = keyof typeof ARR_API_ROOT;

const rootFolderSchema = z.looseObject({ id: z.number(), path: z.string() });
export type RootFolder = z.infer<typeof rootFolderSchema>;
const profileSchema = z.looseObject({ id: z.number(), name: z.string() });
export type Profile = z.infer<typeof profileSchema>;

/** Lidarr needs a name and existing profile ids; Radarr/Sonarr take only the path. */
export interface NewRootFolder {
  path: string;
  name?: string;
  defaultQualityProfileId?: number;
  defaultMetadataProfileId?: number;
  defaultMonitorOption?: string;
  defaultNewItemMonitorOption?: string;
  defaultTags?: number[];
}

export interface ArrClient extends ServarrCommon {
  readonly app: ArrApp;
  rootFolders(): Promise<RootFolder[]>;
  addRootFolder(folder: NewRootFolder): Promise<RootFolder>;
  qualityProfiles(): Promise<Profile[]>;
  /** Lidarr only. */
  metadataProfiles(): Promise<Profile[]>;
  /** What Prowlarr's application sync put there (and any the user added). */
  indexers: ProviderApi;
  /** Connect notifications (the Plex Media Server one among them). */
  notifications: ProviderApi;
}

export function createArrClient(
  app: ArrApp,
  options: Pick<HttpOptions, 'baseUrl' | 'secrets' | 'timeoutMs' | 'signal'> & { apiKey: string },
): ArrClient {
  const http = createHttp({ ...options, service: CATALOG[app].label, headers: { 'x-api-key': options.apiKey } });
  const root = ARR_API_ROOT[app];
  return {
    ...servarrCommon(http, root),
    app,
    rootFolders: () => http.get(`${root}/rootfolder`, z.array(rootFolderSchema)),
    addRootFolder: (folder) => http.send('POST', `${root}/rootfolder`, folder, rootFolderSchema),
    qualityProfiles: () => http.get(`${root}/qualityprofile`, z.array(profileSchema)),
    metadataProfiles: () => http.get(`${root}/metadataprofile`, z.array(profileSchema)),
    indexers: providerApi(http, `${root}/indexer`),
    notifications: providerApi(http, `${root}/notification`),
  };
}
