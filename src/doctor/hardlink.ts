import { randomBytes } from 'node:crypto';
import { linkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOWNLOADS_ROOT, LIBRARY_ROOT } from '../catalog/index.js';
import { nearestExisting } from './paths.js';
import type { CheckResult, ConfiguredContext } from './types.js';
import { plexarrCommand } from '../ui/invocation.js';

/**
 * Imports from downloads into the library are instant only as hardlinks, which work within one
 * filesystem. Rather than compare device numbers, prove it: create a file under downloads and
 * hardlink it into media, then remove both.
 */
export async function hardlinkLayout(ctx: Pick<ConfiguredContext, 'config'>): Promise<CheckResult> {
  const id = 'hardlink';
  const downloads = nearestExisting(join(ctx.config.mediaRoot, DOWNLOADS_ROOT));
  const media = nearestExisting(join(ctx.config.mediaRoot, LIBRARY_ROOT));
  const name = `.plexarr-doctor-${process.pid}-${randomBytes(4).toString('hex')}`;
  const source = join(downloads, name);
  const target = join(media, `${name}.link`);
  try {
    writeFileSync(source, 'plexarr doctor hardlink probe\n', { flag: 'wx' });
  } catch (e) {
    return {
      id,
      status: 'warn',
      message: `could not create a test file in ${downloads}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      fix: `Run \`${plexarrCommand('doctor')}\` as a user who may write there (or with sudo).`,
    };
  }
  try {
    linkSync(source, target);
    const where = downloads === media ? `in ${downloads} (downloads and media do not exist yet)` : `from ${downloads} into ${media}`;
    return { id, status: 'ok', message: `downloads and media are on one filesystem: a hardlink ${where} worked` };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EXDEV') {
      return {
        id,
        status: 'fail',
        message: `${downloads} and ${media} are on different filesystems, so every import would be a full copy instead of an instant hardlink`,
        fix: `Keep downloads and media on one filesystem: mount a single disk at ${ctx.config.mediaRoot} and do not mount media/ or downloads/ separately.`,
      };
    }
    return {
      id,
      status: 'fail',
      message: `hardlinking ${source} into ${media} failed (${code ?? (e as Error).message}): this filesystem may not support hardlinks`,
      fix: `Put ${ctx.config.mediaRoot} on a filesystem with hardlinks (ext4, xfs, btrfs, zfs).`,
    };
  } finally {
    rmSync(target, { force: true });
    rmSync(source, { force: true });
  }
}
