import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { writeFileAtomic } from '../fs/atomic.js';
import { defaultCacheDir, ownedAndPrivate } from '../fs/cache-dir.js';

/**
 * Node 20 parses and compiles every line of JavaScript again on each start (the built-in compile
 * cache came with Node 22); for `plexarr init --yes` that was about a quarter of its run time.
 * This loads a CommonJS file the way `require` does, but hands V8 the code it compiled for the
 * same file last time, kept in the per-user cache; after the first run a command starts without
 * compiling.
 *
 * The cache entry is keyed by the file's content and the Node build and flags, and is only read
 * when this user wrote it and nobody else can have changed it (it is run as code). V8 checks it
 * again and ignores an entry it cannot use; anything wrong with the cache only costs the time it
 * would have saved.
 */

interface Pending {
  script: Script;
  cacheFile: string;
}

const pending: Pending[] = [];
/** Node's own require: its cache is where loaded files are kept, so a second load is the same module. */
const nodeRequire = createRequire(import.meta.url);

export interface LoadOptions {
  /** Resolves the file's own `require` calls; by default relative to the file. */
  require?: NodeJS.Require;
  cacheDir?: string | undefined;
}

/** `require(file)` with V8's compiled code kept between runs. */
export function requireCached(file: string, options: LoadOptions = {}): unknown {
  const known = nodeRequire.cache[file];
  if (known) return known.exports;
  const source = readFileSync(file, 'utf8');
  // V8's coverage is not precise in functions it read from a code cache.
  const cacheDir = process.env.NODE_V8_COVERAGE ? undefined : 'cacheDir' in options ? options.cacheDir : defaultCacheDir();
  const cacheFile = cacheDir === undefined ? undefined : join(cacheDir, 'v8', entryName(file, source));
  const cachedData = cacheFile !== undefined ? readTrusted(cacheFile) : undefined;
  const script = new Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) remember({ script, cacheFile });

  const module = new Module(file);
  module.filename = file;
  nodeRequire.cache[file] = module;
  try {
    const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
    wrapper.call(module.exports, module.exports, options.require ?? createRequire(file), module, file, dirname(file));
  } catch (error) {
    delete nodeRequire.cache[file];
    throw error;
  }
  module.loaded = true;
  return module.exports;
}

function entryName(file: string, source: string): string {
  const key = createHash('sha256')
    .update(source)
    .update(`\0${process.version}\0${process.arch}\0${process.versions.v8}\0${process.execArgv.join(' ')}`)
    .digest('hex')
    .slice(0, 24);
  return `${basename(file).replace(/\.[^.]+$/, '')}-${key}.bin`;
}

function readTrusted(cacheFile: string): Buffer | undefined {
  if (!ownedAndPrivate(dirname(cacheFile)) || !ownedAndPrivate(cacheFile)) return undefined;
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/**
 * The cache is written when the process ends, so it holds every function the run compiled (V8
 * compiles most functions only when they are first called), not just the file's top level.
 */
function remember(entry: Pending): void {
  if (pending.length === 0) process.once('exit', saveAll);
  pending.push(entry);
}

function saveAll(): void {
  for (const { script, cacheFile } of pending.splice(0)) {
    try {
      const dir = dirname(cacheFile);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (!ownedAndPrivate(dir)) continue;
      // Older entries for the same file (an earlier version of plexarr, another Node) go.
      const stem = basename(cacheFile).replace(/-[0-9a-f]+\.bin$/, '-');
      for (const old of readdirSync(dir)) if (old.startsWith(stem) && old !== basename(cacheFile)) rmSync(join(dir, old), { force: true });
      writeFileAtomic(cacheFile, script.createCachedData(), 0o600);
    } catch {
      // An unwritable cache only costs time on the next run.
    }
  }
}
