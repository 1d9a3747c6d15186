import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Creates `path` and any missing parents with exactly `mode`: mkdir's mode is narrowed by the umask
 * (and umask 000 gave world-writable 0777 homes), so each folder made here is chmod'ed after. Folders
 * that already exist keep their mode: they are the user's.
 */
export function makeDirs(path: string, mode: number): void {
  if (isDir(path)) return;
  const parent = dirname(path);
  if (parent !== path) makeDirs(parent, mode);
  try {
    mkdirSync(path, { mode });
  } catch (error) {
    // Another process made it between our check and mkdir: it is theirs to set up.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST' && isDir(path)) return;
    throw error;
  }
  chmodSync(path, mode);
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
