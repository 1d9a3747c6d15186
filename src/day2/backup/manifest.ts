import { createHash } from 'node:crypto';
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync } from 'node:fs';
import { join, posix } from 'node:path';
import { z } from 'zod';

/**
 * What a backup archive holds, listed in its `manifest.json`: every entry with its size and
 * sha256, so `restore` can prove the archive is whole before it writes anything.
 */

export const MANIFEST_NAME = 'manifest.json';
export const MANIFEST_FORMAT = 1;
/** Where each app's config folder sits inside the archive: `appdata/<container>/…`. */
export const APPDATA_PREFIX = 'appdata';

/** Plex's caches and downloaded artwork: large, and Plex rebuilds them. */
export const PLEX_METADATA_DIRS = ['Cache', 'Media', 'Metadata'].map((d) => posix.join('Library/Application Support/Plex Media Server', d));

/** A relative path that stays inside the archive: restore joins it to folders it writes. */
const memberPath = z
  .string()
  .refine((p) => p !== '' && !p.startsWith('/') && !p.split('/').includes('..'), 'must be a relative path inside the archive');

const entrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('dir'), path: memberPath }),
  z.object({ type: z.literal('file'), path: memberPath, size: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  z.object({ type: z.literal('symlink'), path: memberPath, target: z.string() }),
]);
export type ManifestEntry = z.infer<typeof entrySchema>;

export const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  plexarrVersion: z.string(),
  createdAt: z.string(),
  configVersion: z.number().int(),
  services: z.array(z.string()),
  // Restore removes and writes `<config root>/<container>`: a plain folder name only.
  containers: z.array(z.object({ service: z.string(), container: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be a container name') })),
  images: z.record(z.string(), z.string()),
  withPlexMetadata: z.boolean(),
  totalBytes: z.number().int().min(0),
  entries: z.array(entrySchema),
});
export type Manifest = z.infer<typeof manifestSchema>;

export function sha256File(path: string): string {
  const hash = createHash('sha256');
  const buf = Buffer.alloc(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * The entries below `root`, named `<prefix>/<relative path>`, depth first in name order. Sockets
 * and FIFOs are left out (they are not data); `skip` drops a folder and everything in it.
 */
export function walkEntries(root: string, prefix: string, skip: (rel: string) => boolean = () => false): ManifestEntry[] {
  const out: ManifestEntry[] = [];
  const visit = (rel: string) => {
    const path = rel === '' ? root : join(root, rel);
    const name = rel === '' ? prefix : posix.join(prefix, rel);
    const st = lstatSync(path);
    if (st.isSymbolicLink()) out.push({ type: 'symlink', path: name, target: readlinkSync(path) });
    else if (st.isFile()) out.push({ type: 'file', path: name, size: st.size, sha256: sha256File(path) });
    else if (st.isDirectory()) {
      out.push({ type: 'dir', path: name });
      for (const child of readdirSync(path).sort()) {
        const childRel = rel === '' ? child : posix.join(rel, child);
        if (!skip(childRel)) visit(childRel);
      }
    }
  };
  visit('');
  return out;
}

/**
 * Compares an extracted archive with its manifest: every listed entry present with the same type,
 * size and checksum, and nothing present that is not listed. Returns the problems (empty: whole).
 */
export function verifyExtracted(dir: string, manifest: Manifest): string[] {
  const problems: string[] = [];
  const listed = new Set(manifest.entries.map((e) => e.path));
  for (const entry of manifest.entries) {
    const path = join(dir, entry.path);
    if (!existsSync(path) && !isLink(path)) {
      problems.push(`${entry.path} is listed in the manifest but missing`);
      continue;
    }
    const st = lstatSync(path);
    if (entry.type === 'file') {
      if (!st.isFile()) problems.push(`${entry.path} should be a file`);
      else if (st.size !== entry.size || sha256File(path) !== entry.sha256) problems.push(`${entry.path} does not match its checksum`);
    } else if (entry.type === 'dir' && !st.isDirectory()) problems.push(`${entry.path} should be a folder`);
    else if (entry.type === 'symlink' && (!st.isSymbolicLink() || readlinkSync(path) !== entry.target))
      problems.push(`${entry.path} should be a link to ${entry.target}`);
  }
  for (const top of readdirSync(dir)) {
    if (top === MANIFEST_NAME) continue;
    for (const e of walkEntries(join(dir, top), top)) if (!listed.has(e.path)) problems.push(`${e.path} is not listed in the manifest`);
  }
  return problems;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Reads and validates `manifest.json` of an extracted archive; a message says what is wrong. */
export function readManifest(dir: string): Manifest | string {
  const path = join(dir, MANIFEST_NAME);
  if (!existsSync(path)) return 'it has no manifest.json (not a plexarr backup)';
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return 'its manifest.json is not valid JSON';
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success)
    return `its manifest.json is not one this plexarr reads (${parsed.error.issues
      .map((i) => `${i.path.join('.') || 'format'}: ${i.message}`)
      .slice(0, 3)
      .join('; ')})`;
  return parsed.data;
}
