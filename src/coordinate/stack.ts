import { existsSync } from 'node:fs';
import { containerName, serviceName } from '../catalog/index.js';
import type { ServiceId, StackConfig } from '../config/schema.js';
import type { ContainerInfo } from '../docker/compose.js';
import { dockerInfo, engineStopped, firstLine } from '../docker/docker.js';
import type { Exec } from '../docker/exec.js';
import { openEngine, type EngineConfig } from '../engine/index.js';
import { ProbeError, type Probe } from './wait.js';
import { plexarrCommand } from '../ui/invocation.js';

/**
 * Whether the stack's containers exist and run, asked of Docker before any readiness wait: with
 * nothing running, waiting out the whole timeout for services that cannot answer helps nobody.
 */
export type StackState =
  | { state: 'up'; containers: ContainerInfo[] }
  | { state: 'down'; why: string }
  /** Docker could not be asked (not installed here, or not allowed): the waits decide. */
  | { state: 'unknown'; why: string };

/** States in which a container is (or will soon be) able to answer. */
const ALIVE = new Set(['running', 'restarting']);

export async function stackState(exec: Exec, composeFile: string, config: EngineConfig = {}): Promise<StackState> {
  if (!existsSync(composeFile)) return { state: 'down', why: `there is no compose file at ${composeFile}` };
  // `docker info` first: it answers in a blink, where Compose v1 takes seconds to fail.
  const info = await dockerInfo(exec);
  if (!info.ok) {
    return engineStopped(info.reason) ? { state: 'down', why: info.reason } : { state: 'unknown', why: info.reason };
  }
  let containers: ContainerInfo[];
  try {
    containers = await (await openEngine({ exec }, config)).ps(composeFile);
  } catch (err) {
    return { state: 'unknown', why: firstLine(err instanceof Error ? err.message : String(err)) };
  }
  if (containers.length === 0) return { state: 'down', why: 'Docker has no plexarr containers' };
  if (!containers.some((c) => ALIVE.has(c.state))) {
    return { state: 'down', why: `every plexarr container is stopped (${containers.map((c) => `${c.name}: ${c.state}`).join(', ')})` };
  }
  return { state: 'up', containers };
}

/**
 * Waits only for services whose container runs or restarts; one that is missing or stopped fails
 * its wait at once, since no amount of waiting starts it.
 */
export function onlyRunning(probe: Probe, config: StackConfig, containers: readonly ContainerInfo[]): Probe {
  const byService = new Map(containers.map((c) => [c.service, c]));
  return async (service: ServiceId, signal: AbortSignal) => {
    const container = byService.get(containerName(service, config));
    if (!container) throw new ProbeError(`${serviceName(service)} has no container; run \`${plexarrCommand('deploy')}\``, true);
    if (!ALIVE.has(container.state))
      throw new ProbeError(
        `${serviceName(service)}'s container ${container.name} is ${container.state}; run \`${plexarrCommand('deploy')}\``,
        true,
      );
    return probe(service, signal);
  };
}
