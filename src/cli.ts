import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { SERVICE_IDS } from './catalog/ids.js';
import { EXIT } from './errors.js';
import { escapeProse } from './ui/echo.js';

/**
 * The command line. Commander only maps argv to an options object; the commands themselves are
 * in the app (src/app.ts), loaded once a command is chosen, so `plexarr --help` loads no HTTP,
 * task-list, process or SQLite code.
 */

export const COMMAND_NAMES = [
  'init',
  'deploy',
  'coordinate',
  'status',
  'doctor',
  'down',
  'credentials',
  'uninstall',
  'backup',
  'restore',
  'update',
] as const;
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
    // Commander quotes an unknown option as typed; control characters in it are shown escaped.
    .configureOutput({ outputError: (text, write) => write(escapeProse(text)) })
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      examples(['plexarr init', 'plexarr init --yes --media-root /srv/media', 'plexarr deploy', 'plexarr status', 'plexarr credentials']) +
        '\nExit codes: 0 done, 1 the work failed, 2 bad usage or invalid input (nothing written), 130 cancelled.\n',
    );
  const action = (name: CommandName) => async (_opts: Options, cmd: Command) => run(name, cmd.optsWithGlobals());

  common(
    program
      .command('init')
      .description('Ask the questions (or take flags / an answers file), then write plexarr.db, docker-compose.yml and .env'),
    { host: false },
  )
    .option('--config <answers.yaml>', 'answers as a YAML file (same keys as the questions; unknown keys are rejected)')
    .option('-y, --yes', 'accept the defaults for every question not answered, and do not ask to confirm')
    .option('--force', 'accept host ports that are already in use')
    .option('--media-root <dir>', 'media root, mounted at /data (default: <home>/data)')
    .option('--config-root <dir>', "apps' config folders (default: <home>/appdata)")
    .option('--puid <id>', 'user id the apps run as (default: yours; SUDO_UID under sudo; as root the media root\u2019s owner)')
    .option('--pgid <id>', 'group id the apps run as (default: yours; SUDO_GID under sudo; as root the media root\u2019s owner)')
    .option('--tz <zone>', 'time zone, e.g. Europe/Berlin (default: the host\u2019s)')
    .option('--host-address <addr>', 'address people reach this host at (default: first LAN IPv4)')
    .option('--services <list>', `comma-separated: ${SERVICE_IDS.join(',')}`)
    .option('--port <service[.role]=port>', 'host port, repeatable: --port radarr=7879 --port npm.http=8080', collect)
    .option('--request-manager <name>', 'seerr (default) or overseerr')
    .option('--admin-user <name>', 'admin user for the web UIs (default: admin)')
    .option('--admin-password <password>', 'admin password (default: generated)')
    .option('--plex-token <token>', 'plex.tv account token (optional; needed to claim Plex)')
    .option('--wireguard-peers <peers>', 'WireGuard peers: a number or comma-separated names (default: 1)')
    .option('--wireguard-server-url <addr>', 'WireGuard public address (default: auto)')
    .option('--npm-email <email>', 'Nginx Proxy Manager admin e-mail (default: admin@<domain or example.com>)')
    .option('--domain <domain>', 'domain for TLS certificates (optional)')
    .option('--engine <engine>', 'compose (default: this host) or swarm (docker stack deploy across nodes)')
    .option(
      '--place <service=constraint>',
      'swarm: where a service runs, repeatable: --place plex=node.labels.gpu==true --place nzbget=node.hostname==box2',
      collect,
    )
    .option(
      '--usenet-server <host[:port]>',
      'Usenet news server for NZBGet (port default: 563 with TLS); more in an answers file (usenetServers)',
    )
    .option('--usenet-user <user>', 'user name at the news server')
    .option('--usenet-password <password>', 'password at the news server (kept in plexarr.db only)')
    .option('--usenet-connections <n>', 'connections to the news server (default: 8)')
    .option(
      '--indexer <Name=url,APIKEY>',
      "Newznab indexer for Prowlarr, repeatable: --indexer 'NZBgeek=https://api.nzbgeek.info,KEY' or a Prowlarr preset: --indexer 'NZBgeek,KEY'",
      collect,
    )
    .option('--quality-profile <profile>', 'TRaSH quality profile Recyclarr applies to Radarr and Sonarr: none, hd (default) or uhd')
    .addHelpText(
      'after',
      examples([
        'plexarr init',
        'plexarr init --yes --home /opt/plexarr --media-root /srv/media',
        'plexarr init --yes --services plex,radarr,sonarr,prowlarr,nzbget --port radarr=17878',
        'plexarr init --config answers.yaml --yes',
        'plexarr init --yes --engine swarm --place plex=node.labels.gpu==true',
        "plexarr init --yes --usenet-server news.example.com:563 --usenet-user me --usenet-password secret --indexer 'NZBgeek,APIKEY'",
      ]),
    )
    .action(action('init'));

  common(
    program.command('deploy').description('Prepare folders and pre-seeded configs, docker compose up, wait until healthy, then coordinate'),
  )
    .option('--no-coordinate', 'stop after the containers are healthy')
    .option('--dry-run', 'print the commands and file changes without making them')
    .option('--timeout <seconds>', 'how long to wait for each service to become healthy')
    .addHelpText('after', examples(['plexarr deploy', 'plexarr deploy --no-coordinate', 'plexarr deploy --dry-run']))
    .action(action('deploy'));

  common(program.command('coordinate').description('Wire the services to each other through their APIs (idempotent, resumable)'))
    .option('--retry', 'run only the hookups that failed, were skipped or never finished last time')
    .option('--dry-run', 'show the plan (create / update with the differing fields / unchanged); changes nothing')
    .option(
      '--only <task-glob>',
      "run only the matching tasks, e.g. 'radarr.*' (repeatable or comma-separated); unfinished dependencies run too",
      collect,
    )
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
    .addHelpText(
      'after',
      examples(['plexarr status', 'plexarr status --json', 'plexarr status --live --host 192.168.1.10']) +
        '\nExit code 0 when every service is up and every hookup linked (or skipped on purpose), else 1.\n',
    )
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

  common(
    program
      .command('uninstall')
      .description('Remove the containers and the network; media is always kept, configuration unless --purge-config'),
    { host: false },
  )
    .option('--purge-config', 'also delete the apps\u2019 config folders, plexarr.db and generated-config/ (asks, or needs --yes)')
    .option('-y, --yes', 'do not ask before --purge-config deletes the configuration')
    .addHelpText(
      'after',
      examples(['plexarr uninstall', 'plexarr uninstall --purge-config', 'plexarr uninstall --purge-config --yes --json']),
    )
    .action(action('uninstall'));

  common(
    program
      .command('backup')
      .description('Write one archive of plexarr.db, generated-config/ and every app\u2019s config folder (never media)'),
    { host: false },
  )
    .option('--output <file>', 'where to write it (default: <home>/backups/plexarr-backup-<time>.tar.gz)')
    .option('--with-plex-metadata', 'include Plex\u2019s Cache/, Media/ and Metadata/ folders (large; Plex rebuilds them)')
    .option('--encrypt', 'encrypt with openssl (AES-256, PBKDF2); the passphrase is asked, or read from PLEXARR_BACKUP_PASSPHRASE')
    .addHelpText(
      'after',
      examples([
        'plexarr backup',
        'plexarr backup --output /mnt/usb/plexarr.tar.gz',
        'PLEXARR_BACKUP_PASSPHRASE=\u2026 plexarr backup --encrypt --json',
      ]) +
        '\nThe archive holds every API key and password of the stack: it is written with mode 0600.\nRunning containers are stopped while their folders are copied, and started again.\n',
    )
    .action(action('backup'));

  common(
    program
      .command('restore')
      .description('Verify a backup archive, then put back plexarr.db, generated-config/ and the apps\u2019 config folders'),
    { host: false },
  )
    .argument('<file>', 'the archive `plexarr backup` wrote')
    .option('--force', 'replace a stack that is already in this home and its config folders')
    .addHelpText(
      'after',
      examples([
        'plexarr restore backups/plexarr-backup-20260101-120000.tar.gz --home /opt/plexarr',
        'plexarr restore old.tar.gz --force',
        'plexarr restore secret.tar.gz.enc   # asks for the passphrase',
      ]),
    )
    .action(async (file: string, _opts: Options, cmd: Command) => run('restore', { ...cmd.optsWithGlobals(), file }));

  common(
    program
      .command('update')
      .description('Pull newer images, recreate only the containers whose image changed, roll back one that does not become healthy'),
  )
    .option('--service <id>', `only these services, repeatable or comma-separated: ${SERVICE_IDS.join(',')}`, collect)
    .option('--dry-run', 'list what would be pulled and recreated; changes nothing')
    .option('--no-rollback', 'keep a new image even when its container does not become healthy')
    .option('--no-coordinate', 'do not run coordinate after the update')
    .option('--timeout <seconds>', 'how long each recreated service may take to become healthy (default: 600)')
    .addHelpText(
      'after',
      examples([
        'plexarr update',
        'plexarr update --service radarr --service sonarr',
        'plexarr update --dry-run',
        'plexarr update --no-rollback --json',
      ]),
    )
    .action(action('update'));

  return program;
}

/** Parses argv and runs the command; errors other than usage ones become exit codes in the app. */
export async function main(argv: string[] = process.argv): Promise<number> {
  let exitCode: number = EXIT.ok;
  let lastOptions: Options | undefined;
  const program = buildProgram(async (name, options) => {
    lastOptions = options;
    exitCode = await (await import('./app.js')).run(name, options);
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed its message (or the help/version) already.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return (await import('./app.js')).fail(err, lastOptions);
  }
}
