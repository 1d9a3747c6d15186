import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { PACKAGE_ROOT } from '../compose/paths.js';
import type { Exec } from '../docker/exec.js';
import { EXIT, UsageError } from '../errors.js';
import { echo } from '../ui/echo.js';
import type { Logger } from '../ui/logger.js';
import { homeOptionSchema } from '../config/schema.js';

export const backupOptionsSchema = z.object({
  home: homeOptionSchema,
  json: z.boolean().default(false),
  output: z
    .string()
    .min(1)
    .transform((p) => resolve(p))
    .optional(),
  withPlexMetadata: z.boolean().default(false),
  encrypt: z.boolean().default(false),
});
export type BackupOptions = z.input<typeof backupOptionsSchema>;

export const PASSPHRASE_ENV = 'PLEXARR_BACKUP_PASSPHRASE';
const MIN_PASSPHRASE = 8;

/** What backup and restore need from the outside world; tests hand in their own. */
export interface ArchiveDeps {
  exec: Exec;
  log: Pick<Logger, 'info' | 'success' | 'warn'>;
  /** Progress while --json keeps stdout for the result. */
  stderr: Pick<NodeJS.WriteStream, 'write'>;
  env: NodeJS.ProcessEnv;
  interactive: boolean;
  askPassphrase(message: string): Promise<string>;
  now(): number;
}

export async function defaultArchiveDeps(): Promise<ArchiveDeps> {
  const [{ realExec }, { createLogger }, { personAtTerminal }] = await Promise.all([
    import('../docker/exec.js'),
    import('../ui/logger.js'),
    import('../ui/interactive.js'),
  ]);
  return {
    exec: realExec,
    log: createLogger(),
    stderr: process.stderr,
    env: process.env,
    interactive: personAtTerminal(process.stderr),
    askPassphrase: async (message) => (await import('@inquirer/prompts')).password({ message, mask: '*' }, { output: process.stderr }),
    now: () => Date.now(),
  };
}

/** The passphrase from PLEXARR_BACKUP_PASSPHRASE, else asked (twice when it is being chosen). */
export async function passphrase(deps: ArchiveDeps, opts: { choosing: boolean; flag: string }): Promise<string> {
  const fromEnv = deps.env[PASSPHRASE_ENV];
  let value: string;
  if (fromEnv !== undefined && fromEnv !== '') value = fromEnv;
  else if (!deps.interactive) {
    throw new UsageError(
      `${opts.flag}: needs a passphrase, and there is no terminal to ask for one; set ${PASSPHRASE_ENV} (got none).`,
      opts.flag,
    );
  } else {
    value = await deps.askPassphrase('Backup passphrase:');
    if (opts.choosing && (await deps.askPassphrase('The same passphrase again:')) !== value) {
      throw new UsageError(`${opts.flag}: the two passphrases differ (got two different answers).`, opts.flag);
    }
  }
  if (opts.choosing && value.length < MIN_PASSPHRASE) {
    throw new UsageError(`${PASSPHRASE_ENV}: must be ${MIN_PASSPHRASE} characters or more (got ${value.length}).`, PASSPHRASE_ENV);
  }
  return value;
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\..*$/, '').replace(/[-:]/g, '').replace('T', '-');
}

/**
 * `plexarr backup`: one .tar.gz (0600; optionally encrypted) of plexarr.db, generated-config/ and
 * every app's config folder, with a manifest. Running containers are stopped for the copy and
 * started again. The archive holds every secret of the stack, and the output says so. The whole
 * run holds the home's lock: it stops and starts the stack's containers.
 */
export async function runBackup(options: BackupOptions, injected?: ArchiveDeps): Promise<number> {
  const opts = backupOptionsSchema.parse(options);
  const deps = injected ?? (await defaultArchiveDeps());
  const [{ requireStack }, { withHomeLock }] = await Promise.all([import('../state/load-home.js'), import('../state/lock.js')]);
  requireStack(opts.home);
  return withHomeLock(opts.home, 'backup', () => backupIn(opts, deps));
}

async function backupIn(opts: z.output<typeof backupOptionsSchema>, deps: ArchiveDeps): Promise<number> {
  const [{ loadHome }, { latestConfigId }] = await Promise.all([import('../state/load-home.js'), import('../state/deployments.js')]);
  const { state, config } = loadHome(opts.home, { readonly: true });
  try {
    const output = opts.output ?? join(opts.home, 'backups', `plexarr-backup-${stamp(deps.now())}.tar.gz${opts.encrypt ? '.enc' : ''}`);
    if (existsSync(output)) throw new UsageError(`--output: the file already exists; name a new one (got ${echo(output)}).`, 'output');
    const pass = opts.encrypt ? await passphrase(deps, { choosing: true, flag: '--encrypt' }) : undefined;
    const { backupStack } = await import('../day2/backup/backup.js');
    const progress = opts.json ? (text: string) => void deps.stderr.write(`${text}\n`) : (text: string) => deps.log.info(text);
    const report = await backupStack({
      exec: deps.exec,
      home: opts.home,
      db: state.db,
      config,
      configVersion: latestConfigId(state.db) ?? 0,
      plexarrVersion: packageVersion(),
      output,
      withPlexMetadata: opts.withPlexMetadata,
      ...(pass !== undefined ? { passphrase: pass } : {}),
      progress,
      now: deps.now,
    });
    const secretNote = report.encrypted
      ? 'It is encrypted; without the passphrase it cannot be restored.'
      : 'It holds every API key and password of the stack (mode 0600): keep it private, or use --encrypt.';
    if (opts.json) {
      deps.log.info(JSON.stringify({ ok: true, ...report, holdsSecrets: true }, null, 2));
    } else {
      const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
      deps.log.success(
        `Backup written: ${report.file} (${mb(report.bytes)}, ${report.files} files, ${mb(report.contentBytes)} before compression, ${(report.durationMs / 1000).toFixed(1)} s).`,
      );
      if (report.paused.length > 0) deps.log.info(`${report.paused.length} services were stopped for the copy and started again.`);
      deps.log.warn(secretNote);
    }
    return EXIT.ok;
  } finally {
    state.close();
  }
}
