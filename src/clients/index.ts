import { apiKeySecret, CATALOG, catalogEntry, hostUrl, loginSecrets, type SecretName, type ServiceId } from '../catalog/index.js';
import type { Secrets, StackConfig } from '../config/schema.js';
import type { Exec } from '../docker/exec.js';
import { maskedValues } from '../redact.js';
import { createArrClient, type ArrApp, type ArrClient } from './arr.js';
import { createMaintainerrClient, type MaintainerrClient } from './maintainerr.js';
import { createNpmClient, type NpmClient } from './npm.js';
import { createNzbgetClient, type NzbgetClient } from './nzbget.js';
import { createPlexClient, type PlexClient } from './plex.js';
import { createPlexTvClient, plexTvUrl, type PlexTvClient } from './plextv.js';
import { createProwlarrClient, type ProwlarrClient } from './prowlarr.js';
import { createRecyclarrClient, type RecyclarrClient } from './recyclarr.js';
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
  readonly recyclarr: RecyclarrClient;
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
  /** The stack's compose file and how to run programs, for the services driven through Compose. */
  composeFile?: string;
  exec?: Exec;
}

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
  const common = { secrets: maskedValues(secrets), timeoutMs, signal };
  const value = (name: SecretName | undefined) => (name ? secrets[name] : undefined) ?? '';
  const url = (id: ServiceId) => hostUrl(id, config, options.host);
  const apiKey = (id: ServiceId) => value(apiKeySecret(id));
  const arr = (app: ArrApp) => () => createArrClient(app, { ...common, baseUrl: url(app), apiKey: apiKey(app) });
  const nzbget = (id: 'nzbget' | 'nzbget2') => () => {
    const login = loginSecrets(id);
    return createNzbgetClient({
      ...common,
      service: CATALOG[id].label,
      baseUrl: url(id),
      username: value(login.user),
      password: value(login.password),
    });
  };
  return lazy({
    radarr: arr('radarr'),
    sonarr: arr('sonarr'),
    lidarr: arr('lidarr'),
    prowlarr: () => createProwlarrClient({ ...common, baseUrl: url('prowlarr'), apiKey: apiKey('prowlarr') }),
    nzbget: nzbget('nzbget'),
    nzbget2: nzbget('nzbget2'),
    plex: () => createPlexClient({ ...common, baseUrl: url('plex'), token: secrets.PLEX_TOKEN ?? '' }),
    plextv: () => createPlexTvClient({ ...common, baseUrl: options.plexTvUrl ?? plexTvUrl(), token: secrets.PLEX_TOKEN ?? '' }),
    requests: () =>
      createSeerrClient({
        ...common,
        service: catalogEntry('requests', config).label,
        baseUrl: url('requests'),
        apiKey: apiKey('requests'),
      }),
    maintainerr: () => createMaintainerrClient({ ...common, baseUrl: url('maintainerr') }),
    npm: () => createNpmClient({ ...common, baseUrl: url('npm') }),
    recyclarr: () => createRecyclarrClient({ exec: options.exec, composeFile: options.composeFile, swarm: config.engine === 'swarm' }),
  });
}
