/**
 * The catalog's keys, in catalog order (the order of the compose file and of every listing). This
 * module imports nothing, so `plexarr --help` can name the services without loading zod or the
 * rest of the catalog; each id has its entry in `services.ts` (a missing one is a type error).
 */
export const SERVICE_IDS = [
  'plex',
  'radarr',
  'sonarr',
  'lidarr',
  'prowlarr',
  'requests',
  'maintainerr',
  'nzbget',
  'nzbget2',
  'wireguard',
  'npm',
  'recyclarr',
] as const;
export type ServiceId = (typeof SERVICE_IDS)[number];

/** The two variants of the `requests` service. */
export const REQUEST_MANAGERS = ['seerr', 'overseerr'] as const;
export type RequestManager = (typeof REQUEST_MANAGERS)[number];

/**
 * Every secret plexarr keeps: the stack admin's password and what each catalog entry lists in its
 * `secrets` (with its kind). Spelled here because types need the literal names; the catalog unit
 * test proves this list and the entries agree.
 */
export type SecretName =
  | 'ADMIN_PASSWORD'
  | 'PLEX_TOKEN'
  | 'PLEX_CLAIM'
  | 'RADARR_API_KEY'
  | 'SONARR_API_KEY'
  | 'LIDARR_API_KEY'
  | 'PROWLARR_API_KEY'
  | 'REQUESTS_API_KEY'
  | 'NZBGET_USER'
  | 'NZBGET_PASS'
  | 'NZBGET2_USER'
  | 'NZBGET2_PASS'
  | 'NPM_ADMIN_PASSWORD'
  | NumberedSecretName;

/**
 * Secrets of the user's own accounts, one per Usenet server / indexer in the saved answers
 * (numbered from 1 in list order). No container reads them: the hookups hand them to NZBGet and
 * Prowlarr through the apps' APIs, so they never go into `.env`.
 */
export type NumberedSecretName = `USENET_${number}_PASSWORD` | `INDEXER_${number}_API_KEY`;
const NUMBERED_SECRET = /^(USENET_[1-9]\d*_PASSWORD|INDEXER_[1-9]\d*_API_KEY)$/;

export function isNumberedSecretName(name: string): name is NumberedSecretName {
  return NUMBERED_SECRET.test(name);
}

export const usenetPasswordSecret = (index: number): NumberedSecretName => `USENET_${index + 1}_PASSWORD`;
export const indexerApiKeySecret = (index: number): NumberedSecretName => `INDEXER_${index + 1}_API_KEY`;
