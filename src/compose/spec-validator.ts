import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ErrorObject, Options } from 'ajv';
import { writeFileAtomic } from '../fs/atomic.js';

export interface SpecValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const require = createRequire(import.meta.url);
// strict: false because the spec uses annotation keywords (`deprecated`) outside draft-07.
const AJV_OPTIONS: Options = { allErrors: true, strict: false, code: { source: true } };

/** `$XDG_CACHE_HOME/plexarr` or `~/.cache/plexarr`. */
export function defaultCacheDir(): string | undefined {
  if (process.env.XDG_CACHE_HOME) return join(process.env.XDG_CACHE_HOME, 'plexarr');
  const home = homedir();
  return home ? join(home, '.cache', 'plexarr') : undefined;
}

/** Cached code is only run when this user wrote it and nobody else can have changed it. */
function ownedAndPrivate(path: string): boolean {
  try {
    const st = lstatSync(path);
    return (st.isFile() || st.isDirectory()) && st.uid === process.getuid?.() && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

function evaluate(source: string): SpecValidator {
  const module: { exports: unknown } = { exports: {} };
  new Function('require', 'module', 'exports', source)(require, module, module.exports);
  return module.exports as SpecValidator;
}

/**
 * Compiling the Compose spec with ajv takes most of a second (the `service` definition alone is
 * huge), which would dominate `plexarr init`. The compiled validator is therefore kept as ajv
 * "standalone" code in a private per-user cache, keyed by the spec's content, the ajv version and
 * the options; a warm start reads it back in a few milliseconds and never loads ajv's compiler.
 */
export function loadSpecValidator(specPath: string, cacheDir = defaultCacheDir()): SpecValidator {
  const text = readFileSync(specPath, 'utf8');
  const ajvVersion = (require('ajv/package.json') as { version: string }).version;
  const key = createHash('sha256').update(text).update(ajvVersion).update(JSON.stringify(AJV_OPTIONS)).digest('hex').slice(0, 16);
  const cacheFile = cacheDir === undefined ? undefined : join(cacheDir, `compose-spec-${key}.cjs`);
  if (cacheDir !== undefined && cacheFile !== undefined && ownedAndPrivate(cacheDir) && ownedAndPrivate(cacheFile)) {
    return evaluate(readFileSync(cacheFile, 'utf8'));
  }
  const { Ajv } = require('ajv') as typeof import('ajv');
  const standaloneCode = (require('ajv/dist/standalone') as typeof import('ajv/dist/standalone/index.js')).default;
  const schema = JSON.parse(text) as Record<string, unknown>;
  // The file names draft-07 by an https URL ajv does not know; ajv's default dialect is draft-07.
  delete schema.$schema;
  const ajv = new Ajv(AJV_OPTIONS);
  const validate = ajv.compile(schema);
  if (cacheDir !== undefined && cacheFile !== undefined) {
    try {
      mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
      writeFileAtomic(cacheFile, standaloneCode(ajv, validate), 0o600);
    } catch {
      // An unwritable cache only costs time on the next run.
    }
  }
  return validate;
}
