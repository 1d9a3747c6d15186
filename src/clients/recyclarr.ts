import { CATALOG } from '../catalog/index.js';
import type { Exec } from '../docker/exec.js';

/**
 * Recyclarr has no HTTP API: plexarr runs `recyclarr sync` in its container, through `docker
 * compose exec` on Compose and `docker exec` in the service's task on Swarm.
 */
export interface RecyclarrClient {
  sync(): Promise<void>;
}

/** `exec` defaults to running the real programs; Compose code is loaded only when a sync runs. */
export function createRecyclarrClient(options: { exec?: Exec; composeFile: string | undefined; swarm?: boolean }): RecyclarrClient {
  return {
    async sync() {
      const exec = options.exec ?? (await import('../docker/exec.js')).realExec;
      if (options.swarm === true) {
        const { serviceTaskExec } = await import('../swarm/docker.js');
        await serviceTaskExec(exec, CATALOG.recyclarr.container, ['recyclarr', 'sync']);
        return;
      }
      if (options.composeFile === undefined)
        throw new Error("Recyclarr is run through the stack's compose file, and none was given to this run.");
      const { detectCompose, recyclarrSync } = await import('../docker/compose.js');
      await recyclarrSync(exec, await detectCompose(exec), options.composeFile, CATALOG.recyclarr.container);
    },
  };
}
