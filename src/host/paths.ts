import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Why a directory plexarr will create or fill cannot be used, or undefined when it can: it must
 * be a directory we can write, or creatable under the nearest existing parent.
 */
export async function directoryProblem(path: string): Promise<string | undefined> {
  const found = await stat(path).then(
    (stats) => ({ stats, code: undefined }),
    (err: NodeJS.ErrnoException) => ({ stats: undefined, code: err.code ?? err.message }),
  );
  if (found.stats) {
    if (!found.stats.isDirectory()) return 'is a file, not a directory';
    return (await writable(path)) ? undefined : 'is not writable';
  }
  // ENOTDIR: some parent is a file; walking up names it.
  if (found.code !== 'ENOENT' && found.code !== 'ENOTDIR') return `cannot be read (${found.code})`;
  const parent = dirname(path);
  if (parent === path) return 'does not exist';
  const parentProblem = await directoryProblem(parent);
  if (!parentProblem || parentProblem.startsWith('cannot be created')) return parentProblem;
  return `cannot be created: ${parent} ${parentProblem}`;
}

async function writable(path: string): Promise<boolean> {
  return access(path, constants.W_OK | constants.X_OK).then(
    () => true,
    () => false,
  );
}
