import type { CommandName } from './cli.js';
import { EXIT } from './errors.js';
import { handleError } from './ui/handle-error.js';
import type { Logger } from './ui/logger.js';

type Options = Record<string, unknown>;

/**
 * What each command runs: one module and one `runX(options, deps?)` per command, loaded only when
 * that command is chosen. Each returns its exit code (init: that of the deploy it may start).
 */
const COMMANDS: Record<CommandName, (options: Options) => Promise<number>> = {
  init: async (options) => (await (await import('./commands/init.js')).runInit(options)).deployExitCode ?? EXIT.ok,
  deploy: async (options) => (await import('./commands/deploy.js')).runDeploy(options),
  coordinate: async (options) => (await import('./commands/coordinate.js')).runCoordinate(options),
  status: async (options) => (await import('./commands/status.js')).runStatus(options),
  doctor: async (options) => (await import('./commands/doctor.js')).runDoctor(options),
  down: async (options) => (await import('./commands/down.js')).runDown(options),
  credentials: async (options) => (await import('./commands/credentials.js')).runCredentials(options),
  uninstall: async (options) => (await import('./commands/uninstall.js')).runUninstall(options),
  backup: async (options) => (await import('./commands/backup.js')).runBackup(options),
  restore: async (options) => (await import('./commands/restore.js')).runRestore(options as { file: string }),
  update: async (options) => (await import('./commands/update.js')).runUpdate(options),
};

/** The logger (and chalk) is loaded on first use: most runs that print nothing red never need it here. */
async function logger(): Promise<Logger> {
  const { createLogger } = await import('./ui/logger.js');
  return createLogger();
}

/** Runs one command; whatever it throws becomes a message and an exit code. */
export async function run(name: CommandName, options: Options): Promise<number> {
  try {
    return await COMMANDS[name](options);
  } catch (err) {
    return fail(err, options);
  }
}

/** The one mapping of an error to its message and exit code (handleError), with the logger. */
export async function fail(err: unknown, options: Options | undefined): Promise<number> {
  return handleError(err, await logger(), options);
}
