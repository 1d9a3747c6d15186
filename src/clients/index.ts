import { catalogEntry, hostUrl } from '../catalog/index.js';
import type { Secrets, StackConfig } from '../config/schema.js';
import { createArrClient, type ArrApp, type ArrClient } from './arr.js';
import { createMaintainerrClient, type MaintainerrClient } from './maintainerr.js';
import { createNpmClient, type NpmClient } from './npm.js';
import { createNzbgetClient, type NzbgetClient } from './nzbget.js';
import { createPlexClient, type PlexClient } from './plex.js';
import { createPlexTvClient, plexTvUrl, type PlexTvClient } from './plextv.js';
import { createProwlarrClient, type ProwlarrClient } from './prowlarr.js';
import { createSeerrClient, type SeerrClient } from './seerr.js';

export { ApiError, isApiError } from './errors.js';

/** One client per app, built on first use (a run that touches only NZBGet builds only NZBGet's). */
export interface Clients {
  readonly radarr: ArrClient;
  readonly sonarr: ArrClient;
  readonly lidarr: ArrClient;
  readonly prowlarr: ProwlarrClient;
  readonly nzbget: NzbgetClient;
  readonly nzbget2: NzbgetClient;
  readonly plex: PlexClient;
  readonly plextv: PlexTvClient;
  readonly requests: SeerrClient;
  readonly maintainerr: MaintainerrClient;
  readonly npm: NpmClient;
}

export interface ClientsOptions {
  config: StackConfig;
  secrets: Secrets;
  /** How services are reached from where plexarr runs (`--host`, default 127.0.0.1). */
  host?: string;
  /** plex.tv base URL (`PLEXARR_PLEX_TV_URL`, default https://plex.tv). */
  plexTvUrl?: string;
  timeoutMs?: number;
  /** Aborts every request of every client (cancelled run, overall timeout). */
  signal?: AbortSignal;
}

const NOT_MASKED = new Set(['NZBGET_USER', 'NZBGET2_USER']);

type Factories = { [K in keyof Clients]: () => Clients[K] };

function lazy(factories: Factories): Clients {
  const built: { -readonly [K in keyof Clients]?: Clients[K] } = {};
  const clients = {} as Clients;
  for (const key of Object.keys(factories) as (keyof Clients)[]) {
    Object.defineProperty(clients, key, {
      enumerable: true,
      get: () => (built[key] ??= factories[key]() as never),
    });
  }
  return clients;
}

export function createClients(options: ClientsOptions): Clients {
  const { config, secrets, timeoutMs, signal } = options;
  // Every secret value is masked in every error message any client produces, except the NZBGet
  // control user names: they are fixed identifiers ("nzbget") that also name hosts and URLs.
  const secretValues = Object.entries(secrets)
    .filter(([name]) => !NOT_MASKED.has(name))
    .map(([, value]) => value);
  const common = { secrets: secretValues, timeoutMs, signal };
  const url = (id: Parameters<typeof hostUrl>[0]) => hostUrl(id, config, options.host);
  const arr = (app: ArrApp, key: string | undefined) => () => createArrClient(app, { ...common, baseUrl: url(app), apiKey: key ?? '' });
  return lazy({
    radarr: arr('radarr', secrets.RADARR_API_KEY),
    sonarr: arr('sonarr', secrets.SONARR_API_KEY),
    lidarr: arr('lidarr', secrets.LIDARR_API_KEY),
    prowlarr: () => createProwlarrClient({ ...common, baseUrl: url('prowlarr'), apiKey: secrets.PROWLARR_API_KEY ?? '' }),
    nzbget: () =>
      createNzbgetClient({ ...common, baseUrl: url('nzbget'), username: secrets.NZBGET_USER ?? '', password: secrets.NZBGET_PASS ?? '' }),
    nzbget2: () =>
      createNzbgetClient({
        ...common,
        service: 'NZBGet 2',
        baseUrl: url('nzbget2'),
        username: secrets.NZBGET2_USER ?? '',
        password: secrets.NZBGET2_PASS ?? '',
      }),
    plex: () => createPlexClient({ ...common, baseUrl: url('plex'), token: secrets.PLEX_TOKEN ?? '' }),
    plextv: () => createPlexTvClient({ ...common, baseUrl: options.plexTvUrl ?? plexTvUrl(), token: secrets.PLEX_TOKEN ?? '' }),
    requests: () =>
      createSeerrClient({ ...common, service: catalogEntry('requests', config).label, baseUrl: url('requests'), apiKey: secrets.REQUESTS_API_KEY ?? '' }),
    maintainerr: () => createMaintainerrClient({ ...common, baseUrl: url('maintainerr') }),
    npm: () => createNpmClient({ ...common, baseUrl: url('npm') }),
  });
}
