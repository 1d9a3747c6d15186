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

export const ARR_APPS: Record<ArrApp, ArrAppFacts> = {
  radarr: {
    app: 'radarr',
    label: 'Radarr',
    categoryField: 'movieCategory',
    category: 'Movies',
    rootFolder: MEDIA_DIRS.movies,
    apiKey: 'RADARR_API_KEY',
    implementation: 'Radarr',
  },
  // Sonarr's default category is `tv`, which NZBGet does not have (trap 2): name `Series`.
  sonarr: {
    app: 'sonarr',
    label: 'Sonarr',
    categoryField: 'tvCategory',
    category: 'Series',
    rootFolder: MEDIA_DIRS.tv,
    apiKey: 'SONARR_API_KEY',
    implementation: 'Sonarr',
  },
  lidarr: {
    app: 'lidarr',
    label: 'Lidarr',
    categoryField: 'musicCategory',
    category: 'Music',
    rootFolder: MEDIA_DIRS.music,
    apiKey: 'LIDARR_API_KEY',
    implementation: 'Lidarr',
  },
};

export const ARR_IDS = ['radarr', 'sonarr', 'lidarr'] as const satisfies readonly ArrApp[];

export type NzbgetInstance = 'nzbget' | 'nzbget2';

export const NZBGET_CREDENTIALS: Record<NzbgetInstance, { user: SecretName; pass: SecretName }> = {
  nzbget: { user: 'NZBGET_USER', pass: 'NZBGET_PASS' },
  nzbget2: { user: 'NZBGET2_USER', pass: 'NZBGET2_PASS' },
};

/** NZBGet listens on 6789 inside the stack network, both instances (only the published port differs). */
export const NZBGET_INTERNAL_PORT = 6789;
