import { existsSync, realpathSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { stackPaths } from '../home.js';
import type { StackConfig } from '../config/schema.js';
import type { Exec } from '../docker/exec.js';
import { PROJECT_NETWORK } from '../docker/docker.js';
import { within } from '../fs/within.js';
import { appConfigDirs } from './app-dirs.js';

export interface UninstallReport {
  removed: { containers: string[]; network?: string; paths: string[] };
  kept: string[];
  notes: string[];
}

export interface UninstallContext {
  exec: Exec;
  home: string;
  config: StackConfig;
  purgeConfig: boolean;
  progress(text: string): void;
  /** How Swarm's removal waits between its checks that the tasks and the network are gone. */
  sleep?(ms: number): Promise<void>;
}

/**
 * The writing body of `plexarr uninstall`: the engine's down (Compose: `down --remove-orphans`,
 * which removes no volume without `-v`; Swarm: `docker stack rm`, waited for until the tasks and
 * the network are gone), containers and network, then with `purgeConfig` the apps' config
 * folders, the generated files and plexarr.db. The media root is never touched, and no folder
 * that holds it is removed. plexarr.db must be closed before this runs.
 */
export async function uninstallStack(ctx: UninstallContext): Promise<UninstallReport> {
  const paths = stackPaths(ctx.home);
  const report: UninstallReport = { removed: { containers: [], paths: [] }, kept: [], notes: [] };
  if (existsSync(paths.composeFile)) {
    const { openEngine } = await import('../engine/index.js');
    const engine = await openEngine({ exec: ctx.exec, ...(ctx.sleep ? { sleep: ctx.sleep } : {}) }, ctx.config);
    const before = await engine.ps(paths.composeFile);
    ctx.progress(`Removing ${before.length} containers and the ${PROJECT_NETWORK} network…`);
    await engine.down(paths.composeFile, { removeOrphans: true });
    report.removed.containers = before.map((c) => c.name);
    report.removed.network = PROJECT_NETWORK;
  } else {
    report.notes.push(`No compose file at ${paths.composeFile}: no containers were looked for.`);
  }

  const media = ctx.config.mediaRoot;
  const realMedia = real(media);
  report.kept.push(media);
  const configPaths = appConfigDirs(ctx.config).map((d) => d.path);
  const ownPaths = [paths.dir, paths.db].filter((p) => existsSync(p));
  if (!ctx.purgeConfig) {
    report.kept.push(...configPaths, ...ownPaths);
    return report;
  }
  for (const path of [...configPaths, ...ownPaths]) {
    // Deleting a folder that holds the media root (through a symlink too) would delete the media.
    if (within(realMedia, real(path))) {
      report.kept.push(path);
      report.notes.push(`${path} holds the media root, so it was kept.`);
      continue;
    }
    if (!existsSync(path)) continue;
    ctx.progress(`Removing ${path}`);
    rmSync(path, { recursive: true, force: true });
    // SQLite's side files belong to plexarr.db and go with it.
    if (path === paths.db) for (const side of ['-wal', '-shm']) rmSync(`${path}${side}`, { force: true });
    report.removed.paths.push(path);
  }
  return report;
}

/** The path with symlinks resolved, as far as it exists. */
function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
