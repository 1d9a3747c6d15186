import { resolve } from 'node:path';
import { z } from 'zod';
import { EXIT } from '../errors.js';
import { defaultArchiveDeps, passphrase, type ArchiveDeps } from './backup.js';

export const restoreOptionsSchema = z.object({
  home: z.string().min(1).default(() => process.cwd()).transform((p) => resolve(p)),
  json: z.boolean().default(false),
  file: z.string().min(1, 'name the backup file').transform((p) => resolve(p)),
  force: z.boolean().default(false),
});
export type RestoreOptions = z.input<typeof restoreOptionsSchema>;

/**
 * `plexarr restore <file>`: verifies the archive against its manifest, then puts back plexarr.db,
 * generated-config/ and the apps' config folders; `plexarr deploy` then brings the same stack up
 * with the same keys. A home that already has a stack is only replaced with `--force`.
 */
export async function runRestore(options: RestoreOptions, injected?: ArchiveDeps): Promise<number> {
  const opts = restoreOptionsSchema.parse(options);
  const deps = injected ?? (await defaultArchiveDeps());
  const { restoreStack } = await import('../day2/backup/restore.js');
  const progress = opts.json ? (text: string) => void deps.stderr.write(`${text}\n`) : (text: string) => deps.log.info(text);
  const report = await restoreStack({
    exec: deps.exec,
    home: opts.home,
    archive: opts.file,
    force: opts.force,
    passphrase: () => passphrase(deps, { choosing: false, flag: 'PLEXARR_BACKUP_PASSPHRASE' }),
    progress,
  });
  if (opts.json) {
    deps.log.info(JSON.stringify({ ok: true, ...report }, null, 2));
    return EXIT.ok;
  }
  deps.log.success(`Restored configuration #${report.configVersion} (${report.services.join(', ')}) from a plexarr ${report.plexarrVersion} backup:`);
  deps.log.info(report.restored.map((p) => `  ${p}`).join('\n'));
  if (report.replaced.length > 0) deps.log.warn(`Replaced (--force): ${report.replaced.join(', ')}`);
  deps.log.info('Next: `plexarr deploy` brings the stack up with the same keys and wiring.');
  return EXIT.ok;
}
