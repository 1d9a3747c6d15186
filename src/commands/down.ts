import { existsSync } from 'node:fs';
import { z } from 'zod';
import { stackPaths } from '../home.js';
import type { Exec } from '../docker/exec.js';
import { EXIT, UsageError } from '../errors.js';
import type { Logger } from '../ui/logger.js';
import { plexarrCommand } from '../ui/invocation.js';

export const downOptionsSchema = z.object({
  home: z.string().min(1).default(() => process.cwd()),
  json: z.boolean().default(false),
});
export type DownOptions = z.input<typeof downOptionsSchema>;

export interface DownDeps {
  exec: Exec;
  log: Pick<Logger, 'info' | 'success'>;
}

/**
 * `plexarr down`: `compose -p plexarr -f … down`. Containers and the network go; every file —
 * config folders, media, plexarr.db, the generated files — and every volume stays, so
 * `plexarr deploy` brings the same stack back.
 */
export async function runDown(options: DownOptions, injected?: DownDeps): Promise<number> {
  const opts = downOptionsSchema.parse(options);
  const { composeFile } = stackPaths(opts.home);
  if (!existsSync(composeFile)) throw new UsageError(`No generated compose file at ${composeFile}. Run \`${plexarrCommand('init')}\` first.`, 'home');
  const deps = injected ?? (await defaultDownDeps());
  const { composeCommand, composeDown, composePs, detectCompose } = await import('../docker/compose.js');
  const compose = await detectCompose(deps.exec);
  const before = await composePs(deps.exec, compose, composeFile);
  await composeDown(deps.exec, compose, composeFile);
  const c = composeCommand(compose, composeFile, ['down']);
  const stopped = before.map((b) => b.name);
  if (opts.json) {
    deps.log.info(JSON.stringify({ ok: true, command: [c.file, ...c.args], stopped, kept: 'all files and volumes' }, null, 2));
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
