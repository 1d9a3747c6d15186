import { closeSync, constants, linkSync, openSync, readFileSync, realpathSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError, WorkError } from '../errors.js';
import { LOCK_FILE } from '../home.js';
import { plexarrCommand } from '../ui/invocation.js';

/**
 * One writing plexarr per home: two `coordinate` runs at once created every download client and
 * application twice. The lock is `<home>/plexarr.lock`, created with O_EXCL (atomic: of two
 * processes, one creates and one finds), holding the owner's pid, command and start time. A lock
 * whose pid no longer exists was left by a killed process and is taken over.
 */

interface Holder {
  pid: number;
  command: string;
  since: string;
}

/** Locks this process holds, by real home path: init runs deploy, deploy runs coordinate, on one lock. */
const held = new Map<string, { release: () => void; count: number }>();

/**
 * Takes the home's lock for `command`; returns the function that gives it back. Also given back
 * when the process exits, or is stopped by SIGINT/SIGTERM with nobody else handling them.
 */
export function acquireHomeLock(home: string, command: string): () => void {
  const key = realHome(home);
  const mine = held.get(key);
  if (mine) {
    mine.count++;
    return () => {
      if (--mine.count === 0) mine.release();
    };
  }
  const path = join(key, LOCK_FILE);
  const content = JSON.stringify({ pid: process.pid, command, since: new Date().toISOString() } satisfies Holder);
  for (let attempt = 0; ; attempt++) {
    if (create(path, content)) break;
    const seen = readHolder(path);
    if (seen === undefined) continue; // removed between our create and read: try again
    if (seen.holder && alive(seen.holder.pid)) {
      const { pid, command: other, since } = seen.holder;
      throw new WorkError(
        `Another plexarr ${other} is running on ${key} (pid ${pid}, since ${since}). Wait for it to finish, then run this command again.`,
      );
    }
    if (attempt >= 5)
      throw new WorkError(`Could not take the lock ${path}: other plexarr processes keep taking it. Run the command again.`);
    takeOver(path, seen.text);
  }
  const entry = { release: () => {}, count: 1 };
  const onExit = () => removeIfMine(path, content);
  const onSignal = (signal: NodeJS.Signals) => {
    // Someone else handles this signal (and will exit, which runs onExit); otherwise we stop the
    // process the way the signal would have, lock released first.
    if (process.listenerCount(signal) > 1) return;
    entry.release();
    process.kill(process.pid, signal);
  };
  entry.release = () => {
    held.delete(key);
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    removeIfMine(path, content);
  };
  held.set(key, entry);
  process.on('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    if (--entry.count === 0) entry.release();
  };
}

/** Runs `work` holding the home's lock. */
export async function withHomeLock<T>(home: string, command: string, work: () => Promise<T>): Promise<T> {
  const release = acquireHomeLock(home, command);
  try {
    return await work();
  } finally {
    release();
  }
}

/** The home is the user's argument: a missing or unwritable one is bad usage, not a failure. */
function realHome(home: string): string {
  try {
    return realpathSync(home);
  } catch (error) {
    throw homeError(home, error);
  }
}

function homeError(home: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT')
    return new UsageError(
      `--home: ${home} does not exist. Run \`${plexarrCommand(`init --home ${home}`)}\` first, or pass the folder you ran it in.`,
      '--home',
    );
  if (code === 'ENOTDIR')
    return new UsageError(`--home: ${home} is a file, not a folder. Pass the folder plexarr init wrote to.`, '--home');
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new UsageError(
      `--home: ${home} is not writable (${code}); plexarr keeps its state and lock there. Pass a folder you can write, or fix its permissions.`,
      '--home',
    );
  }
  return error as Error;
}

function create(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw homeError(join(path, '..'), error);
  }
  try {
    writeSync(fd, content);
  } catch (error) {
    // A full disk: an empty lock would only be taken over later; say which file could not be written.
    rmSync(path, { force: true });
    throw Object.assign(error as Error, { path });
  } finally {
    closeSync(fd);
  }
  return true;
}

/** undefined: no lock file any more. A file we cannot parse (a kill while writing it) has no holder. */
function readHolder(path: string): { text: string; holder?: Holder } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<Holder>;
    if (Number.isInteger(parsed.pid) && typeof parsed.command === 'string' && typeof parsed.since === 'string')
      return { text, holder: parsed as Holder };
  } catch {
    // unparsable: treated as stale below
  }
  return { text };
}

/** Signal 0 only asks whether the process exists; EPERM means it does, under another user. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Moves the stale lock aside under a name only we use, then checks that what we moved is still the
 * stale one: if another process took the lock over in between, its lock is linked back (link fails
 * rather than overwrite a third one).
 */
function takeOver(path: string, staleText: string): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    if (readFileSync(aside, 'utf8') !== staleText) linkSync(aside, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(aside, { force: true });
  }
}

function removeIfMine(path: string, content: string): void {
  try {
    if (readFileSync(path, 'utf8') === content) rmSync(path, { force: true });
  } catch {
    // already gone, or the home went away: nothing of ours is left to remove
  }
}
