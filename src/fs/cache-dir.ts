import { lstatSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$XDG_CACHE_HOME/plexarr` or `~/.cache/plexarr`; undefined when there is no home to put it in. */
export function defaultCacheDir(): string | undefined {
  if (process.env.XDG_CACHE_HOME) return join(process.env.XDG_CACHE_HOME, 'plexarr');
  const home = homedir();
  return home ? join(home, '.cache', 'plexarr') : undefined;
}

/**
 * Whether a cached file (or its folder) may be trusted: it is run as code, so only when this user
 * made it and nobody else can have changed it (not a link, not writable by group or others).
 */
export function ownedAndPrivate(path: string): boolean {
  try {
    const st = lstatSync(path);
    return (st.isFile() || st.isDirectory()) && st.uid === process.getuid?.() && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}
