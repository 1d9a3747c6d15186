import type { StackConfig } from '../config/schema.js';
import { hostPortOf } from './host-port.js';
import { SERVICE_IDS, type SecretName, type ServiceId } from './ids.js';
import { REQUEST_MANAGER_ENTRIES, SERVICES } from './services.js';
import type { CatalogEntry, InternalPort, SecretSpec } from './types.js';

export type { CatalogEntry, EnvValue, InternalPort, LoginSpec, PreseedPlan, ProbeSpec, SecretRef, SecretSpec } from './types.js';
export {
  indexerApiKeySecret,
  isNumberedSecretName,
  REQUEST_MANAGERS,
  SERVICE_IDS,
  usenetPasswordSecret,
  type NumberedSecretName,
  type RequestManager,
  type SecretName,
  type ServiceId,
} from './ids.js';
export { portClashes, portsInUse, samePort } from './port-checks.js';
export { configDir, configMountSources, CONTAINER_PATHS, DOWNLOADS_ROOT, LIBRARY_ROOT, MEDIA_MOUNT, MEDIA_SUBDIRS } from './storage.js';

/**
 * The service catalog. `CATALOG.requests` describes the default variant (Seerr); the fields that
 * differ between Seerr and Overseerr (container, image, config mount, environment, health check,
 * pre-seed) must be read through `catalogEntry(id, config)`. Every list below is derived from it.
 */
export const CATALOG: Readonly<Record<ServiceId, CatalogEntry>> = SERVICES;

/** Services on in a new stack. */
export const DEFAULT_ENABLED: readonly ServiceId[] = SERVICE_IDS.filter((id) => SERVICES[id].defaultEnabled);

/** Host ports each service publishes by default, by role. Most services have one (`web`). */
export const DEFAULT_PORTS: Readonly<Record<ServiceId, Readonly<Record<string, number>>>> = Object.fromEntries(
  SERVICE_IDS.map((id) => [id, Object.fromEntries(SERVICES[id].ports.map((p) => [p.role, p.host]))]),
) as Record<ServiceId, Record<string, number>>;

/** The stack admin's password: the web login of every service whose `login` is `stack`. */
const STACK_SECRETS: readonly SecretSpec[] = [{ name: 'ADMIN_PASSWORD', kind: 'password' }];

/** Every secret plexarr keeps, in the order `.env` lists them. */
export const SECRET_SPECS: readonly SecretSpec[] = [...STACK_SECRETS, ...SERVICE_IDS.flatMap((id) => SERVICES[id].secrets)];
export const SECRET_NAMES: readonly SecretName[] = SECRET_SPECS.map((s) => s.name);

export function secretSpec(name: SecretName): SecretSpec | undefined {
  return SECRET_SPECS.find((s) => s.name === name);
}

export function catalogEntry(id: ServiceId, config: Pick<StackConfig, 'requestManager'>): CatalogEntry {
  return id === 'requests' ? REQUEST_MANAGER_ENTRIES[config.requestManager] : SERVICES[id];
}

export function containerName(id: ServiceId, config: Pick<StackConfig, 'requestManager'>): string {
  return catalogEntry(id, config).container;
}

/** How a sentence names a service: "Wait for the request manager to answer". */
export function serviceName(id: ServiceId): string {
  return SERVICES[id].prose ?? SERVICES[id].label;
}

/** Enabled services in catalog order (the order of the compose file and of every listing). */
export function enabledServices(config: Pick<StackConfig, 'services'>): ServiceId[] {
  return SERVICE_IDS.filter((id) => config.services[id].enabled);
}

/** The host port a service publishes for `role`: the configured one, else the default. */
export function hostPort(config: Pick<StackConfig, 'services'>, id: ServiceId, role: string): number {
  return hostPortOf(config, id, SERVICES[id].ports, role);
}

export function hasWebPort(id: ServiceId): boolean {
  return SERVICES[id].ports.some((p) => p.role === 'web');
}

/** The port a service's web UI and API listen on inside the stack network. */
export function webPort(id: ServiceId): InternalPort {
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

/** The secret holding a service's API key, for the services that have one. */
export function apiKeySecret(id: ServiceId): SecretName | undefined {
  return SERVICES[id].secrets.find((s) => s.kind === 'apiKey')?.name;
}

/** A service's own login secrets (NZBGet's control user and password, NPM's admin password). */
export function loginSecrets(id: ServiceId): { user?: SecretName; password?: SecretName } {
  const secrets = SERVICES[id].secrets;
  return { user: secrets.find((s) => s.kind === 'username')?.name, password: secrets.find((s) => s.kind === 'password')?.name };
}

/** The secrets a service's environment references as `${VAR}`. */
export function referencedSecrets(id: ServiceId, config: StackConfig): SecretName[] {
  const env = catalogEntry(id, config).environment(config);
  return Object.values(env).flatMap((v) => (typeof v === 'string' ? [] : [v.secret]));
}
