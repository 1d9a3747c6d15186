import type { SecretName, ServiceId, StackConfig } from '../config/schema.js';
import { SERVICE_IDS } from '../config/schema.js';
import { hostPort } from './host-port.js';
import { REQUEST_MANAGER_ENTRIES, SERVICES } from './services.js';
import type { CatalogEntry, InternalPort } from './types.js';

export type { CatalogEntry, EnvValue, InternalPort, SecretRef } from './types.js';
export { hostPort } from './host-port.js';

/**
 * The service catalog. `CATALOG.requests` describes the default variant (Seerr); the fields that
 * differ between Seerr and Overseerr (container, image, config mount, environment, health check)
 * must be read through `catalogEntry(id, config)`.
 */
export const CATALOG: Readonly<Record<ServiceId, CatalogEntry>> = SERVICES;

export function catalogEntry(id: ServiceId, config: Pick<StackConfig, 'requestManager'>): CatalogEntry {
  return id === 'requests' ? REQUEST_MANAGER_ENTRIES[config.requestManager] : SERVICES[id];
}

export function containerName(id: ServiceId, config: Pick<StackConfig, 'requestManager'>): string {
  return catalogEntry(id, config).container;
}

/** Enabled services in catalog order (the order of the compose file and of every listing). */
export function enabledServices(config: Pick<StackConfig, 'services'>): ServiceId[] {
  return SERVICE_IDS.filter((id) => config.services[id].enabled);
}

function webPort(id: ServiceId): InternalPort {
  const port = SERVICES[id].ports.find((p) => p.role === 'web');
  if (!port) throw new Error(`${id} has no web port`);
  return port;
}

/** How other containers reach a service's web/API port: `http://radarr:7878`. */
export function internalUrl(id: ServiceId, config: Pick<StackConfig, 'requestManager'>): string {
  return `http://${containerName(id, config)}:${webPort(id).internal}`;
}

/** How the host reaches a service's web/API port: `http://127.0.0.1:<published port>`. */
export function hostUrl(id: ServiceId, config: Pick<StackConfig, 'services'>, host = '127.0.0.1'): string {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return `http://${hostPart}:${hostPort(config, id, webPort(id).role)}`;
}

export interface PublishedPort {
  service: ServiceId;
  role: string;
  port: number;
  protocol: 'tcp' | 'udp';
}

/** Every host port the enabled services publish (for conflict and in-use checks). */
export function publishedPorts(config: Pick<StackConfig, 'services'>): PublishedPort[] {
  return enabledServices(config).flatMap((service) =>
    SERVICES[service].ports.map((p) => ({ service, role: p.role, port: hostPort(config, service, p.role), protocol: p.protocol })),
  );
}

export function apiKeySecret(id: ServiceId): SecretName | undefined {
  return SERVICES[id].apiKeySecret;
}

export function loginSecret(id: ServiceId): SecretName | undefined {
  return SERVICES[id].loginSecret;
}

/** The secrets a service's environment references as `${VAR}`. */
export function referencedSecrets(id: ServiceId, config: StackConfig): SecretName[] {
  const env = catalogEntry(id, config).environment(config);
  return Object.values(env).flatMap((v) => (typeof v === 'string' ? [] : [v.secret]));
}
