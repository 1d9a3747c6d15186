import { existsSync } from 'node:fs';
import type { EngineConfig, EngineDeps } from '../../engine/index.js';

export interface Paused<T> {
  result: T;
  /** Services that were running, stopped for `body` and started again. */
  paused: string[];
}

/**
 * Runs `body` with the stack's running services stopped (Compose: `stop`; Swarm: scaled to 0 and
 * waited for on every node), so the apps' own databases are at rest while they are copied, and
 * starts exactly those again afterwards, also when `body` fails. `body` gets each service's image
 * id. Without a stack file, without Compose on the host or with the engine stopped nothing can be
 * running, and `body` runs as is.
 */
export async function pausedStack<T>(
  deps: EngineDeps,
  config: EngineConfig,
  stackFile: string,
  progress: (text: string) => void,
  body: (images: Record<string, string>) => Promise<T>,
): Promise<Paused<T>> {
  if (!existsSync(stackFile)) return { result: await body({}), paused: [] };
  const { openEngine } = await import('../../engine/index.js');
  const engine = await openEngine(deps, config).catch(() => undefined);
  if (!engine) {
    progress('Docker Compose is not installed here, so no container can be running: copying as is.');
    return { result: await body({}), paused: [] };
  }
  const { engineStopped } = await import('../../docker/docker.js');
  const containers = await engine.ps(stackFile).catch((error: unknown) => {
    // A stopped engine runs no container; any other failure (e.g. no permission) might hide a running one.
    if (error instanceof Error && engineStopped(error.message)) return undefined;
    throw error;
  });
  if (!containers) {
    progress('The Docker engine is not running, so no container of the stack is: copying as is.');
    return { result: await body({}), paused: [] };
  }
  const images = await engine.imageIds(
    stackFile,
    containers.map((c) => c.service),
  );
  const running = containers.filter((c) => c.state === 'running').map((c) => c.service);
  if (running.length === 0) return { result: await body(images), paused: [] };
  progress(`Stopping ${running.length} services for a consistent copy (${running.join(', ')})…`);
  await engine.stop(stackFile, running);
  try {
    return { result: await body(images), paused: running };
  } finally {
    progress('Starting them again…');
    await engine.start(stackFile, running);
  }
}
