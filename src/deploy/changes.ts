import { chownSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';

/**
 * What deploy does to the disk, as data first: planned, printed by `--dry-run`, applied otherwise.
 * File contents may hold secrets, so they are never part of the description.
 */
export interface Owner {
  uid: number;
  gid: number;
}

export type FileChange =
  | { kind: 'mkdir'; path: string; owner: Owner }
  | { kind: 'write'; path: string; mode: number; owner?: Owner; content: string; what: string };

export function describeChange(c: FileChange): string {
  const owner = (o?: Owner) => (o ? `, owner ${o.uid}:${o.gid}` : '');
  if (c.kind === 'mkdir') return `create folder ${c.path}${owner(c.owner)}`;
  return `write ${c.path} (${c.what}, mode ${c.mode.toString(8).padStart(4, '0')}${owner(c.owner)})`;
}

/**
 * Applies the changes in order. A chown the process may not do (not root, another uid) is a
 * warning, not a failure: linuxserver images fix /config ownership themselves at start.
 */
export function applyChanges(changes: readonly FileChange[], warn: (text: string) => void): void {
  for (const c of changes) {
    if (c.kind === 'mkdir') {
      if (!existsSync(c.path)) mkdirSync(c.path, { recursive: true, mode: 0o755 });
    } else {
      mkdirSync(dirname(c.path), { recursive: true, mode: 0o755 });
      writeFileAtomic(c.path, c.content, c.mode);
    }
    if (c.owner) chownOrWarn(c.path, c.owner, warn);
  }
}

function chownOrWarn(path: string, owner: Owner, warn: (text: string) => void): void {
  try {
    chownSync(path, owner.uid, owner.gid);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM') throw error;
    warn(
      `Could not give ${path} to ${owner.uid}:${owner.gid} (not permitted); run \`sudo chown ${owner.uid}:${owner.gid} '${path}'\` or deploy as root.`,
    );
  }
}
