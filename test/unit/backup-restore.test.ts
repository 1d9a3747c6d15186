import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runBackup, type ArchiveDeps } from '../../src/commands/backup.js';
import { runRestore } from '../../src/commands/restore.js';
import { realExec, type Exec } from '../../src/docker/exec.js';
import { UsageError } from '../../src/errors.js';
import { HOME_MODE } from '../../src/home.js';
import { openState } from '../../src/state/db.js';
import { getSecrets } from '../../src/state/secrets.js';
import { memoryLogger } from '../../src/ui/logger.js';
import { snapshotDir } from '../helpers/dir-snapshot.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { FIXTURE_SECRETS, fixtureConfig } from './compose-fixtures.js';
import { stubExec } from './docker-stub.js';
import { saveStack } from '../helpers/stack-home.js';

const temp = useTempDirs('plexarr-backup-');
const SERVICES = ['plex', 'radarr', 'nzbget'] as const;
const PLEX_DATA = 'Library/Application Support/Plex Media Server';

/** A deployed-looking home: state, generated files, app folders with an app database, Plex caches, media. */
function seedHome() {
  const home = temp.make();
  const config = fixtureConfig([...SERVICES], { mediaRoot: join(home, 'media'), configRoot: join(home, 'appdata') });
  saveStack(home, config, FIXTURE_SECRETS);
  mkdirSync(join(config.mediaRoot, 'media/movies'), { recursive: true });
  writeFileSync(join(config.mediaRoot, 'media/movies/Film.mkv'), 'not in any backup');
  mkdirSync(join(config.configRoot, 'radarr'), { recursive: true });
  const radarrDb = new Database(join(config.configRoot, 'radarr', 'radarr.db'));
  radarrDb.exec("CREATE TABLE DownloadClients (Name TEXT); INSERT INTO DownloadClients VALUES ('NZBGet')");
  radarrDb.close();
  writeFileSync(join(config.configRoot, 'radarr', 'config.xml'), `<Config><ApiKey>${FIXTURE_SECRETS.RADARR_API_KEY}</ApiKey></Config>`);
  mkdirSync(join(config.configRoot, 'nzbget'), { recursive: true });
  writeFileSync(join(config.configRoot, 'nzbget', 'nzbget.conf'), 'ControlPassword=x\n', { mode: 0o600 });
  for (const d of ['Cache', 'Metadata', 'Media', 'Plug-in Support/Databases'])
    mkdirSync(join(config.configRoot, 'plex', PLEX_DATA, d), { recursive: true });
  writeFileSync(join(config.configRoot, 'plex', PLEX_DATA, 'Cache', 'big.bin'), 'cache');
  writeFileSync(join(config.configRoot, 'plex', PLEX_DATA, 'Metadata', 'poster.jpg'), 'art');
  writeFileSync(join(config.configRoot, 'plex', PLEX_DATA, 'Plug-in Support/Databases', 'library.db'), 'plex db');
  writeFileSync(join(config.configRoot, 'plex', PLEX_DATA, 'Preferences.xml'), '<Preferences/>');
  return { home, config, composeFile: join(home, 'generated-config/docker-compose.yml') };
}

/** Docker answers from a table (the stack runs); tar and openssl are the real programs. */
function deps(composeFile: string, extra: Partial<ArchiveDeps> = {}) {
  const pre = `docker compose -p plexarr -f ${composeFile}`;
  const stub = stubExec([
    { command: 'docker compose version --short', stdout: '2.29.1' },
    {
      command: `${pre} ps --all --format json`,
      stdout: JSON.stringify(SERVICES.map((s) => ({ Name: s, Service: s, State: 'running', Publishers: [] }))),
    },
    {
      command: `docker inspect --type container ${[...SERVICES].sort().join(' ')}`,
      stdout: JSON.stringify(
        [...SERVICES]
          .sort()
          .map((s) => ({ Id: s, Name: `/${s}`, Image: `sha256:${s}0000`, State: { Status: 'running' }, Config: {}, NetworkSettings: {} })),
      ),
    },
    { command: `${pre} stop ${[...SERVICES].sort().join(' ')}` },
    { command: `${pre} start ${[...SERVICES].sort().join(' ')}` },
  ]);
  const order: string[] = [];
  const exec: Exec = async (file, args, opts) => {
    order.push(`${file} ${args.find((a) => ['stop', 'start', '--create', '--extract', 'enc'].includes(a)) ?? args[0] ?? ''}`);
    return file === 'tar' || file === 'openssl' ? realExec(file, args, opts) : stub.exec(file, args, opts);
  };
  const log = memoryLogger();
  const stderr: string[] = [];
  const d: ArchiveDeps = {
    exec,
    log,
    stderr: { write: (t: string | Uint8Array) => stderr.push(String(t)) > 0 },
    env: {},
    interactive: false,
    askPassphrase: async () => {
      throw new Error('not asked in this test');
    },
    now: () => Date.parse('2026-11-29T12:00:00Z'),
    ...extra,
  };
  return { deps: d, log, order, stderr };
}

/**
 * Type, mode, size and content of everything below the home but the backups folder and plexarr.db
 * (compared through its secrets). Modification times are left out: copies keep them to the millisecond only.
 */
function stackFiles(home: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(snapshotDir(home))
      .filter(([k]) => !k.startsWith('backups') && !/^plexarr\.db/.test(k))
      .map(([k, v]) => [k, v.startsWith('file') ? v.replace(/ [\d.]+$/, '') : v]),
  );
}

describe('plexarr backup', () => {
  it('stops the running stack for the copy, writes a 0600 archive with a manifest, and says it holds secrets', async () => {
    const { home, composeFile } = seedHome();
    const { deps: d, log, order } = deps(composeFile);
    const output = join(home, 'out.tar.gz');
    expect(await runBackup({ home, output }, d)).toBe(0);
    expect(statSync(output).mode & 0o777).toBe(0o600);
    expect(order.filter((c) => /stop|start|--create/.test(c))).toEqual(['docker stop', 'tar --create', 'docker start']);
    const text = log.lines.join('\n');
    expect(text).toContain('holds every API key and password');
    for (const secret of Object.values(FIXTURE_SECRETS)) expect(text).not.toContain(secret);

    const listing = (await realExec('tar', ['-tzf', output])).stdout.split('\n');
    expect(listing).toEqual(
      expect.arrayContaining([
        'manifest.json',
        'plexarr.db',
        'generated-config/.env',
        'appdata/radarr/radarr.db',
        `appdata/plex/${PLEX_DATA}/Preferences.xml`,
      ]),
    );
    expect(listing.some((m) => /Cache|Metadata\/|\/Media\/|\.mkv/.test(m))).toBe(false);
    const manifest = JSON.parse((await realExec('tar', ['-xzOf', output, 'manifest.json'])).stdout) as {
      services: string[];
      images: Record<string, string>;
      entries: { path: string; sha256?: string }[];
    };
    expect(manifest.services).toEqual([...SERVICES]);
    expect(manifest.images).toEqual({ nzbget: 'sha256:nzbget0000', plex: 'sha256:plex0000', radarr: 'sha256:radarr0000' });
    expect(manifest.entries.find((e) => e.path === 'appdata/radarr/config.xml')?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('--with-plex-metadata keeps Plex\u2019s caches', async () => {
    const { home, composeFile } = seedHome();
    const output = join(home, 'meta.tar.gz');
    expect(await runBackup({ home, output, withPlexMetadata: true }, deps(composeFile).deps)).toBe(0);
    const listing = (await realExec('tar', ['-tzf', output])).stdout;
    expect(listing).toContain(`appdata/plex/${PLEX_DATA}/Cache/big.bin`);
    expect(listing).toContain(`appdata/plex/${PLEX_DATA}/Metadata/poster.jpg`);
  });
});

describe('plexarr restore', () => {
  it('round trip: wiping the home and config root, then restoring, gives back the same files and keys', async () => {
    const { home, config, composeFile } = seedHome();
    const output = join(home, 'backups', 'b.tar.gz');
    expect(await runBackup({ home, output }, deps(composeFile).deps)).toBe(0);
    const before = stackFiles(home);
    rmSync(join(home, 'plexarr.db'));
    rmSync(join(home, 'generated-config'), { recursive: true });
    rmSync(config.configRoot, { recursive: true });
    const { deps: d, log } = deps(composeFile);
    expect(await runRestore({ home, file: output }, d)).toBe(0);
    const after = stackFiles(home);
    const plexCaches = (k: string) => /Plex Media Server\/(Cache|Metadata|Media)(\/|$)/.test(k);
    expect(after).toEqual(Object.fromEntries(Object.entries(before).filter(([k]) => !plexCaches(k))));
    expect(statSync(join(home, 'plexarr.db')).mode & 0o777).toBe(0o600);
    const state = openState(home, { readonly: true });
    expect(getSecrets(state.db)).toMatchObject(FIXTURE_SECRETS);
    state.close();
    expect(log.lines.join('\n')).toContain('Restored configuration #1 (plex, radarr, nzbget)');
  });

  it('into a home that does not exist yet: made with the home\u2019s mode to hold the lock, which is gone afterwards', async () => {
    const { home, config, composeFile } = seedHome();
    const output = join(home, 'b.tar.gz');
    expect(await runBackup({ home, output }, deps(composeFile).deps)).toBe(0);
    rmSync(config.configRoot, { recursive: true });
    const target = join(temp.make(), 'new', 'home');
    expect(await runRestore({ home: target, file: output }, deps(composeFile).deps)).toBe(0);
    expect(statSync(target).mode & 0o777).toBe(HOME_MODE);
    expect(existsSync(join(target, 'plexarr.db'))).toBe(true);
    expect(existsSync(join(target, 'plexarr.lock'))).toBe(false);
  });

  it('refuses a tampered archive and writes nothing', async () => {
    const { home, composeFile } = seedHome();
    const output = join(home, 'b.tar.gz');
    await runBackup({ home, output }, deps(composeFile).deps);
    const work = temp.make();
    await realExec('tar', ['-xzf', output, '-C', work]);
    writeFileSync(join(work, 'appdata/radarr/config.xml'), '<Config><ApiKey>attacker</ApiKey></Config>');
    const tampered = join(work, '..', `${work.split('/').pop()}-t.tar.gz`);
    await realExec('tar', ['-czf', tampered, '-C', work, '.']);
    const target = temp.make();
    const err = await runRestore({ home: target, file: tampered }, deps(composeFile).deps).catch((e: unknown) => e);
    rmSync(tampered);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain('appdata/radarr/config.xml does not match its checksum');
    expect(snapshotDir(target)).toEqual({});
  });

  it('refuses a manifest naming a folder outside the config root, even with --force', async () => {
    const { home, composeFile } = seedHome();
    const output = join(home, 'b.tar.gz');
    await runBackup({ home, output }, deps(composeFile).deps);
    const work = temp.make();
    await realExec('tar', ['-xzf', output, '-C', work]);
    const manifest = JSON.parse(readFileSync(join(work, 'manifest.json'), 'utf8')) as { containers: { container: string }[] };
    manifest.containers[0]!.container = '../../victim';
    writeFileSync(join(work, 'manifest.json'), JSON.stringify(manifest));
    const evil = join(temp.make(), 'evil.tar.gz');
    await realExec('tar', ['-czf', evil, '-C', work, '.']);
    const err = await runRestore({ home, file: evil, force: true }, deps(composeFile).deps).catch((e: unknown) => e);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as Error).message).toContain('containers.0.container: must be a container name');
    expect(existsSync(join(home, 'plexarr.db'))).toBe(true);
  });

  it('refuses a file that is not a backup, naming it', async () => {
    const target = temp.make();
    const bogus = join(target, 'x.tar.gz');
    writeFileSync(bogus, 'hello');
    const err = await runRestore({ home: join(target, 'home'), file: bogus }, deps('/nowhere').deps).catch((e: unknown) => e);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as Error).message).toContain(bogus);
    expect(existsSync(join(target, 'home'))).toBe(false);
  });

  it('into a home that has a stack: refused without --force, replaced with it', async () => {
    const { home, composeFile } = seedHome();
    const output = join(home, 'b.tar.gz');
    await runBackup({ home, output }, deps(composeFile).deps);
    writeFileSync(join(home, 'generated-config', 'docker-compose.yml'), 'changed since');
    const err = await runRestore({ home, file: output }, deps(composeFile).deps).catch((e: unknown) => e);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as Error).message).toContain('--force');
    expect(readFileSync(join(home, 'generated-config', 'docker-compose.yml'), 'utf8')).toBe('changed since');
    expect(await runRestore({ home, file: output, force: true }, deps(composeFile).deps)).toBe(0);
    expect(readFileSync(join(home, 'generated-config', 'docker-compose.yml'), 'utf8')).not.toBe('changed since');
  });

  it('--encrypt: openssl with the passphrase from PLEXARR_BACKUP_PASSPHRASE; a wrong one is refused', async () => {
    const { home, config, composeFile } = seedHome();
    const env = { PLEXARR_BACKUP_PASSPHRASE: 'a long passphrase' };
    const output = join(home, 'b.tar.gz.enc');
    expect(await runBackup({ home, output, encrypt: true }, deps(composeFile, { env }).deps)).toBe(0);
    const bytes = readFileSync(output);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('Salted__');
    expect(statSync(output).mode & 0o777).toBe(0o600);
    expect(bytes.includes(Buffer.from(FIXTURE_SECRETS.RADARR_API_KEY))).toBe(false);

    rmSync(config.configRoot, { recursive: true });
    rmSync(join(home, 'plexarr.db'));
    rmSync(join(home, 'generated-config'), { recursive: true });
    const wrong = await runRestore(
      { home, file: output },
      deps(composeFile, { env: { PLEXARR_BACKUP_PASSPHRASE: 'not the one' } }).deps,
    ).catch((e: unknown) => e);
    expect((wrong as UsageError).exitCode).toBe(2);
    expect((wrong as Error).message).toContain('passphrase does not decrypt');
    expect(existsSync(join(home, 'plexarr.db'))).toBe(false);
    expect(await runRestore({ home, file: output }, deps(composeFile, { env }).deps)).toBe(0);
    expect(readFileSync(join(config.configRoot, 'radarr', 'config.xml'), 'utf8')).toContain(FIXTURE_SECRETS.RADARR_API_KEY);
  });

  it('--encrypt with no passphrase and no terminal is exit 2 naming --encrypt, nothing written', async () => {
    const { home, composeFile } = seedHome();
    const err = await runBackup({ home, encrypt: true }, deps(composeFile).deps).catch((e: unknown) => e);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as Error).message).toContain('--encrypt');
    expect(existsSync(join(home, 'backups'))).toBe(false);
  });
});
