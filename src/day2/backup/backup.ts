import {
  chmodSync,
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { StackConfig } from '../../config/schema.js';
import { enabledServices } from '../../catalog/index.js';
import type { Exec } from '../../docker/exec.js';
import { stackPaths } from '../../home.js';
import { appConfigDirs } from '../app-dirs.js';
import { createTarGz, encryptFile } from './archive.js';
import {
  APPDATA_PREFIX,
  MANIFEST_FORMAT,
  MANIFEST_NAME,
  PLEX_METADATA_DIRS,
  walkEntries,
  type Manifest,
  type ManifestEntry,
} from './manifest.js';
import { pausedStack } from './pause.js';

export interface BackupContext {
  exec: Exec;
  home: string;
  /** The open state: its online backup API copies plexarr.db consistently even while in use. */
  db: Database;
  config: StackConfig;
  configVersion: number;
  plexarrVersion: string;
  output: string;
  withPlexMetadata: boolean;
  passphrase?: string;
  progress(text: string): void;
  now(): number;
}

export interface BackupReport {
  file: string;
  bytes: number;
  /** Bytes of the files inside, before compression. */
  contentBytes: number;
  files: number;
  encrypted: boolean;
  services: string[];
  /** Services stopped for the copy and started again. */
  paused: string[];
  durationMs: number;
}

/**
 * The writing body of `plexarr backup`: plexarr.db through SQLite's online backup, the generated
 * files, and each app's config folder copied while the app's service is stopped (its database
 * is then at rest; on Swarm the config root is the same shared path on every node), with a manifest of sizes and sha256 checksums. The archive is created 0600
 * beside its final name and renamed into place only when complete.
 */
export async function backupStack(ctx: BackupContext): Promise<BackupReport> {
  const started = ctx.now();
  const paths = stackPaths(ctx.home);
  // mkdtemp makes the folder 0700: it briefly holds a copy of the secrets.
  const staging = mkdtempSync(join(tmpdir(), 'plexarr-backup-'));
  const partial = `${ctx.output}.partial`;
  try {
    ctx.progress('Copying plexarr.db (SQLite online backup)…');
    await ctx.db.backup(join(staging, 'plexarr.db'));
    chmodSync(join(staging, 'plexarr.db'), 0o600);
    if (existsSync(paths.dir)) cpSync(paths.dir, join(staging, 'generated-config'), { recursive: true, preserveTimestamps: true });
    symlinkSync(ctx.config.configRoot, join(staging, APPDATA_PREFIX));

    const apps = appConfigDirs(ctx.config);
    const { result: manifest, paused } = await pausedStack(
      { exec: ctx.exec },
      ctx.config,
      paths.composeFile,
      ctx.progress,
      async (images) => {
        ctx.progress(`Reading ${apps.length} config folders…`);
        const entries: ManifestEntry[] = [...walkEntries(join(staging, 'plexarr.db'), 'plexarr.db')];
        if (existsSync(join(staging, 'generated-config')))
          entries.push(...walkEntries(join(staging, 'generated-config'), 'generated-config'));
        if (apps.length > 0) entries.push({ type: 'dir', path: APPDATA_PREFIX });
        for (const app of apps) {
          const skip = app.container === 'plex' && !ctx.withPlexMetadata ? (rel: string) => PLEX_METADATA_DIRS.includes(rel) : undefined;
          entries.push(...walkEntries(app.path, `${APPDATA_PREFIX}/${app.container}`, skip));
        }
        const m: Manifest = {
          format: MANIFEST_FORMAT,
          plexarrVersion: ctx.plexarrVersion,
          createdAt: new Date(ctx.now()).toISOString(),
          configVersion: ctx.configVersion,
          services: enabledServices(ctx.config),
          containers: apps.map((a) => ({ service: a.service, container: a.container })),
          images,
          withPlexMetadata: ctx.withPlexMetadata,
          totalBytes: entries.reduce((n, e) => n + (e.type === 'file' ? e.size : 0), 0),
          entries,
        };
        writeFileSync(join(staging, MANIFEST_NAME), `${JSON.stringify(m, null, 2)}\n`, { mode: 0o600 });
        // The implicit `appdata` parent is left out: in staging it is a link to the config root.
        const members = [MANIFEST_NAME, ...entries.filter((e) => e.path !== APPDATA_PREFIX).map((e) => e.path)];
        const listFile = join(staging, '.members');
        writeFileSync(listFile, members.join('\0'));
        ctx.progress(`Writing the archive (${entries.length} entries, ${(m.totalBytes / 1e6).toFixed(1)} MB before compression)…`);
        const tarOut = ctx.passphrase === undefined ? partial : join(staging, 'archive.tar.gz');
        mkdirSync(dirname(ctx.output), { recursive: true });
        createPrivate(tarOut);
        await createTarGz(ctx.exec, { cwd: staging, listFile, out: tarOut });
        return m;
      },
    );
    if (ctx.passphrase !== undefined) {
      ctx.progress('Encrypting (openssl AES-256-CBC, PBKDF2)…');
      createPrivate(partial);
      await encryptFile(ctx.exec, join(staging, 'archive.tar.gz'), partial, ctx.passphrase);
    }
    chmodSync(partial, 0o600);
    renameSync(partial, ctx.output);
    return {
      file: ctx.output,
      bytes: statSync(ctx.output).size,
      contentBytes: manifest.totalBytes,
      files: manifest.entries.filter((e) => e.type === 'file').length,
      encrypted: ctx.passphrase !== undefined,
      services: manifest.services,
      paused,
      durationMs: ctx.now() - started,
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(partial, { force: true });
  }
}

/** Created empty with mode 0600 before a child writes it: truncating keeps the mode. */
function createPrivate(path: string): void {
  closeSync(openSync(path, 'w', 0o600));
  chmodSync(path, 0o600);
}
