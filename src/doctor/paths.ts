import { existsSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The folder itself when it exists, else its closest existing parent: before a deploy the media
 * and config roots may not exist yet, but the filesystem they will live on does.
 */
export function nearestExisting(path: string): string {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}
