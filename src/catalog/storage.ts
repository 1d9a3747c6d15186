import { join, posix } from 'node:path';
import type { StackConfig } from '../config/schema.js';
import type { CatalogEntry } from './types.js';

/**
 * The storage layout. One media root holds both the libraries and the downloads and is mounted
 * at the same path in every container that sees it, so an import is a rename or a hardlink, never
 * a copy. Each service keeps its settings in `<config root>/<container>`.
 */

/** Where the media root is mounted inside the containers. */
export const MEDIA_MOUNT = '/data';

/** The two top folders of the media root; they must share one filesystem. */
export const LIBRARY_ROOT = 'media';
export const DOWNLOADS_ROOT = 'downloads';

export type MediaKind = 'movies' | 'tv' | 'music';
const KINDS: readonly MediaKind[] = ['movies', 'tv', 'music'];

/** Folders below the media root: a library and a download folder per kind, and NZBGet's intermediate folder. */
export const MEDIA_SUBDIRS: readonly string[] = [
  ...KINDS.map((k) => `${LIBRARY_ROOT}/${k}`),
  ...KINDS.map((k) => `${DOWNLOADS_ROOT}/${k}`),
  `${DOWNLOADS_ROOT}/incomplete`,
];

/** Paths the apps see, inside the containers. */
export const CONTAINER_PATHS = {
  library: Object.fromEntries(KINDS.map((k) => [k, posix.join(MEDIA_MOUNT, LIBRARY_ROOT, k)])) as Record<MediaKind, string>,
  downloads: Object.fromEntries(KINDS.map((k) => [k, posix.join(MEDIA_MOUNT, DOWNLOADS_ROOT, k)])) as Record<MediaKind, string>,
  incomplete: posix.join(MEDIA_MOUNT, DOWNLOADS_ROOT, 'incomplete'),
};

/** A service's config folder on the host. */
export function configDir(config: Pick<StackConfig, 'configRoot'>, container: string): string {
  return join(config.configRoot, container);
}

/** The host folders mounted as a service's config: its config folder whole, or each sub-mounted folder of it. */
export function configMountSources(
  config: Pick<StackConfig, 'configRoot'>,
  entry: Pick<CatalogEntry, 'container' | 'configSubMounts'>,
): string[] {
  const dir = configDir(config, entry.container);
  return entry.configSubMounts ? entry.configSubMounts.map((m) => join(dir, m.subdir)) : [dir];
}
