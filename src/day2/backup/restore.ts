import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import DatabaseConstructor from 'better-sqlite3';
import type { StackConfig } from '../../config/schema.js';
import type { Exec } from '../../docker/exec.js';
import { UsageError } from '../../errors.js';
import { makeDirs } from '../../fs/dirs.js';
import { HOME_MODE, stackPaths } from '../../home.js';
import { echo } from '../../ui/echo.js';
import { latestConfig } from '../../state/configs.js';
import { SCHEMA_VERSION, schemaVersion } from '../../state/migrations.js';
import { configDir } from '../../catalog/index.js';
import { archiveKind, decryptFile, extractTarGz } from './archive.js';
import { APPDATA_PREFIX, readManifest, verifyExtracted, type Manifest } from './manifest.js';

export interface RestoreContext {
  exec: Exec;
  home: string;
  archive: string;
  force: boolean;
  /** Asked only when the archive is encrypted. */
  passphrase(): Promise<string>;
  progress(text: string): void;
}

export interface RestoreReport {
  archive: string;
  plexarrVersion: string;
  configVersion: number;
  services: string[];
  restored: string[];
  replaced: string[];
}

/**
 * `plexarr restore`: everything is checked first — the passphrase, the archive against its
 * manifest (sizes and sha256 of every entry, nothing unlisted), the state database's schema, and
 * that the home and the config folders hold no stack (unless `force`) — and only then is anything
 * written. `writeRestore` is the writing part.
 */
export async function restoreStack(ctx: RestoreContext): Promise<RestoreReport> {
  if (!existsSync(ctx.archive)) throw new UsageError(`restore <file>: no such file (got ${echo(ctx.archive)})`, 'file');
  const work = mkdtempSync(join(tmpdir(), 'plexarr-restore-'));
  try {
    const plain = await plainArchive(ctx, work);
    const tree = join(work, 'tree');
    mkdirSync(tree);
    ctx.progress('Checking the archive against its manifest…');
    const extracted = await extractTarGz(ctx.exec, plain, tree);
    if (extracted.exitCode !== 0) throw refused(ctx.archive, `tar could not read it (${extracted.stderr.trim().split('\n')[0] ?? ''})`);
    const manifest = readManifest(tree);
    if (typeof manifest === 'string') throw refused(ctx.archive, manifest);
    const problems = verifyExtracted(tree, manifest);
    if (problems.length > 0)
      throw refused(
        ctx.archive,
        `it does not match its manifest: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`,
      );
    const config = savedConfig(ctx.archive, join(tree, 'plexarr.db'));
    const targets = targetsOf(ctx.home, config, manifest);
    const occupied = targets.filter(hasContent);
    if (occupied.length > 0 && !ctx.force) {
      throw new UsageError(`restore: ${occupied.join(', ')} already hold a stack; pass --force to replace them (got no --force).`, 'force');
    }
    return await writeRestore(ctx, { plain, tree, manifest, config, replaced: occupied });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The writing part of restore; everything it needs has been verified. */
async function writeRestore(
  ctx: RestoreContext,
  v: { plain: string; tree: string; manifest: Manifest; config: StackConfig; replaced: string[] },
): Promise<RestoreReport> {
  const paths = stackPaths(ctx.home);
  for (const path of v.replaced) rmSync(path, { recursive: true, force: true });
  for (const side of ['-wal', '-shm']) rmSync(`${paths.db}${side}`, { force: true });
  makeDirs(ctx.home, HOME_MODE);
  ctx.progress(`Restoring plexarr.db and generated-config/ into ${ctx.home}…`);
  copyFileSync(join(v.tree, 'plexarr.db'), paths.db);
  chmodSync(paths.db, 0o600);
  const restored = [paths.db];
  if (existsSync(join(v.tree, 'generated-config'))) {
    cpSync(join(v.tree, 'generated-config'), paths.dir, { recursive: true, preserveTimestamps: true });
    restored.push(paths.dir);
  }
  if (v.manifest.containers.length > 0) {
    ctx.progress(`Restoring ${v.manifest.containers.length} config folders into ${v.config.configRoot}…`);
    mkdirSync(v.config.configRoot, { recursive: true });
    // Straight from the archive: as root, tar gives every file back its owner.
    const r = await extractTarGz(ctx.exec, v.plain, v.config.configRoot, { strip: 1, members: [APPDATA_PREFIX] });
    if (r.exitCode !== 0)
      throw refused(ctx.archive, `tar failed while restoring the config folders (${r.stderr.trim().split('\n')[0] ?? ''})`);
    restored.push(...v.manifest.containers.map((c) => configDir(v.config, c.container)));
  }
  return {
    archive: ctx.archive,
    plexarrVersion: v.manifest.plexarrVersion,
    configVersion: v.manifest.configVersion,
    services: v.manifest.services,
    restored,
    replaced: v.replaced,
  };
}

/** The gzip archive itself, or its decrypted copy in `work`. */
async function plainArchive(ctx: RestoreContext, work: string): Promise<string> {
  const kind = archiveKind(ctx.archive);
  if (kind === 'gzip') return ctx.archive;
  if (kind === 'unknown') throw refused(ctx.archive, 'it is neither a gzip archive nor one encrypted by `plexarr backup --encrypt`');
  const out = join(work, 'archive.tar.gz');
  ctx.progress('Decrypting…');
  const r = await decryptFile(ctx.exec, ctx.archive, out, await ctx.passphrase());
  if (r.exitCode !== 0)
    throw new UsageError(
      'PLEXARR_BACKUP_PASSPHRASE: the passphrase does not decrypt this archive (got a wrong passphrase, or the file is damaged).',
      'passphrase',
    );
  return out;
}

function refused(archive: string, why: string): UsageError {
  return new UsageError(`restore: refusing ${echo(archive)}: ${why}. Nothing was written.`, 'file');
}

/** The configuration inside the backed-up plexarr.db, read without changing that copy. */
function savedConfig(archive: string, dbPath: string): StackConfig {
  const db = new DatabaseConstructor(dbPath, { readonly: true, fileMustExist: true });
  try {
    const version = schemaVersion(db);
    if (version > SCHEMA_VERSION)
      throw refused(archive, `its plexarr.db was written by a newer plexarr (schema ${version}, this one knows ${SCHEMA_VERSION})`);
    const config = latestConfig(db);
    if (!config) throw refused(archive, 'its plexarr.db holds no saved configuration');
    return config;
  } finally {
    db.close();
  }
}

function targetsOf(home: string, config: StackConfig, manifest: Manifest): string[] {
  const paths = stackPaths(home);
  return [paths.db, paths.dir, ...manifest.containers.map((c) => configDir(config, c.container))];
}

function hasContent(path: string): boolean {
  if (!existsSync(path)) return false;
  try {
    return readdirSync(path).length > 0;
  } catch {
    return true;
  }
}
