import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Every entry under a directory with its type, mode, size and content hash. Comparing a snapshot
 * taken before a command with one taken after proves the command wrote nothing.
 */
export function snapshotDir(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = lstatSync(path);
      const key = relative(root, path);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isDirectory()) {
        out[key] = `dir ${mode}`;
        walk(path);
      } else {
        const hash = st.isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16) : 'other';
        out[key] = `file ${mode} ${st.size} ${hash} ${st.mtimeMs}`;
      }
    }
  };
  walk(root);
  return out;
}
