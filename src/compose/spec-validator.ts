import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ErrorObject, Options } from 'ajv';
import { writeFileAtomic } from '../fs/atomic.js';
import { defaultCacheDir, ownedAndPrivate } from '../fs/cache-dir.js';
import { requireCached } from '../startup/code-cache.js';
import { PACKAGE_ROOT } from './paths.js';

export interface SpecValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const require = createRequire(import.meta.url);
// strict: false because the spec uses annotation keywords (`deprecated`) outside draft-07.
const AJV_OPTIONS: Options = { allErrors: true, strict: false, code: { source: true } };

export interface SpecValidatorOptions {
  /** The per-user cache (default: defaultCacheDir()); undefined: none. */
  cacheDir?: string | undefined;
  /** Where a shipped, prebuilt validator is looked for (default: SHIPPED_DIR); undefined: nowhere. */
  shippedDir?: string | undefined;
}

/** Where the build puts the validator it compiled for the packaged spec (scripts/build.mjs). */
export const SHIPPED_DIR = join(PACKAGE_ROOT, 'dist');

/** The compiled validator's file name: the spec's content, the ajv version and the options. */
function validatorFile(specText: string): string {
  const ajvVersion = (require('ajv/package.json') as { version: string }).version;
  const key = createHash('sha256').update(specText).update(ajvVersion).update(JSON.stringify(AJV_OPTIONS)).digest('hex').slice(0, 16);
  return `compose-spec-${key}.cjs`;
}

function compile(specText: string): { validate: SpecValidator; code: () => string } {
  const { Ajv } = require('ajv') as typeof import('ajv');
  const standaloneCode = (require('ajv/dist/standalone') as typeof import('ajv/dist/standalone/index.js')).default;
  const schema = JSON.parse(specText) as Record<string, unknown>;
  // The file names draft-07 by an https URL ajv does not know; ajv's default dialect is draft-07.
  delete schema.$schema;
  const ajv = new Ajv(AJV_OPTIONS);
  const validate = ajv.compile(schema);
  return { validate, code: () => standaloneCode(ajv, validate) };
}

/** Compiles the spec and writes the validator as ajv "standalone" code into `dir`; the build ships it. */
export function writeSpecValidator(specPath: string, dir: string): string {
  const text = readFileSync(specPath, 'utf8');
  const file = join(dir, validatorFile(text));
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(file, compile(text).code(), 0o644);
  return file;
}

/**
 * Compiling the Compose spec with ajv takes most of a second (the `service` definition alone is
 * huge), which would dominate `plexarr init`. The package therefore ships the validator compiled
 * for its spec, as ajv "standalone" code; for any other spec (or a build without it) the compiled
 * validator is kept in a private per-user cache. Either way a start reads it back in a few
 * milliseconds and never loads ajv's compiler.
 */
export function loadSpecValidator(specPath: string, options: SpecValidatorOptions = {}): SpecValidator {
  const cacheDir = 'cacheDir' in options ? options.cacheDir : defaultCacheDir();
  const shippedDir = 'shippedDir' in options ? options.shippedDir : SHIPPED_DIR;
  const text = readFileSync(specPath, 'utf8');
  const name = validatorFile(text);
  // Its `require('ajv/dist/runtime/…')` calls resolve from plexarr's own modules.
  if (shippedDir !== undefined && existsSync(join(shippedDir, name)))
    return requireCached(join(shippedDir, name), { require }) as SpecValidator;
  const cacheFile = cacheDir === undefined ? undefined : join(cacheDir, name);
  if (cacheDir !== undefined && cacheFile !== undefined && ownedAndPrivate(cacheDir) && ownedAndPrivate(cacheFile)) {
    return requireCached(cacheFile, { require, cacheDir }) as SpecValidator;
  }
  const { validate, code } = compile(text);
  if (cacheDir !== undefined && cacheFile !== undefined) {
    try {
      mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
      writeFileAtomic(cacheFile, code(), 0o600);
    } catch {
      // An unwritable cache only costs time on the next run.
    }
  }
  return validate;
}
