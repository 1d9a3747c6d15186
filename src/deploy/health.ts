import { createConnection } from 'node:net';
import { catalogEntry, hostPort } from '../catalog/index.js';
import type { ServiceId, StackConfig } from '../config/schema.js';
import { containerInfo, type ContainerInfo } from '../docker/compose.js';
import { healthySince, inspectContainers, readiness, type ContainerInspect, type Readiness } from '../docker/docker.js';
import type { Exec } from '../docker/exec.js';
import { WorkError } from '../errors.js';
import { plexarrCommand } from '../ui/invocation.js';

/**
 * Waits until every container of the stack is running and healthy. A container without a health
 * check counts once it runs and, when it publishes a TCP web port, that port accepts a connection.
 * Polls `docker inspect` by container name (one cheap call, for Compose v1 and v2 alike) so the
 * moment the last container turns healthy is noticed within one poll interval.
 */

export interface WaitTarget {
  service: ServiceId;
  container: string;
  label: string;
  /** Host port probed when the container has no health check. */
  tcpPort?: number;
}

export interface HealthDeps {
  exec: Exec;
  now(): number;
  sleep(ms: number): Promise<void>;
  tcpOpen?(host: string, port: number): Promise<boolean>;
  /** How the containers are read; default `docker inspect` by name (Swarm reads its tasks instead). */
  inspect?(containers: readonly string[]): Promise<ContainerInspect[]>;
  /** The command that shows a service's logs; default `docker logs <container>`. */
  logsCommand?(container: string): string;
}

export interface HealthOptions {
  timeoutMs: number;
  pollMs?: number;
  host: string;
  onChange?(target: WaitTarget, state: Readiness, detail: string): void;
}

export interface HealthResult {
  /** When each container was first seen ready (ms since epoch). */
  readyAt: Record<string, number>;
  /** When the last one became ready: Docker's health log time where it has one, else when seen. */
  lastHealthyAt: number;
  /** When this wait noticed that all were ready. */
  allReadyAt: number;
  /** Every target as that last read saw it, in the shape `compose ps` gives (what coordinate reads). */
  containers: ContainerInfo[];
}

export function waitTargets(config: StackConfig, services: readonly ServiceId[]): WaitTarget[] {
  return services.map((service) => {
    const entry = catalogEntry(service, config);
    const web = entry.ports.find((p) => p.protocol === 'tcp');
    const target: WaitTarget = { service, container: entry.container, label: entry.label };
    if (web) target.tcpPort = hostPort(config, service, web.role);
    return target;
  });
}

export function tcpOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

function describe(c: ContainerInspect | undefined): string {
  if (!c) return 'no container';
  const health = c.State.Health?.Status;
  const last = c.State.Health?.Log?.at(-1)?.Output?.trim().split('\n')[0];
  if (c.State.Status === 'exited') return `exited with code ${c.State.ExitCode ?? '?'}`;
  return [
    c.State.Status,
    health ? `health ${health}` : undefined,
    health && health !== 'healthy' && last ? `last check: ${last}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

export async function waitHealthy(deps: HealthDeps, targets: readonly WaitTarget[], opts: HealthOptions): Promise<HealthResult> {
  const start = deps.now();
  const probe = deps.tcpOpen ?? tcpOpen;
  const pollMs = opts.pollMs ?? 250;
  const logs = deps.logsCommand ?? ((container: string) => `docker logs ${container}`);
  const readyAt: Record<string, number> = {};
  const healthyAt: Record<string, number> = {};
  const last = new Map<string, Readiness>();
  let latest = new Map<string, ContainerInspect>();

  for (;;) {
    const names = targets.map((t) => t.container);
    const seen = await (deps.inspect ? deps.inspect(names) : inspectContainers(deps.exec, names));
    latest = new Map(seen.map((c) => [c.Name.replace(/^\//, ''), c]));
    const now = deps.now();
    for (const t of targets) {
      const c = latest.get(t.container);
      let state: Readiness = c ? readiness(c.State.Status, c.State.Health?.Status) : 'starting';
      if (state === 'ready' && c && !c.State.Health && t.tcpPort !== undefined && !(await probe(opts.host, t.tcpPort))) state = 'starting';
      if (state === 'failed' && c?.State.Restarting) state = 'starting';
      if (state === 'ready' && readyAt[t.container] === undefined) {
        readyAt[t.container] = now;
        healthyAt[t.container] = (c && healthySince(c)) ?? now;
      }
      if (state !== 'ready') delete readyAt[t.container];
      if (last.get(t.container) !== state) {
        last.set(t.container, state);
        opts.onChange?.(t, state, describe(c));
      }
      if (state === 'failed') {
        throw new WorkError(
          `${t.label} (${t.container}) ${describe(c)} while starting. See \`${logs(t.container)}\`, then run \`${plexarrCommand('deploy')}\` again.`,
        );
      }
    }
    if (targets.every((t) => readyAt[t.container] !== undefined)) {
      const lastHealthyAt = Math.max(...targets.map((t) => healthyAt[t.container] ?? now));
      const containers = targets.flatMap((t) => {
        const c = latest.get(t.container);
        return c ? [containerInfo(c)] : [];
      });
      return { readyAt, lastHealthyAt, allReadyAt: now, containers };
    }
    if (now - start >= opts.timeoutMs) {
      const waiting = targets.filter((t) => readyAt[t.container] === undefined);
      const lines = waiting.map(
        (t) => `  ${t.label} (${t.container}): ${describe(latest.get(t.container))} — see \`${logs(t.container)}\``,
      );
      throw new WorkError(
        `Not healthy after ${Math.round(opts.timeoutMs / 1000)} s:\n${lines.join('\n')}\nRun \`${plexarrCommand('deploy')}\` again to keep waiting (use --timeout for longer).`,
      );
    }
    await deps.sleep(pollMs);
  }
}
