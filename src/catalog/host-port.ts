import { DEFAULT_PORTS, type ServiceId, type StackConfig } from '../config/schema.js';

/** The host port a service publishes for `role`: the configured one, else the default. */
export function hostPort(config: Pick<StackConfig, 'services'>, id: ServiceId, role: string): number {
  const configured = config.services[id].ports[role];
  if (configured !== undefined) return configured;
  const fallback = (DEFAULT_PORTS[id] as Record<string, number>)[role];
  if (fallback === undefined) throw new Error(`${id} has no port role "${role}"`);
  return fallback;
}
