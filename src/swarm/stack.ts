import { catalogEntry, enabledServices, hostPort } from '../catalog/index.js';
import type { StackConfig } from '../config/schema.js';
import { PROJECT_NETWORK } from '../docker/docker.js';
import { constraintsOf } from '../engine/config.js';

/**
 * The Compose file turned into a stack file for `docker stack deploy`. Swarm ignores (and warns
 * about) `container_name`, `restart` and `depends_on`; what they did moves under `deploy:`.
 *
 * Every service gets `endpoint_mode: dnsrr` and host-mode ports:
 * - each service runs as one task (the apps keep their state in SQLite under /config, which two
 *   replicas cannot share), so the virtual-IP balancer has nothing to balance; with dnsrr the
 *   service name resolves straight to the task, and `http://radarr:7878` works as under Compose;
 * - Swarm refuses ingress ports on a dnsrr service, and host mode is what Plex needs anyway: the
 *   routing mesh rewrites the client's address, so Plex would take every LAN client for a remote
 *   one, and its 32400 must answer on the node Plex is placed on;
 * - a port then answers on the node running the task, the one `status` names.
 */

/** The v3 file format Docker 20.10's `docker stack deploy` reads; newer Docker reads it too. */
const STACK_FILE_VERSION = '3.9';

const DROPPED = ['container_name', 'restart', 'depends_on'] as const;

/** Restarts a task that exits, as `restart: unless-stopped` did; `docker stack rm` stops it for good. */
const RESTART_POLICY = { condition: 'any', delay: '5s' };

export interface StackFile {
  version: string;
  services: Record<string, Record<string, unknown>>;
  networks: Record<string, Record<string, unknown>>;
}

function ports(config: StackConfig, id: Parameters<typeof hostPort>[1]): Record<string, unknown>[] {
  return catalogEntry(id, config).ports.map((p) => ({
    target: p.internal,
    published: hostPort(config, id, p.role),
    protocol: p.protocol,
    mode: 'host',
  }));
}

export function swarmStack(services: Record<string, Record<string, unknown>>, config: StackConfig): StackFile {
  const out: StackFile['services'] = {};
  for (const id of enabledServices(config)) {
    const entry = catalogEntry(id, config);
    const service = { ...services[entry.container] };
    for (const key of DROPPED) delete service[key];
    if (entry.ports.length > 0) service.ports = ports(config, id);
    const constraints = constraintsOf(config, id);
    service.deploy = {
      mode: 'replicated',
      replicas: 1,
      endpoint_mode: 'dnsrr',
      restart_policy: { ...RESTART_POLICY },
      ...(constraints.length > 0 ? { placement: { constraints } } : {}),
    };
    out[entry.container] = service;
  }
  return {
    version: STACK_FILE_VERSION,
    services: out,
    // Attachable, so a one-off `docker run --network plexarr_default` can reach the apps by name.
    // The network Compose names `plexarr_default`; the same name keeps one address book for both engines.
    networks: { default: { name: PROJECT_NETWORK, driver: 'overlay', attachable: true } },
  };
}
