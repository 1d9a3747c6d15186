import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import DatabaseConstructor from 'better-sqlite3';
import { MIGRATIONS } from '../../src/state/migrations.js';
import { snapshotDir } from '../helpers/dir-snapshot.js';
import { mountReadOnly, skipBecause, unmount } from '../helpers/mounts.js';
import { freePortArgs } from '../helpers/ports.js';
import { BIN, REPO_ROOT, runCli } from '../helpers/run-cli.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

/** init writes plexarr.db and the generated files as one unit, and touches nothing on bad input. */

const temp = useTempDirs('plexarr-unit-');
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

function configCount(home: string): number {
  // An in-memory copy: opening the file itself would leave -wal/-shm files in the snapshots.
  const file = readFileSync(join(home, 'plexarr.db'));
  file[18] = 1; // the header's WAL marker: an in-memory database has no WAL
  file[19] = 1;
  const db = new DatabaseConstructor(file);
  try {
    return (db.prepare('SELECT count(*) AS n FROM configs').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function savedHome(): Promise<{ home: string; ports: string[] }> {
  const home = temp.make();
  const { args } = await freePortArgs();
  expect((await runCli(['init', '--yes', '--home', home, ...args])).code).toBe(0);
  return { home, ports: args };
}

describe('init: files and database as one unit', () => {
  test('generated-config being a file: exit 1 with a sentence, the database keeps config #1', async () => {
    const { home, ports } = await savedHome();
    rmSync(join(home, 'generated-config'), { recursive: true });
    writeFileSync(join(home, 'generated-config'), 'in the way');
    const before = snapshotDir(home);
    const r = await runCli(['init', '--yes', '--home', home, '--tz', 'UTC', ...ports]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(home, 'generated-config')} already exists and is in the way`);
    expect(r.stderr).not.toMatch(/a bug in plexarr|\n\s+at /);
    expect(configCount(home)).toBe(1);
    expect(snapshotDir(home)).toEqual(before);
  });

  test('generated-config on a read-only mount: exit 1, database and files stay at the old version', async () => {
    const { home, ports } = await savedHome();
    const dir = join(home, 'generated-config');
    const why = mountReadOnly(dir);
    if (why) return skipBecause(why);
    try {
      const before = snapshotDir(home);
      const r = await runCli(['init', '--yes', '--home', home, '--tz', 'UTC', ...ports]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/is on a read-only file system.*\(EROFS\)/);
      expect(configCount(home)).toBe(1);
      expect(snapshotDir(home)).toEqual(before);
    } finally {
      unmount(dir);
    }
  });

  test('a re-run writes config #2 and both files together, with no temp or backup left', async () => {
    const { home, ports } = await savedHome();
    const r = await runCli(['init', '--yes', '--home', home, '--tz', 'UTC', ...ports]);
    expect(r.code).toBe(0);
    expect(configCount(home)).toBe(2);
    expect(readFileSync(join(home, 'generated-config', 'docker-compose.yml'), 'utf8')).toContain('TZ: UTC');
    expect(readdirSync(join(home, 'generated-config')).sort()).toEqual(['.env', 'docker-compose.yml']);
  });
});

describe('init: bad input leaves plexarr.db byte-identical', () => {
  const bad = ['--port', 'radarr=abc'];

  test('a current database', async () => {
    const { home, ports } = await savedHome();
    const before = snapshotDir(home);
    const r = await runCli(['init', '--yes', '--home', home, ...ports, ...bad]);
    expect(r.code).toBe(2);
    expect(snapshotDir(home)).toEqual(before);
  });

  test('an old-schema database in rollback-journal mode is not migrated or switched to WAL', async () => {
    const home = temp.make();
    const db = new DatabaseConstructor(join(home, 'plexarr.db'));
    db.exec(MIGRATIONS[0]!);
    db.pragma('user_version = 1');
    db.close();
    chmodSync(join(home, 'plexarr.db'), 0o600);
    const before = snapshotDir(home);
    const r = await runCli(['init', '--yes', '--home', home, ...bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port radarr');
    expect(snapshotDir(home)).toEqual(before);
  });

  test('an empty database file', async () => {
    const home = temp.make();
    writeFileSync(join(home, 'plexarr.db'), '', { mode: 0o600 });
    const before = snapshotDir(home);
    expect((await runCli(['init', '--yes', '--home', home, ...bad])).code).toBe(2);
    expect(snapshotDir(home)).toEqual(before);
  });
});

describe('init: modes and symlinks', () => {
  test('under umask 000 the home and generated-config are 0750, .env and plexarr.db 0600', async () => {
    const root = temp.make();
    const home = join(root, 'new-home');
    const { args } = await freePortArgs();
    const r = spawnSync('sh', ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, BIN, 'init', '--yes', '--home', home, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, CI: 'true', PLEXARR_HOME: '', NODE_OPTIONS: '' },
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect([
      mode(home),
      mode(join(home, 'generated-config')),
      mode(join(home, 'generated-config', '.env')),
      mode(join(home, 'plexarr.db')),
    ]).toEqual(['750', '750', '600', '600']);
  });

  test('a plexarr.db that is a symlink is refused; its target keeps its mode', async () => {
    const home = temp.make();
    const target = join(temp.make(), 'elsewhere.db');
    writeFileSync(target, '');
    chmodSync(target, 0o644);
    symlinkSync(target, join(home, 'plexarr.db'));
    const { args } = await freePortArgs();
    for (const command of [['init', '--yes', ...args], ['status'], ['credentials'], ['coordinate']]) {
      const r = await runCli([...command, '--home', home]);
      expect([command[0], r.code]).toEqual([command[0], 1]);
      expect(r.stderr).toContain(`${join(home, 'plexarr.db')} is a symbolic link`);
    }
    expect(mode(target)).toBe('644');
    expect(readFileSync(target, 'utf8')).toBe('');
    expect(lstatSync(join(home, 'plexarr.db')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(home, 'generated-config'))).toBe(false);
  });
});
