import { apiKeySecret, CATALOG, loginSecrets, webPort } from '../../catalog/index.js';
import type { ArrApp } from '../../clients/arr.js';
import type { SecretName } from '../../config/schema.js';
import { MEDIA_DIRS } from './shared.js';

/** Per-app facts the *arr hookups need: NZBGet category field and value, root folder, key. */
export interface ArrAppFacts {
  app: ArrApp;
  label: string;
  /** The NZBGet settings field holding the category, and the NZBGet category it must name. */
  categoryField: string;
  category: string;
  rootFolder: string;
  apiKey: SecretName;
  /** Prowlarr application implementation / settings contract. */
  implementation: string;
}

function apiKey(app: ArrApp): SecretName {
  const name = apiKeySecret(app);
  if (!name) throw new Error(`${app} has no API key secret in the catalog`);
  return name;
}

export const ARR_APPS: Record<ArrApp, ArrAppFacts> = {
  radarr: {
    app: 'radarr',
    label: CATALOG.radarr.label,
    categoryField: 'movieCategory',
    category: 'Movies',
    rootFolder: MEDIA_DIRS.movies,
    apiKey: apiKey('radarr'),
    implementation: 'Radarr',
  },
  // Sonarr's default category is `tv`, which NZBGet does not have: name `Series`.
  sonarr: {
    app: 'sonarr',
    label: CATALOG.sonarr.label,
    categoryField: 'tvCategory',
    category: 'Series',
    rootFolder: MEDIA_DIRS.tv,
    apiKey: apiKey('sonarr'),
    implementation: 'Sonarr',
  },
  lidarr: {
    app: 'lidarr',
    label: CATALOG.lidarr.label,
    categoryField: 'musicCategory',
    category: 'Music',
    rootFolder: MEDIA_DIRS.music,
    apiKey: apiKey('lidarr'),
    implementation: 'Lidarr',
  },
};

export const ARR_IDS = ['radarr', 'sonarr', 'lidarr'] as const satisfies readonly ArrApp[];

export type NzbgetInstance = 'nzbget' | 'nzbget2';

function nzbgetLogin(instance: NzbgetInstance): { user: SecretName; pass: SecretName } {
  const { user, password } = loginSecrets(instance);
  if (!user || !password) throw new Error(`${instance} has no login secrets in the catalog`);
  return { user, pass: password };
}

export const NZBGET_CREDENTIALS: Record<NzbgetInstance, { user: SecretName; pass: SecretName }> = {
  nzbget: nzbgetLogin('nzbget'),
  nzbget2: nzbgetLogin('nzbget2'),
};

/** Both NZBGet instances listen on the same port inside the stack network (only the published port differs). */
export const NZBGET_INTERNAL_PORT = webPort('nzbget').internal;
