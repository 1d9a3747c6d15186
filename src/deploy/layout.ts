import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { catalogEntry, configDir, enabledServices, MEDIA_SUBDIRS } from '../catalog/index.js';
import type { StackConfig } from '../config/schema.js';
import type { FileChange, Owner } from './changes.js';

/**
 * The folders of the storage layout: the media root with its library and download folders, and
 * one config folder per service, owned by the user the service runs as. Only missing folders are
 * planned, so existing content and its ownership stay as the user left them.
 */

export const MEDIA_DIRS = MEDIA_SUBDIRS;

export function layoutDirs(config: StackConfig): { path: string; owner: Owner }[] {
  const owner = { uid: config.puid, gid: config.pgid };
  const dirs = [config.mediaRoot, ...MEDIA_DIRS.map((d) => join(config.mediaRoot, d)), config.configRoot].map((path) => ({ path, owner }));
  for (const id of enabledServices(config)) {
    const entry = catalogEntry(id, config);
    const serviceOwner = entry.runsAs ?? owner;
    const dir = configDir(config, entry.container);
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
