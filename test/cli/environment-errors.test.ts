import { describe, expect, test } from '@jest/globals';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import DatabaseConstructor from 'better-sqlite3';
import { mount, mountReadOnly, skipBecause, unmount } from '../helpers/mounts.js';
import { freePortArgs } from '../helpers/ports.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

/**
 * A broken machine is not a bug in plexarr: each case exits 1 (2 when it is the user's --home)
 * with one sentence saying what is wrong and what to do — no "a bug in plexarr", no stack trace.
 */

const temp = useTempDirs('plexarr-env-');
/** No engine answers here, whatever the host has. */
const NO_ENGINE = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };

async function savedHome(parent = temp.make()): Promise<{ home: string; ports: string[] }> {
  const home = join(parent, 'home');
  const { args } = await freePortArgs();
  expect((await runCli(['init', '--yes', '--home', home, ...args])).code).toBe(0);
  return { home, ports: args };
}

function expectSentence(r: CliResult, code: number, text: string | RegExp): void {
  expect(r.stderr).not.toMatch(/a bug in plexarr|\n\s+at |Traceback/);
  if (typeof text === 'string') expect(r.stderr).toContain(text);
  else expect(r.stderr).toMatch(text);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.code).toBe(code);
}

describe('environment errors are sentences', () => {
  test('a full disk (a 64 KiB tmpfs): exit 1, "the disk is full"', async () => {
    const dir = temp.make();
    const why = mount(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    if (why) return skipBecause(why);
    try {
      const { args } = await freePortArgs();
      // Room for the lock and the staged files but not the database, then for nothing at all.
      writeFileSync(join(dir, 'filler'), Buffer.alloc(40 * 1024));
      const r = await runCli(['init', '--yes', '--home', join(dir, 'home'), ...args]);
      expectSentence(r, 1, /disk is full.*\((ENOSPC|SQLITE_FULL|SQLITE_IOERR_SHMSIZE)\)/);
      rmSync(join(dir, 'home'), { recursive: true });
      writeFileSync(join(dir, 'filler'), Buffer.alloc(64 * 1024 - 1));
      const full = await runCli(['init', '--yes', '--home', join(dir, 'home2'), ...args]);
      expectSentence(full, 1, new RegExp(`The disk is full: could not write ${dir}/home2/\\S+\\. .*\\(ENOSPC\\)`));
    } finally {
      unmount(dir);
    }
  });

  test('a damaged plexarr.db: exit 1 from readers and writers alike', async () => {
    const { home, ports } = await savedHome();
    writeFileSync(join(home, 'plexarr.db'), 'x'.repeat(4096));
    for (const args of [['status'], ['credentials'], ['coordinate'], ['init', '--yes', ...ports]]) {
      const r = await runCli([...args, '--home', home]);
      expectSentence(r, 1, `${join(home, 'plexarr.db')} is damaged or is not a plexarr database`);
    }
  });

  test('a plexarr.db locked by another program: exit 1 after the busy wait', async () => {
    const { home } = await savedHome();
    const other = new DatabaseConstructor(join(home, 'plexarr.db'));
    try {
      other.exec('BEGIN EXCLUSIVE');
      const r = await runCli(['coordinate', '--home', home]);
      expectSentence(r, 1, `${join(home, 'plexarr.db')} is locked by another program`);
    } finally {
      other.close();
    }
  });

  test('a read-only home is the user’s --home: exit 2 for the writing commands', async () => {
    const { home, ports } = await savedHome();
    const why = mountReadOnly(home);
    if (why) return skipBecause(why);
    try {
      for (const args of [['init', '--yes', ...ports], ['deploy'], ['coordinate'], ['down']]) {
        const r = await runCli([...args, '--home', home], { env: NO_ENGINE });
        expectSentence(r, 2, `--home: ${home} is not writable (EROFS)`);
      }
    } finally {
      unmount(home);
    }
  });

  test('a --home this user cannot write: exit 2', async () => {
    if (process.getuid?.() !== 0) return skipBecause('switching to another user needs root');
    const parent = temp.make();
    chmodSync(parent, 0o755);
    const { home, ports } = await savedHome(parent);
    chmodSync(home, 0o755);
    const r = await runCli(['init', '--yes', '--home', home, ...ports], { uid: 65534, gid: 65534 });
    expectSentence(r, 2, `--home: ${home} is not writable (EACCES)`);
  });

  test('down with no Docker engine, given a relative --home from another folder: exit 1 and says so', async () => {
    const { home } = await savedHome();
    const elsewhere = join(dirname(home), 'elsewhere');
    mkdirSync(elsewhere);
    const r = await runCli(['down', '--home', join('..', basename(home))], { cwd: elsewhere, env: NO_ENGINE });
    expectSentence(r, 1, /Could not stop the stack: the (Docker engine is not reachable|docker command is not installed).*plexarr down/);
  });
});
