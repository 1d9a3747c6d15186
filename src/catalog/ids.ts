/**
 * The catalog's keys, in catalog order (the order of the compose file and of every listing). This
 * module imports nothing, so `plexarr --help` can name the services without loading zod or the
 * rest of the catalog; each id has its entry in `services.ts` (a missing one is a type error).
 */
export const SERVICE_IDS = ['plex', 'radarr', 'sonarr', 'lidarr', 'prowlarr', 'requests', 'maintainerr', 'nzbget', 'nzbget2', 'wireguard', 'npm'] as const;
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
  | 'NPM_ADMIN_PASSWORD';
