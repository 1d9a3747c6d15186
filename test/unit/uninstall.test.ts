import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runUninstall, type UninstallDeps } from '../../src/commands/uninstall.js';
import { CancelledError, UsageError } from '../../src/errors.js';
import { saveConfig } from '../../src/state/configs.js';
import { openState } from '../../src/state/db.js';
import { memoryLogger } from '../../src/ui/logger.js';
import { snapshotDir } from '../helpers/dir-snapshot.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { FIXTURE_SECRETS, fixtureConfig } from './compose-fixtures.js';
import { stubExec } from './docker-stub.js';
import { saveStack } from '../helpers/stack-home.js';

const temp = useTempDirs('plexarr-uninstall-');
const SERVICES = ['plex', 'radarr', 'nzbget'] as const;

/** A home with a stack, media files and each app's config folder holding a settings file. */
function seedHome() {
  const home = temp.make();
  const config = fixtureConfig([...SERVICES], { mediaRoot: join(home, 'media'), configRoot: join(home, 'appdata') });
  saveStack(home, config, FIXTURE_SECRETS);
  mkdirSync(join(config.mediaRoot, 'media/movies/Film (2001)'), { recursive: true });
  writeFileSync(join(config.mediaRoot, 'media/movies/Film (2001)/Film.mkv'), Buffer.from([0, 1, 2, 255, 254]));
  for (const s of SERVICES) {
    mkdirSync(join(config.configRoot, s), { recursive: true });
    writeFileSync(join(config.configRoot, s, 'settings.xml'), `<${s}/>`);
  }
  return { home, config, composeFile: join(home, 'generated-config/docker-compose.yml') };
}

/** The directory's files; a read-only SQLite open leaves -wal/-shm beside plexarr.db, which hold no data. */
function files(dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(snapshotDir(dir)).filter(([k]) => !/\.db-(wal|shm)$/.test(k)));
}

function deps(composeFile: string, extra: Partial<UninstallDeps> = {}) {
  const pre = `docker compose -p plexarr -f ${composeFile}`;
  const stub = stubExec([
    { command: 'docker compose version --short', stdout: '2.29.1' },
    {
      command: `${pre} ps --all --format json`,
      stdout: JSON.stringify(SERVICES.map((s) => ({ Name: s, Service: s, State: 'running', Publishers: [] }))),
    },
    { command: `${pre} down --remove-orphans` },
  ]);
  const log = memoryLogger();
  const asked: string[] = [];
  const d: UninstallDeps = { exec: stub.exec, log, interactive: false, confirm: async (m) => (asked.push(m), true), ...extra };
  return { deps: d, stub, log, asked };
}

describe('plexarr uninstall', () => {
  it('removes containers and network with compose down --remove-orphans and keeps every file', async () => {
    const { home, config, composeFile } = seedHome();
    const before = files(home);
    const { deps: d, stub, log } = deps(composeFile);
    expect(await runUninstall({ home }, d)).toBe(0);
    expect(stub.calls.map((c) => c.command)).toContain(`docker compose -p plexarr -f ${composeFile} down --remove-orphans`);
    expect(stub.calls.some((c) => / -v\b|--volumes|rm /.test(c.command))).toBe(false);
    expect(files(home)).toEqual(before);
    const text = log.lines.join('\n');
    expect(text).toContain('3 containers (nzbget, plex, radarr)');
    expect(text).toContain('the plexarr_default network');
    for (const kept of [config.mediaRoot, join(config.configRoot, 'radarr'), join(home, 'plexarr.db'), join(home, 'generated-config')]) {
      expect(text).toContain(`  ${kept}`);
    }
  });

  it('--purge-config --yes deletes config, plexarr.db and generated-config but leaves media byte for byte', async () => {
    const { home, config, composeFile } = seedHome();
    const mkv = join(config.mediaRoot, 'media/movies/Film (2001)/Film.mkv');
    const mediaBefore = snapshotDir(config.mediaRoot);
    const { deps: d, log, asked } = deps(composeFile);
    expect(await runUninstall({ home, purgeConfig: true, yes: true, json: true }, d)).toBe(0);
    expect(asked).toEqual([]);
    const report = JSON.parse(log.lines.join('\n')) as { removed: { containers: string[]; paths: string[] }; kept: string[] };
    expect(report.removed.containers).toEqual(['nzbget', 'plex', 'radarr']);
    expect(report.removed.paths.sort()).toEqual(
      [...SERVICES.map((s) => join(config.configRoot, s)), join(home, 'generated-config'), join(home, 'plexarr.db')].sort(),
    );
    expect(report.kept).toEqual([config.mediaRoot]);
    for (const p of report.removed.paths) expect(existsSync(p)).toBe(false);
    expect(snapshotDir(config.mediaRoot)).toEqual(mediaBefore);
    expect([...readFileSync(mkv)]).toEqual([0, 1, 2, 255, 254]);
  });

  it('--purge-config without --yes and without a terminal is exit 2 naming --yes, nothing done', async () => {
    const { home, composeFile } = seedHome();
    const before = files(home);
    const { deps: d, stub } = deps(composeFile);
    const err = await runUninstall({ home, purgeConfig: true }, d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).toContain('--yes');
    expect(stub.calls).toEqual([]);
    expect(files(home)).toEqual(before);
  });

  it('asks a person before purging; a no cancels with nothing removed', async () => {
    const { home, composeFile } = seedHome();
    const before = files(home);
    const asked: string[] = [];
    const { deps: d, stub } = deps(composeFile, { interactive: true, confirm: async (m) => (asked.push(m), false) });
    await expect(runUninstall({ home, purgeConfig: true }, d)).rejects.toBeInstanceOf(CancelledError);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('is kept');
    expect(stub.calls).toEqual([]);
    expect(files(home)).toEqual(before);
  });

  it('never deletes a config folder that holds the media root', async () => {
    const home = temp.make();
    const config = fixtureConfig(['plex'], { configRoot: join(home, 'appdata'), mediaRoot: join(home, 'appdata', 'plex', 'media') });
    const state = openState(home);
    saveConfig(state.db, config);
    state.close();
    mkdirSync(config.mediaRoot, { recursive: true });
    writeFileSync(join(config.mediaRoot, 'keep.mkv'), 'x');
    const { deps: d, log } = deps(join(home, 'generated-config/docker-compose.yml'));
    expect(await runUninstall({ home, purgeConfig: true, yes: true }, d)).toBe(0);
    expect(readFileSync(join(config.mediaRoot, 'keep.mkv'), 'utf8')).toBe('x');
    expect(log.lines.join('\n')).toContain('holds the media root, so it was kept');
    expect(existsSync(join(home, 'plexarr.db'))).toBe(false);
  });
});
