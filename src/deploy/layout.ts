import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { catalogEntry, enabledServices } from '../catalog/index.js';
import type { StackConfig } from '../config/schema.js';
import type { FileChange, Owner } from './changes.js';

/**
 * The folder layout of DESIGN.md: one media root mounted at /data everywhere (so imports are
 * renames/hardlinks), and one config folder per service. Only missing folders are planned, so
 * existing content and its ownership stay as the user left them.
 */

export const MEDIA_DIRS = ['media/movies', 'media/tv', 'media/music', 'downloads/movies', 'downloads/tv', 'downloads/music', 'downloads/incomplete'];

/** Seerr runs as the image's own `node` user (API-NOTES §0.15), whatever PUID/PGID say. */
const FIXED_OWNER: Record<string, Owner> = { seerr: { uid: 1000, gid: 1000 } };

export function layoutDirs(config: StackConfig): { path: string; owner: Owner }[] {
  const owner = { uid: config.puid, gid: config.pgid };
  const dirs = [config.mediaRoot, ...MEDIA_DIRS.map((d) => join(config.mediaRoot, d)), config.configRoot].map((path) => ({ path, owner }));
  for (const id of enabledServices(config)) {
    const entry = catalogEntry(id, config);
    const serviceOwner = FIXED_OWNER[entry.container] ?? owner;
    const dir = join(config.configRoot, entry.container);
    dirs.push({ path: dir, owner: serviceOwner });
    for (const sub of entry.configSubMounts ?? []) dirs.push({ path: join(dir, sub.subdir), owner: serviceOwner });
  }
  return dirs;
}

export function planFolders(config: StackConfig, exists: (path: string) => boolean = existsSync): FileChange[] {
  return layoutDirs(config)
    .filter((d) => !exists(d.path))
    .map((d) => ({ kind: 'mkdir', path: d.path, owner: d.owner }));
}
