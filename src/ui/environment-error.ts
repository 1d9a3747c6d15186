import { plexarrCommand } from './invocation.js';

/**
 * Failures of the machine rather than of plexarr: a full disk, a read-only mount, a permission, a
 * damaged database. Each becomes one sentence saying what is wrong and what to do (exit 1), so
 * only real bugs reach the "a bug in plexarr" message.
 */
const ERRNO: Record<string, (where: string) => string> = {
  ENOSPC: (w) => `The disk is full: could not write ${w}. Free some space, then run the command again.`,
  EDQUOT: (w) => `Your disk quota is used up: could not write ${w}. Free some space, then run the command again.`,
  EROFS: (w) => `${w} is on a read-only file system. Run plexarr on a writable folder (--home), or remount it read-write.`,
  EACCES: (w) => `Permission denied on ${w}. Run as the user who owns it, or fix its permissions.`,
  EPERM: (w) => `Operation not permitted on ${w}. Run as the user who owns it, or fix its permissions.`,
  EEXIST: (w) =>
    `${w} already exists and is in the way (a file where plexarr needs a folder, or the reverse). Move it away, then run the command again.`,
  ENOTDIR: (w) => `A part of ${w} is a file, not a folder. Move that file away, then run the command again.`,
  EISDIR: (w) => `${w} is a folder where plexarr needs a file. Move it away, then run the command again.`,
  ELOOP: (w) => `${w} is a symbolic link, which plexarr does not follow there. Replace it with a real file or folder.`,
  EMFILE: () => 'Too many open files in this process. Raise the limit (ulimit -n), then run the command again.',
  EIO: (w) => `Input/output error on ${w}: the disk or mount is failing. Check it (dmesg), then run the command again.`,
};

const SQLITE: [prefix: string, message: (where: string) => string][] = [
  ['SQLITE_FULL', (w) => `The disk is full: could not write ${w}. Free some space, then run the command again.`],
  // SQLite could not grow its -shm file: on a local disk that means no space is left.
  ['SQLITE_IOERR_SHMSIZE', (w) => `The disk is full: could not write ${w}. Free some space, then run the command again.`],
  [
    'SQLITE_READONLY',
    (w) => `${w} cannot be written (a read-only file or mount). Run plexarr where it can write its state, or fix the permissions.`,
  ],
  [
    'SQLITE_CANTOPEN',
    (w) => `${w} cannot be opened (permissions or a read-only mount). Check the --home folder, then run the command again.`,
  ],
  [
    'SQLITE_NOTADB',
    (w) =>
      `${w} is damaged or is not a plexarr database. Restore it from a backup, or move it away and run \`${plexarrCommand('init')}\` to start a new one.`,
  ],
  [
    'SQLITE_CORRUPT',
    (w) => `${w} is damaged. Restore it from a backup, or move it away and run \`${plexarrCommand('init')}\` to start a new one.`,
  ],
  ['SQLITE_BUSY', (w) => `${w} is locked by another program. Wait for it to finish (or close it), then run the command again.`],
  ['SQLITE_LOCKED', (w) => `${w} is locked by another program. Wait for it to finish (or close it), then run the command again.`],
  ['SQLITE_IOERR', (w) => `Input/output error on ${w}: the disk or mount is failing or full. Check it, then run the command again.`],
];

export function environmentMessage(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code, path, dest } = err as NodeJS.ErrnoException & { dest?: string };
  if (typeof code !== 'string') return undefined;
  const sqlite = SQLITE.find(([prefix]) => code.startsWith(prefix));
  // The state module names the database file on its errors; SQLite itself does not.
  if (sqlite) return `${sqlite[1](path ?? 'plexarr.db')} (${code})`;
  const errno = ERRNO[code];
  if (!errno) return undefined;
  return `${errno(dest ?? path ?? 'a file plexarr needed')} (${code})`;
}
