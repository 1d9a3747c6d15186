import { constants } from 'node:fs';
import { access, stat, statfs } from 'node:fs/promises';
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
    const pseudo = await pseudoFilesystem(path);
    if (pseudo) return `is on ${pseudo}, a kernel interface that cannot hold files`;
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

/**
 * Kernel pseudo-filesystems (statfs f_type magic numbers from linux/magic.h). Root passes the
 * write check on /proc or /sys, yet nothing can be created there.
 */
const PSEUDO_FILESYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0x62656570, 'configfs'],
  [0xde5e81e4, 'efivarfs'],
  [0x42494e4d, 'binfmt_misc'],
]);

async function pseudoFilesystem(path: string): Promise<string | undefined> {
  const type = await statfs(path).then(
    (s) => s.type,
    () => undefined,
  );
  return type === undefined ? undefined : PSEUDO_FILESYSTEMS.get(type);
}

async function writable(path: string): Promise<boolean> {
  return access(path, constants.W_OK | constants.X_OK).then(
    () => true,
    () => false,
  );
}
