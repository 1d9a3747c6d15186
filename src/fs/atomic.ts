import { closeSync, fchmodSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** A file written in full under a temp name next to its target, waiting to be renamed over it. */
export interface Staged {
  path: string;
  tmp: string;
}

/**
 * Writes a file so readers see either the old or the new content, never half of it: a temp file
 * in the same directory (rename is only atomic within one file system) is written, flushed and
 * renamed over the target. The temp file is created with `mode` (umask can only narrow it), so a
 * secret file is never readable by others, not even for a moment; fchmod then sets `mode` exactly.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): void {
  const staged = stageFile(path, data, mode);
  try {
    renameSync(staged.tmp, path);
  } catch (error) {
    rmSync(staged.tmp, { force: true });
    throw error;
  }
}

/** The first half of writeFileAtomic: the temp file, written and flushed. */
export function stageFile(path: string, data: string | Uint8Array, mode = 0o644): Staged {
  const tmp = sideName(path, 'tmp');
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', mode);
  } catch (error) {
    // The temp name means nothing to the user; the file plexarr was writing does.
    throw Object.assign(error as Error, { path });
  }
  try {
    fchmodSync(fd, mode);
    // Two overloads of writeSync, one per kind of data.
    if (typeof data === 'string') writeSync(fd, data);
    else writeSync(fd, data);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  return { path, tmp };
}

/** Removes temp files that were not installed (after a failure); installed ones are gone already. */
export function discardStaged(staged: readonly Staged[]): void {
  for (const s of staged) rmSync(s.tmp, { force: true });
}

/**
 * Renames every staged file over its target, as one unit: the old targets are kept as hard links
 * until `done()`, so a failure part-way, or the caller's own failure after (a database commit),
 * can `undo()` back to the old set of files.
 */
export function installStaged(staged: readonly Staged[]): { undo(): void; done(): void } {
  const installed: { path: string; backup?: string }[] = [];
  const undo = () => {
    for (const { path, backup } of installed.splice(0).reverse()) {
      if (!backup) {
        rmSync(path, { force: true });
        continue;
      }
      renameSync(backup, path);
      // rename() between two links to one file (the target was never replaced) leaves both.
      rmSync(backup, { force: true });
    }
  };
  try {
    for (const s of staged) {
      const backup = sideName(s.path, 'old');
      const kept = linkIfExists(s.path, backup);
      installed.push(kept ? { path: s.path, backup } : { path: s.path });
      renameSync(s.tmp, s.path);
    }
  } catch (error) {
    undo();
    throw error;
  }
  return {
    undo,
    done: () => {
      for (const { backup } of installed.splice(0)) if (backup) rmSync(backup, { force: true });
    },
  };
}

function linkIfExists(path: string, link: string): boolean {
  try {
    linkSync(path, link);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function sideName(path: string, kind: 'tmp' | 'old'): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.${kind}`);
}
