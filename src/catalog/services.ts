import type { RequestManager, ServiceId } from '../config/schema.js';
import { hostPort } from './host-port.js';
import { secretRef, type CatalogEntry } from './types.js';

/**
 * One entry per service: the images, ports and environment the apps' own images document; the
 * reasons for the less obvious choices sit beside them.
 */

const curl = (port: number, path: string) => ['CMD', 'curl', '-fsS', `http://localhost:${port}${path}`];

/** Radarr, Sonarr, Lidarr and Prowlarr read their API key from `<APP>__AUTH__APIKEY` (API-NOTES §1.1). */
function arr(id: 'radarr' | 'sonarr' | 'lidarr' | 'prowlarr', label: string, port: number, media: boolean): CatalogEntry {
  const prefix = id.toUpperCase() as Uppercase<typeof id>;
  const apiKey = `${prefix}_API_KEY` as const;
  return {
    id,
    label,
    container: id,
    image: `lscr.io/linuxserver/${id}:latest`,
    template: id,
    ports: [{ role: 'web', internal: port, protocol: 'tcp' }],
    configMount: '/config',
    mediaAtData: media,
    linuxserver: true,
    environment: () => ({ [`${prefix}__AUTH__APIKEY`]: secretRef(apiKey) }),
    healthcheck: curl(port, '/ping'),
    requires: [],
    dependsOn: [],
    apiKeySecret: apiKey,
  };
}

/** linuxserver/nzbget sets AuthorizedIP=127.0.0.1, so the health probe needs no credentials. */
function nzbget(id: 'nzbget' | 'nzbget2', label: string): CatalogEntry {
  const prefix = id.toUpperCase() as Uppercase<typeof id>;
  return {
    id,
    label,
    container: id,
    image: 'lscr.io/linuxserver/nzbget:latest',
    template: 'nzbget',
    ports: [{ role: 'web', internal: 6789, protocol: 'tcp' }],
    configMount: '/config',
    mediaAtData: true,
    linuxserver: true,
    environment: () => ({
      NZBGET_USER: secretRef(`${prefix}_USER` as const),
      NZBGET_PASS: secretRef(`${prefix}_PASS` as const),
    }),
    healthcheck: curl(6789, '/jsonrpc/version'),
    requires: id === 'nzbget2' ? ['nzbget'] : [],
    dependsOn: [],
  };
}

/** Both request managers need Plex (their first login is a Plex account) and listen on 5055. */
type Variant = Pick<CatalogEntry, 'label' | 'container' | 'image' | 'template' | 'configMount' | 'linuxserver' | 'runsAs' | 'environment' | 'healthcheck'>;
function requests(variant: Variant): CatalogEntry {
  return {
    id: 'requests',
    ports: [{ role: 'web', internal: 5055, protocol: 'tcp' }],
    mediaAtData: false,
    requires: ['plex'],
    dependsOn: ['plex'],
    apiKeySecret: 'REQUESTS_API_KEY',
    ...variant,
  };
}

export const REQUEST_MANAGER_ENTRIES: Record<RequestManager, CatalogEntry> = {
  /** Runs as uid 1000 with no PUID/PGID and needs an init process (API-NOTES §0.15); honours API_KEY. */
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
  }),
};

export const SERVICES: Record<ServiceId, CatalogEntry> = {
  plex: {
    id: 'plex',
    label: 'Plex',
    container: 'plex',
    image: 'lscr.io/linuxserver/plex:latest',
    template: 'plex',
    ports: [{ role: 'web', internal: 32400, protocol: 'tcp' }],
    configMount: '/config',
    mediaAtData: true,
    linuxserver: true,
    // The claim token expires within minutes, so deploy fills PLEX_CLAIM right before `up`.
    environment: () => ({ VERSION: 'docker', PLEX_CLAIM: secretRef('PLEX_CLAIM') }),
    healthcheck: curl(32400, '/identity'),
    requires: [],
    dependsOn: [],
  },
  radarr: arr('radarr', 'Radarr', 7878, true),
  sonarr: arr('sonarr', 'Sonarr', 8989, true),
  lidarr: arr('lidarr', 'Lidarr', 8686, true),
  prowlarr: arr('prowlarr', 'Prowlarr', 9696, false),
  requests: { ...REQUEST_MANAGER_ENTRIES.seerr, label: 'Request manager' },
  maintainerr: {
    id: 'maintainerr',
    label: 'Maintainerr',
    container: 'maintainerr',
    image: 'ghcr.io/maintainerr/maintainerr:latest',
    template: 'maintainerr',
    ports: [{ role: 'web', internal: 6246, protocol: 'tcp' }],
    configMount: '/opt/data',
    mediaAtData: false,
    linuxserver: false,
    environment: (config) => ({ TZ: config.tz }),
    // No compose healthcheck: the image ships its own HEALTHCHECK on /api/health/ready.
    requires: ['plex'],
    dependsOn: ['plex'],
  },
  nzbget: nzbget('nzbget', 'NZBGet'),
  nzbget2: nzbget('nzbget2', 'NZBGet 2'),
  wireguard: {
    id: 'wireguard',
    label: 'WireGuard',
    container: 'wireguard',
    image: 'lscr.io/linuxserver/wireguard:latest',
    template: 'wireguard',
    ports: [{ role: 'vpn', internal: 51820, protocol: 'udp' }],
    configMount: '/config',
    mediaAtData: false,
    linuxserver: true,
    // Peers connect to the host's published port, which is what goes into their configs.
    environment: (config) => ({
      PEERS: config.wireguard.peers,
      SERVERURL: config.wireguard.serverUrl,
      SERVERPORT: String(hostPort(config, 'wireguard', 'vpn')),
    }),
    requires: [],
    dependsOn: [],
  },
  npm: {
    id: 'npm',
    label: 'Nginx Proxy Manager',
    container: 'npm',
    image: 'jc21/nginx-proxy-manager:latest',
    template: 'npm',
    ports: [
      { role: 'http', internal: 80, protocol: 'tcp' },
      { role: 'https', internal: 443, protocol: 'tcp' },
      { role: 'web', internal: 81, protocol: 'tcp' },
    ],
    configMount: '/data',
    configSubMounts: [
      { subdir: 'data', target: '/data' },
      { subdir: 'letsencrypt', target: '/etc/letsencrypt' },
    ],
    mediaAtData: false,
    linuxserver: false,
    // NPM >= 2.13 creates no default admin; both variables are needed (API-NOTES §0.14).
    environment: (config) => ({ INITIAL_ADMIN_EMAIL: config.npm.email, INITIAL_ADMIN_PASSWORD: secretRef('NPM_ADMIN_PASSWORD') }),
    healthcheck: ['CMD', '/usr/bin/check-health'],
    requires: [],
    dependsOn: [],
  },
};
