import type { StackConfig } from '../config/schema.js';
import type { ServiceId } from './ids.js';
import type { InternalPort } from './types.js';

/**
 * The host port a service publishes for `role`: the configured one, else the catalog's default.
 * Takes the service's ports rather than the catalog, so entries can use it in their environment.
 */
export function hostPortOf(config: Pick<StackConfig, 'services'>, id: ServiceId, ports: readonly InternalPort[], role: string): number {
  const configured = config.services[id].ports[role];
  if (configured !== undefined) return configured;
  const fallback = ports.find((p) => p.role === role)?.host;
  if (fallback === undefined) throw new Error(`${id} has no port role "${role}"`);
  return fallback;
}
