import { CATALOG } from '../catalog/index.js';
import type { Exec } from '../docker/exec.js';

/** Recyclarr has no HTTP API: plexarr drives it through `docker compose exec` in its container. */
export interface RecyclarrClient {
  sync(): Promise<void>;
}

/** `exec` defaults to running the real programs; Compose code is loaded only when a sync runs. */
export function createRecyclarrClient(options: { exec?: Exec; composeFile: string | undefined }): RecyclarrClient {
  return {
    async sync() {
      if (options.composeFile === undefined)
        throw new Error("Recyclarr is run through the stack's compose file, and none was given to this run.");
      const { detectCompose, recyclarrSync } = await import('../docker/compose.js');
      const exec = options.exec ?? (await import('../docker/exec.js')).realExec;
      await recyclarrSync(exec, await detectCompose(exec), options.composeFile, CATALOG.recyclarr.container);
    },
  };
}
