import { z } from 'zod';
import type { Exec } from '../docker/exec.js';
import { CancelledError, EXIT, UsageError } from '../errors.js';
import type { Logger } from '../ui/logger.js';
import { plexarrCommand } from '../ui/invocation.js';
import { homeOptionSchema } from '../config/schema.js';

export const uninstallOptionsSchema = z.object({
  home: homeOptionSchema,
  json: z.boolean().default(false),
  purgeConfig: z.boolean().default(false),
  yes: z.boolean().default(false),
});
export type UninstallOptions = z.input<typeof uninstallOptionsSchema>;

export interface UninstallDeps {
  exec: Exec;
  log: Pick<Logger, 'info' | 'success' | 'warn'>;
  /** A person at a terminal who can be asked (stdin and stdout are TTYs, CI is not set). */
  interactive: boolean;
  confirm(message: string): Promise<boolean>;
  /** Waits between checks that `docker stack rm` has finished (tests pass an instant one). */
  sleep?(ms: number): Promise<void>;
}

async function defaultUninstallDeps(): Promise<UninstallDeps> {
  const [{ realExec }, { createLogger }, { personAtTerminal }] = await Promise.all([
    import('../docker/exec.js'),
    import('../ui/logger.js'),
    import('../ui/interactive.js'),
  ]);
  return {
    exec: realExec,
    log: createLogger(),
    interactive: personAtTerminal(process.stdout),
    confirm: async (message) => (await import('@inquirer/prompts')).confirm({ message, default: false }),
  };
}

/**
 * `plexarr uninstall`: removes the containers and the network, keeps media always, and keeps the
 * apps' config, plexarr.db and generated-config/ unless `--purge-config` (confirmed by a person,
 * or by `--yes`). Everything is checked and confirmed before anything is removed, and the removal
 * holds the home's lock.
 */
export async function runUninstall(options: UninstallOptions, injected?: UninstallDeps): Promise<number> {
  const opts = uninstallOptionsSchema.parse(options);
  const deps = injected ?? (await defaultUninstallDeps());
  const mustAsk = opts.purgeConfig && !opts.yes;
  if (mustAsk && (!deps.interactive || opts.json)) {
    throw new UsageError(
      '--purge-config deletes the apps\u2019 settings, plexarr.db and generated-config/; there is no terminal to ask, so pass --yes to confirm (got --purge-config without --yes).',
      'yes',
    );
  }
  const { loadHome } = await import('../state/load-home.js');
  const { state, config } = loadHome(opts.home, { readonly: true });
  state.close();

  if (mustAsk) {
    const ok = await deps.confirm(
      `Delete the apps\u2019 config folders under ${config.configRoot}, plexarr.db and generated-config/ (media under ${config.mediaRoot} is kept)?`,
    );
    if (!ok) throw new CancelledError('Cancelled, nothing was removed.');
  }

  const [{ uninstallStack }, { withHomeLock }] = await Promise.all([import('../day2/uninstall.js'), import('../state/lock.js')]);
  const progress = opts.json ? () => undefined : (text: string) => deps.log.info(text);
  const report = await withHomeLock(opts.home, 'uninstall', () =>
    uninstallStack({
      exec: deps.exec,
      home: opts.home,
      config,
      purgeConfig: opts.purgeConfig,
      progress,
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    }),
  );

  if (opts.json) {
    deps.log.info(JSON.stringify({ ok: true, ...report }, null, 2));
    return EXIT.ok;
  }
  const containers = report.removed.containers;
  const removed = [
    containers.length > 0 ? `${containers.length} containers (${containers.join(', ')})` : 'no containers (none existed)',
    ...(report.removed.network ? [`the ${report.removed.network} network`] : []),
    ...report.removed.paths,
  ];
  deps.log.success(`Removed:\n${removed.map((r) => `  ${r}`).join('\n')}`);
  deps.log.info(`Kept:\n${report.kept.map((k) => `  ${k}`).join('\n')}`);
  for (const note of report.notes) deps.log.warn(note);
  if (!opts.purgeConfig)
    deps.log.info(
      `\`${plexarrCommand('deploy')}\` brings the same stack back; \`${plexarrCommand('uninstall --purge-config')}\` also deletes the configuration.`,
    );
  return EXIT.ok;
}
