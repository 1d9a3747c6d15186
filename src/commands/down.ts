import { existsSync } from 'node:fs';
import { z } from 'zod';
import { stackPaths } from '../home.js';
import type { Exec } from '../docker/exec.js';
import { EXIT, UsageError, WorkError } from '../errors.js';
import { withHomeLock } from '../state/lock.js';
import type { Logger } from '../ui/logger.js';
import { plexarrCommand } from '../ui/invocation.js';
import { homeOptionSchema } from '../config/schema.js';

export const downOptionsSchema = z.object({
  home: homeOptionSchema,
  json: z.boolean().default(false),
});
export type DownOptions = z.input<typeof downOptionsSchema>;

export interface DownDeps {
  exec: Exec;
  log: Pick<Logger, 'info' | 'success'>;
  /** Waits between checks that `docker stack rm` has finished (tests pass an instant one). */
  sleep?(ms: number): Promise<void>;
}

/**
 * `plexarr down`: `compose -p plexarr -f … down` (Swarm: `docker stack rm plexarr`). Containers and the network go; every file —
 * config folders, media, plexarr.db, the generated files — and every volume stays, so
 * `plexarr deploy` brings the same stack back.
 */
export async function runDown(options: DownOptions, injected?: DownDeps): Promise<number> {
  const opts = downOptionsSchema.parse(options);
  const { composeFile } = stackPaths(opts.home);
  if (!existsSync(composeFile))
    throw new UsageError(`No generated compose file at ${composeFile}. Run \`${plexarrCommand('init')}\` first.`, 'home');
  const deps = injected ?? (await defaultDownDeps());
  return withHomeLock(opts.home, 'down', () => stop(opts, composeFile, deps));
}

async function stop(opts: z.output<typeof downOptionsSchema>, composeFile: string, deps: DownDeps): Promise<number> {
  const [{ openEngine, savedEngineConfig }, { dockerInfo }] = await Promise.all([
    import('../engine/index.js'),
    import('../docker/docker.js'),
  ]);
  const engine = await openEngine({ exec: deps.exec, ...(deps.sleep ? { sleep: deps.sleep } : {}) }, savedEngineConfig(opts.home));
  let before;
  try {
    before = await engine.ps(composeFile);
    await engine.down(composeFile);
  } catch (error) {
    // Compose (v1 especially) reports a stopped daemon as a Python traceback; docker info says it plainly.
    const info = await dockerInfo(deps.exec);
    if (!info.ok)
      throw new WorkError(
        `Could not stop the stack: ${info.reason}. Start Docker (e.g. \`sudo systemctl start docker\`), then run \`${plexarrCommand('down')}\` again.`,
      );
    throw error;
  }
  const stopped = before.map((b) => b.name);
  if (opts.json) {
    deps.log.info(JSON.stringify({ ok: true, command: engine.downCommand(composeFile), stopped, kept: 'all files and volumes' }, null, 2));
  } else {
    deps.log.success(
      stopped.length > 0
        ? `Stopped ${stopped.length} containers (${stopped.join(', ')}). All data and configuration are kept; \`${plexarrCommand('deploy')}\` starts them again.`
        : 'Nothing was running. All data and configuration are kept.',
    );
  }
  return EXIT.ok;
}

async function defaultDownDeps(): Promise<DownDeps> {
  const [{ realExec }, { createLogger }] = await Promise.all([import('../docker/exec.js'), import('../ui/logger.js')]);
  return { exec: realExec, log: createLogger() };
}
