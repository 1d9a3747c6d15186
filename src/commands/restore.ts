import { existsSync, rmdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { EXIT } from '../errors.js';
import { makeDirs } from '../fs/dirs.js';
import { HOME_MODE } from '../home.js';
import { plexarrCommand } from '../ui/invocation.js';
import { defaultArchiveDeps, passphrase, type ArchiveDeps } from './backup.js';
import { homeOptionSchema } from '../config/schema.js';

export const restoreOptionsSchema = z.object({
  home: homeOptionSchema,
  json: z.boolean().default(false),
  file: z
    .string()
    .min(1, 'name the backup file')
    .transform((p) => resolve(p)),
  force: z.boolean().default(false),
});
export type RestoreOptions = z.input<typeof restoreOptionsSchema>;

/**
 * `plexarr restore <file>`: verifies the archive against its manifest, then puts back plexarr.db,
 * generated-config/ and the apps' config folders; `plexarr deploy` then brings the same stack up
 * with the same keys. A home that already has a stack is only replaced with `--force`.
 *
 * The whole restore holds the home's lock, so the "already has a stack" check and the writes see
 * the same home. A home that does not exist yet is made first (with the home's mode, as init
 * does) to hold the lock, and taken away again when the restore is refused.
 */
export async function runRestore(options: RestoreOptions, injected?: ArchiveDeps): Promise<number> {
  const opts = restoreOptionsSchema.parse(options);
  const deps = injected ?? (await defaultArchiveDeps());
  const [{ restoreStack }, { withHomeLock }] = await Promise.all([import('../day2/backup/restore.js'), import('../state/lock.js')]);
  const progress = opts.json ? (text: string) => void deps.stderr.write(`${text}\n`) : (text: string) => deps.log.info(text);
  const made = missingDirs(opts.home);
  makeDirs(opts.home, HOME_MODE);
  let report;
  try {
    report = await withHomeLock(opts.home, 'restore', () =>
      restoreStack({
        exec: deps.exec,
        home: opts.home,
        archive: opts.file,
        force: opts.force,
        passphrase: () => passphrase(deps, { choosing: false, flag: 'PLEXARR_BACKUP_PASSPHRASE' }),
        progress,
      }),
    );
  } catch (error) {
    // Only folders this run made, and only while empty (the lock is gone by now).
    for (const dir of made) {
      try {
        rmdirSync(dir);
      } catch {
        break;
      }
    }
    throw error;
  }
  if (opts.json) {
    deps.log.info(JSON.stringify({ ok: true, ...report }, null, 2));
    return EXIT.ok;
  }
  deps.log.success(
    `Restored configuration #${report.configVersion} (${report.services.join(', ')}) from a plexarr ${report.plexarrVersion} backup:`,
  );
  deps.log.info(report.restored.map((p) => `  ${p}`).join('\n'));
  if (report.replaced.length > 0) deps.log.warn(`Replaced (--force): ${report.replaced.join(', ')}`);
  deps.log.info(`Next: \`${plexarrCommand('deploy')}\` brings the stack up with the same keys and wiring.`);
  return EXIT.ok;
}

/** The folders `makeDirs(path)` would create, deepest first. */
function missingDirs(path: string): string[] {
  const out: string[] = [];
  for (let dir = path; !existsSync(dir) && dirname(dir) !== dir; dir = dirname(dir)) out.push(dir);
  return out;
}
