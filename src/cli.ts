import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { CancelledError, EXIT, WorkError } from './errors.js';
import { handleError } from './ui/handle-error.js';
import type { Logger } from './ui/logger.js';

/**
 * The command table. Commander only maps argv to an options object; each action imports its
 * command module on demand, so `plexarr --help` loads no HTTP, task-list, process or SQLite code.
 */

export const COMMAND_NAMES = ['init', 'deploy', 'coordinate', 'status', 'doctor', 'down', 'credentials'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

type Options = Record<string, unknown>;

const collect = (value: string, previous: string[] = []) => [...previous, value];

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

function homeOption(): Option {
  return new Option('--home <dir>', 'plexarr home: plexarr.db and generated-config/ (default: current directory)').env('PLEXARR_HOME');
}

function common(cmd: Command, opts: { host?: boolean } = {}): Command {
  cmd.addOption(homeOption()).option('--json', 'machine-readable output');
  if (opts.host !== false) cmd.option('--host <addr>', 'address services are reached at from this host (default: 127.0.0.1)');
  return cmd;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

export function buildProgram(run: (name: CommandName, options: Options) => Promise<void>): Command {
  const program = new Command('plexarr')
    .description('Turns a Docker host into a wired Plex + *arr media stack: one wizard, one compose file, every API key connected.')
    .version(version(), '-V, --version')
    .exitOverride()
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      examples(['plexarr init', 'plexarr init --yes --media-root /srv/media', 'plexarr deploy', 'plexarr status', 'plexarr credentials']) +
        '\nExit codes: 0 done, 1 the work failed, 2 bad usage or invalid input (nothing written), 130 cancelled.\n',
    );
  const action = (name: CommandName) => async (_opts: Options, cmd: Command) => run(name, cmd.optsWithGlobals());

  common(program.command('init').description('Ask the questions (or take flags / an answers file), then write plexarr.db, docker-compose.yml and .env'), { host: false })
    .option('--config <answers.yaml>', 'answers as a YAML file (same keys as the questions; unknown keys are rejected)')
    .option('-y, --yes', 'accept the defaults for every question not answered, and do not ask to confirm')
    .option('--force', 'accept host ports that are already in use')
    .option('--media-root <dir>', 'media root, mounted at /data (default: <home>/data)')
    .option('--config-root <dir>', "apps' config folders (default: <home>/appdata)")
    .option('--puid <id>', 'user id the apps run as (default: yours; SUDO_UID under sudo)')
    .option('--pgid <id>', 'group id the apps run as (default: yours; SUDO_GID under sudo)')
    .option('--tz <zone>', 'time zone, e.g. Europe/Berlin (default: the host\u2019s)')
    .option('--host-address <addr>', 'address people reach this host at (default: first LAN IPv4)')
    .option('--services <list>', 'comma-separated: plex,radarr,sonarr,lidarr,prowlarr,requests,maintainerr,nzbget,nzbget2,wireguard,npm')
    .option('--port <service[.role]=port>', 'host port, repeatable: --port radarr=7879 --port npm.http=8080', collect)
    .option('--request-manager <name>', 'seerr (default) or overseerr')
    .option('--admin-user <name>', 'admin user for the web UIs (default: admin)')
    .option('--admin-password <password>', 'admin password (default: generated)')
    .option('--plex-token <token>', 'plex.tv account token (optional; needed to claim Plex)')
    .option('--wireguard-peers <peers>', 'WireGuard peers: a number or comma-separated names (default: 1)')
    .option('--wireguard-server-url <addr>', 'WireGuard public address (default: auto)')
    .option('--npm-email <email>', 'Nginx Proxy Manager admin e-mail (default: admin@<domain or example.com>)')
    .option('--domain <domain>', 'domain for TLS certificates (optional)')
    .addHelpText(
      'after',
      examples([
        'plexarr init',
        'plexarr init --yes --home /opt/plexarr --media-root /srv/media',
        'plexarr init --yes --services plex,radarr,sonarr,prowlarr,nzbget --port radarr=17878',
        'plexarr init --config answers.yaml --yes',
      ]),
    )
    .action(action('init'));

  common(program.command('deploy').description('Prepare folders and pre-seeded configs, docker compose up, wait until healthy, then coordinate'))
    .option('--no-coordinate', 'stop after the containers are healthy')
    .option('--dry-run', 'print the commands and file changes without making them')
    .option('--timeout <seconds>', 'how long to wait for each service to become healthy')
    .addHelpText('after', examples(['plexarr deploy', 'plexarr deploy --no-coordinate', 'plexarr deploy --dry-run']))
    .action(action('deploy'));

  common(program.command('coordinate').description('Wire the services to each other through their APIs (idempotent, resumable)'))
    .option('--retry', 'run only the hookups that failed, were skipped or never finished last time')
    .option('--dry-run', 'show the plan (create / update with the differing fields / unchanged); changes nothing')
    .option('--only <task-glob>', "run only the matching tasks, e.g. 'radarr.*' (repeatable or comma-separated); unfinished dependencies run too", collect)
    .option('--concurrency <n>', 'how many independent hookups run at once (default: 16)')
    .option('--timeout <seconds>', 'time limit for the whole run, waiting for services included (default: 600)')
    .option('--plex-token <token>', 'plex.tv account token (stored for next time)')
    .addHelpText(
      'after',
      examples([
        'plexarr coordinate',
        'plexarr coordinate --retry',
        "plexarr coordinate --dry-run --only 'radarr.*'",
        'plexarr coordinate --retry --plex-token <token>',
      ]),
    )
    .action(action('coordinate'));

  common(program.command('status').description('Dashboard: each service\u2019s container state, health, URL and hookup states'))
    .option('--live', 're-check each hookup against the running apps (GET only) instead of trusting the saved state')
    .option('--timeout <seconds>', 'with --live: how long to wait for each hookup\u2019s answers (default: 10)')
    .addHelpText('after', examples(['plexarr status', 'plexarr status --json', 'plexarr status --live --host 192.168.1.10']) + '\nExit code 0 when every service is up and every hookup linked (or skipped on purpose), else 1.\n')
    .action(action('status'));

  common(program.command('doctor').description('Check the host: docker, compose, ports, permissions, disk, hardlink-capable layout'))
    .addHelpText('after', examples(['plexarr doctor', 'plexarr doctor --json']))
    .action(action('doctor'));

  common(program.command('down').description('Stop the stack; all data and configuration are kept'))
    .addHelpText('after', examples(['plexarr down']))
    .action(action('down'));

  common(program.command('credentials').description('Print the admin login and API keys (the only command that shows secrets)'))
    .addHelpText('after', examples(['plexarr credentials', 'plexarr credentials --json']))
    .action(action('credentials'));

  return program;
}

/** `deploy` → `runDeploy` in `./commands/deploy.js`. */
async function loadCommand(name: CommandName): Promise<(options: Options, deps?: unknown) => Promise<unknown>> {
  let mod: Record<string, unknown>;
  try {
    // A computed specifier, so the bundler leaves it to Node: each command is its own entry file.
    const file = `./commands/${name}.js`;
    mod = (await import(file)) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes(`commands/${name}.js`)) {
      throw new WorkError(`plexarr ${name} is not available in this build.`);
    }
    throw err;
  }
  const fn = mod[`run${name[0]?.toUpperCase()}${name.slice(1)}`];
  if (typeof fn !== 'function') throw new WorkError(`plexarr ${name} is not available in this build.`);
  return fn as (options: Options, deps?: unknown) => Promise<unknown>;
}

async function runCommand(name: CommandName, options: Options, log: Logger): Promise<number> {
  if (name === 'init') {
    const { runInit, defaultInitDeps } = await import('./commands/init.js');
    // Writes happen only at the very end; an interrupt before that leaves nothing behind. The
    // deploy that init may start afterwards handles interrupts itself.
    const onInterrupt = () => {
      log.error(new CancelledError().message);
      process.exit(EXIT.cancelled);
    };
    process.once('SIGINT', onInterrupt);
    let code: number = EXIT.ok;
    try {
      await runInit(options, {
        ...defaultInitDeps(),
        log,
        runCommand: async (next, opts) => {
          process.off('SIGINT', onInterrupt);
          code = await runCommand(next as CommandName, opts, log);
        },
      });
    } finally {
      process.off('SIGINT', onInterrupt);
    }
    return code;
  }
  const result = await (await loadCommand(name))(options);
  return typeof result === 'number' ? result : EXIT.ok;
}

/** The logger (and chalk) is loaded on first use, so `--help` does not pay for it. */
async function logger(): Promise<Logger> {
  const { createLogger } = await import('./ui/logger.js');
  return createLogger();
}

/** Parses argv, runs the command, and maps whatever it throws to an exit code. */
export async function main(argv: string[] = process.argv): Promise<number> {
  let exitCode: number = EXIT.ok;
  let lastOptions: Options | undefined;
  const program = buildProgram(async (name, options) => {
    lastOptions = options;
    exitCode = await runCommand(name, options, await logger());
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed its message (or the help/version) already.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return handleError(err, await logger(), lastOptions);
  }
}
