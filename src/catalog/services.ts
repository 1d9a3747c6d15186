import { hostPortOf } from './host-port.js';
import type { RequestManager, ServiceId } from './ids.js';
import { overseerrSettings } from './preseed.js';
import { recyclarrKeys, recyclarrPreseed } from './recyclarr.js';
import { secretRef, type CatalogEntry } from './types.js';

/**
 * One entry per service: everything plexarr knows about it. Images follow the linuxserver.io
 * builds where one exists; the reasons for the less obvious choices sit beside them.
 */

const curl = (port: number, path: string) => ['CMD', 'curl', '-fsS', `http://localhost:${port}${path}`];

/** The *arr apps and NPM answer `{"status": "OK"}` once they are up. */
const statusOk = (body: string) => /"status"\s*:\s*"OK"/i.test(body);

/**
 * Radarr, Sonarr, Lidarr and Prowlarr read their API key from `<APP>__AUTH__APIKEY`, answer
 * `GET /ping` without one, and take the stack admin as their web login.
 */
function arr(id: 'radarr' | 'sonarr' | 'lidarr' | 'prowlarr', label: string, port: number, media: boolean): CatalogEntry {
  const prefix = id.toUpperCase() as Uppercase<typeof id>;
  const apiKey = `${prefix}_API_KEY` as const;
  return {
    id,
    label,
    defaultEnabled: true,
    container: id,
    image: `lscr.io/linuxserver/${id}:latest`,
    template: id,
    ports: [{ role: 'web', internal: port, protocol: 'tcp', host: port }],
    configMount: '/config',
    mediaAtData: media,
    linuxserver: true,
    environment: () => ({ [`${prefix}__AUTH__APIKEY`]: secretRef(apiKey) }),
    healthcheck: curl(port, '/ping'),
    requires: [],
    dependsOn: [],
    secrets: [{ name: apiKey, kind: 'apiKey' }],
    probe: { path: '/ping', ok: statusOk },
    login: { kind: 'stack' },
  };
}

/**
 * linuxserver/nzbget sets AuthorizedIP=127.0.0.1, so the container's health check needs no
 * credentials; from the host its control login is needed. Both instances listen on 6789 inside
 * the stack network.
 */
function nzbget(id: 'nzbget' | 'nzbget2', label: string, hostPortDefault: number): CatalogEntry {
  const prefix = id.toUpperCase() as Uppercase<typeof id>;
  const user = `${prefix}_USER` as const;
  const pass = `${prefix}_PASS` as const;
  return {
    id,
    label,
    defaultEnabled: id === 'nzbget',
    ...(id === 'nzbget2' ? { note: 'a second, separate download queue' } : {}),
    container: id,
    image: 'lscr.io/linuxserver/nzbget:latest',
    template: 'nzbget',
    ports: [{ role: 'web', internal: 6789, protocol: 'tcp', host: hostPortDefault }],
    configMount: '/config',
    mediaAtData: true,
    linuxserver: true,
    environment: () => ({ NZBGET_USER: secretRef(user), NZBGET_PASS: secretRef(pass) }),
    healthcheck: curl(6789, '/jsonrpc/version'),
    requires: id === 'nzbget2' ? ['nzbget'] : [],
    dependsOn: [],
    secrets: [
      { name: user, kind: 'username', value: 'nzbget' },
      { name: pass, kind: 'password' },
    ],
    // A GET, like the container's own health check: a readiness wait (and so a dry run) sends no POST.
    probe: { path: '/jsonrpc/version', login: true },
    login: { kind: 'own', user: (_config, secrets) => secrets[user], password: pass },
  };
}

/** Both request managers need Plex (their first login is a Plex account) and listen on 5055. */
type Variant = Pick<
  CatalogEntry,
  'label' | 'container' | 'image' | 'template' | 'configMount' | 'linuxserver' | 'runsAs' | 'environment' | 'healthcheck' | 'preseed'
>;
function requests(variant: Variant): CatalogEntry {
  return {
    id: 'requests',
    prose: 'the request manager',
    defaultEnabled: true,
    ports: [{ role: 'web', internal: 5055, protocol: 'tcp', host: 5055 }],
    mediaAtData: false,
    requires: ['plex'],
    dependsOn: ['plex'],
    secrets: [{ name: 'REQUESTS_API_KEY', kind: 'apiKey' }],
    probe: { path: '/api/v1/status' },
    ...variant,
  };
}

export const REQUEST_MANAGER_ENTRIES: Record<RequestManager, CatalogEntry> = {
  /** Runs as uid 1000 with no PUID/PGID and needs an init process (`init: true`); honours API_KEY. */
  seerr: requests({
    label: 'Seerr',
    container: 'seerr',
    image: 'ghcr.io/seerr-team/seerr:latest',
    template: 'seerr',
    configMount: '/app/config',
    linuxserver: false,
    runsAs: { uid: 1000, gid: 1000 },
    environment: (config) => ({ API_KEY: secretRef('REQUESTS_API_KEY'), TZ: config.tz, PORT: '5055' }),
    healthcheck: ['CMD', 'wget', '--no-verbose', '--tries=1', '--spider', 'http://localhost:5055/api/v1/status'],
  }),
  /** Has no API key variable: deploy pre-seeds settings.json `main.apiKey` before the first start. */
  overseerr: requests({
    label: 'Overseerr',
    container: 'overseerr',
    image: 'lscr.io/linuxserver/overseerr:latest',
    template: 'overseerr',
    configMount: '/config',
    linuxserver: true,
    environment: () => ({}),
    healthcheck: curl(5055, '/api/v1/status'),
    preseed: overseerrSettings,
  }),
};

export const SERVICES: Record<ServiceId, CatalogEntry> = {
  plex: {
    id: 'plex',
    label: 'Plex',
    defaultEnabled: true,
    container: 'plex',
    image: 'lscr.io/linuxserver/plex:latest',
    template: 'plex',
    ports: [{ role: 'web', internal: 32400, protocol: 'tcp', host: 32400 }],
    configMount: '/config',
    mediaAtData: true,
    linuxserver: true,
    // The claim token expires within minutes, so deploy fills PLEX_CLAIM right before `up`.
    environment: () => ({ VERSION: 'docker', PLEX_CLAIM: secretRef('PLEX_CLAIM') }),
    healthcheck: curl(32400, '/identity'),
    requires: [],
    dependsOn: [],
    // PLEX_TOKEN is the user's plex.tv account token; PLEX_CLAIM is fetched with it at deploy.
    secrets: [
      { name: 'PLEX_TOKEN', kind: 'token' },
      { name: 'PLEX_CLAIM', kind: 'token' },
    ],
    probe: { path: '/identity' },
  },
  radarr: arr('radarr', 'Radarr', 7878, true),
  sonarr: arr('sonarr', 'Sonarr', 8989, true),
  lidarr: arr('lidarr', 'Lidarr', 8686, true),
  prowlarr: arr('prowlarr', 'Prowlarr', 9696, false),
  requests: { ...REQUEST_MANAGER_ENTRIES.seerr, label: 'Request manager' },
  maintainerr: {
    id: 'maintainerr',
    label: 'Maintainerr',
    defaultEnabled: true,
    container: 'maintainerr',
    image: 'ghcr.io/maintainerr/maintainerr:latest',
    template: 'maintainerr',
    ports: [{ role: 'web', internal: 6246, protocol: 'tcp', host: 6246 }],
    configMount: '/opt/data',
    mediaAtData: false,
    linuxserver: false,
    environment: (config) => ({ TZ: config.tz }),
    // No compose healthcheck: the image ships its own HEALTHCHECK on /api/health/ready.
    requires: ['plex'],
    dependsOn: ['plex'],
    secrets: [],
    probe: { path: '/api/health/ready' },
  },
  nzbget: nzbget('nzbget', 'NZBGet', 6789),
  nzbget2: nzbget('nzbget2', 'NZBGet 2', 6790),
  wireguard: {
    id: 'wireguard',
    label: 'WireGuard',
    note: 'remote access VPN',
    defaultEnabled: false,
    container: 'wireguard',
    image: 'lscr.io/linuxserver/wireguard:latest',
    template: 'wireguard',
    ports: [{ role: 'vpn', internal: 51820, protocol: 'udp', host: 51820 }],
    configMount: '/config',
    mediaAtData: false,
    linuxserver: true,
    // Peers connect to the host's published port, which is what goes into their configs.
    environment: (config) => ({
      PEERS: config.wireguard.peers,
      SERVERURL: config.wireguard.serverUrl,
      SERVERPORT: String(hostPortOf(config, 'wireguard', SERVICES.wireguard.ports, 'vpn')),
    }),
    requires: [],
    dependsOn: [],
    secrets: [],
    probe: null,
  },
  npm: {
    id: 'npm',
    label: 'Nginx Proxy Manager',
    note: 'reverse proxy with Let’s Encrypt TLS',
    defaultEnabled: false,
    container: 'npm',
    image: 'jc21/nginx-proxy-manager:latest',
    template: 'npm',
    ports: [
      { role: 'http', internal: 80, protocol: 'tcp', host: 80 },
      { role: 'https', internal: 443, protocol: 'tcp', host: 443 },
      { role: 'web', internal: 81, protocol: 'tcp', host: 81 },
    ],
    configMount: '/data',
    configSubMounts: [
      { subdir: 'data', target: '/data' },
      { subdir: 'letsencrypt', target: '/etc/letsencrypt' },
    ],
    mediaAtData: false,
    linuxserver: false,
    // No INITIAL_ADMIN_*: NPM would log that password in plain text (`docker logs npm`), so the
    // admin is created through its API by `coordinate` (npm.admin) instead.
    environment: () => ({}),
    healthcheck: ['CMD', '/usr/bin/check-health'],
    requires: [],
    dependsOn: [],
    secrets: [{ name: 'NPM_ADMIN_PASSWORD', kind: 'password' }],
    probe: { path: '/api/', ok: statusOk },
    login: { kind: 'own', what: 'admin', user: (config) => config.npm.email, password: 'NPM_ADMIN_PASSWORD' },
  },
  recyclarr: {
    id: 'recyclarr',
    label: 'Recyclarr',
    note: 'TRaSH-guide quality profiles for Radarr and Sonarr; needs internet',
    defaultEnabled: true,
    container: 'recyclarr',
    image: 'ghcr.io/recyclarr/recyclarr:latest',
    template: 'recyclarr',
    ports: [],
    configMount: '/config',
    mediaAtData: false,
    linuxserver: false,
    // recyclarr.yml names the keys by `!env_var`; only the apps it manages are handed over.
    environment: (config) => ({ TZ: config.tz, ...recyclarrKeys(config) }),
    // Neither app is required alone (the config rules ask for one of them), so no start order either.
    requires: [],
    dependsOn: [],
    secrets: [],
    probe: null,
    preseed: recyclarrPreseed,
  },
};
