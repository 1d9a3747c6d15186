import { existsSync } from 'node:fs';
import type { Exec } from '../../docker/exec.js';

export interface Paused<T> {
  result: T;
  /** Containers that were running, stopped for `body` and started again. */
  paused: string[];
}

/**
 * Runs `body` with the stack's running containers stopped (`compose stop`), so the apps' own
 * databases are at rest while they are copied, and starts exactly those again afterwards, also
 * when `body` fails. `body` gets each existing container's image id. Without a compose file,
 * without Compose on the host or with the engine stopped nothing can be running, and `body` runs as is.
 */
export async function pausedStack<T>(
  exec: Exec,
  composeFile: string,
  progress: (text: string) => void,
  body: (images: Record<string, string>) => Promise<T>,
): Promise<Paused<T>> {
  if (!existsSync(composeFile)) return { result: await body({}), paused: [] };
  const { composePs, composeStart, composeStop, detectCompose } = await import('../../docker/compose.js');
  const compose = await detectCompose(exec).catch(() => undefined);
  if (!compose) {
    progress('Docker Compose is not installed here, so no container can be running: copying as is.');
    return { result: await body({}), paused: [] };
  }
  const { containerImages, engineStopped } = await import('../../docker/docker.js');
  const containers = await composePs(exec, compose, composeFile).catch((error: unknown) => {
    // A stopped engine runs no container; any other failure (e.g. no permission) might hide a running one.
    if (error instanceof Error && engineStopped(error.message)) return undefined;
    throw error;
  });
  if (!containers) {
    progress('The Docker engine is not running, so no container of the stack is: copying as is.');
    return { result: await body({}), paused: [] };
  }
  const images = await containerImages(exec, containers.map((c) => c.name));
  const running = containers.filter((c) => c.state === 'running');
  if (running.length === 0) return { result: await body(images), paused: [] };
  progress(`Stopping ${running.length} containers for a consistent copy (${running.map((c) => c.name).join(', ')})…`);
  await composeStop(exec, compose, composeFile);
  try {
    return { result: await body(images), paused: running.map((c) => c.name) };
  } finally {
    progress('Starting them again…');
    await composeStart(exec, compose, composeFile, { services: running.map((c) => c.service) });
  }
}
