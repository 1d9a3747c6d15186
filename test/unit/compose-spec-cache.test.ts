import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { COMPOSE_SPEC_PATH } from '../../src/compose/validate.js';
import { loadSpecValidator, writeSpecValidator } from '../../src/compose/spec-validator.js';

let cache: string;
beforeEach(() => {
  cache = join(mkdtempSync(join(tmpdir(), 'plexarr-cache-')), 'plexarr');
});
afterEach(() => rmSync(join(cache, '..'), { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;
const valid = { services: { radarr: { image: 'lscr.io/linuxserver/radarr:latest' } } };
const invalid = { services: { radarr: { image: 1 } } };

describe('loadSpecValidator', () => {
  test('compiles once into a private cache, then validates the same from the cache', () => {
    const fresh = loadSpecValidator(COMPOSE_SPEC_PATH, { cacheDir: cache, shippedDir: undefined });
    expect(mode(cache)).toBe(0o700);
    const files = readdirSync(cache);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^compose-spec-[0-9a-f]{16}\.cjs$/);
    expect(mode(join(cache, files[0]!))).toBe(0o600);

    const cached = loadSpecValidator(COMPOSE_SPEC_PATH, { cacheDir: cache, shippedDir: undefined });
    expect(cached).not.toBe(fresh);
    for (const v of [fresh, cached]) {
      expect(v(valid)).toBe(true);
      expect(v(invalid)).toBe(false);
      expect(v.errors?.map((e) => `${e.instancePath} ${e.message}`)).toEqual(['/services/radarr/image must be string']);
    }
  });

  test('a cache file others could have written is never run', () => {
    loadSpecValidator(COMPOSE_SPEC_PATH, { cacheDir: cache, shippedDir: undefined });
    const file = join(cache, readdirSync(cache)[0]!);
    writeFileSync(file, 'globalThis.plexarrPwned = true; module.exports = () => true;');
    chmodSync(file, 0o666);
    const v = loadSpecValidator(COMPOSE_SPEC_PATH, { cacheDir: cache, shippedDir: undefined });
    expect((globalThis as { plexarrPwned?: boolean }).plexarrPwned).toBeUndefined();
    expect(v(invalid)).toBe(false);
    // Rewritten by the fresh compile, private again.
    expect(mode(file)).toBe(0o600);
  });

  test('without a cache directory it still validates', () => {
    const v = loadSpecValidator(COMPOSE_SPEC_PATH, { cacheDir: undefined, shippedDir: undefined });
    expect(v(invalid)).toBe(false);
  });

  test('an unwritable cache only costs time', () => {
    writeFileSync(join(cache, '..', 'file'), '');
    const v = loadSpecValidator(COMPOSE_SPEC_PATH, { cacheDir: join(cache, '..', 'file', 'sub'), shippedDir: undefined });
    expect(v(valid)).toBe(true);
  });

  test('the validator the package ships for its spec is used, and nothing is compiled or cached', () => {
    const shipped = join(cache, '..', 'dist');
    const file = writeSpecValidator(COMPOSE_SPEC_PATH, shipped);
    // A different spec file has a different key: the shipped one does not apply to it.
    const other = join(cache, '..', 'other-spec.json');
    writeFileSync(other, readFileSync(COMPOSE_SPEC_PATH, 'utf8').replace('"type": "object"', '"type":"object"'));
    const v = loadSpecValidator(COMPOSE_SPEC_PATH, { cacheDir: cache, shippedDir: shipped });
    expect(v(valid)).toBe(true);
    expect(v(invalid)).toBe(false);
    expect(existsSync(cache)).toBe(false);
    expect(readdirSync(shipped)).toEqual([basename(file)]);
    loadSpecValidator(other, { cacheDir: cache, shippedDir: shipped });
    expect(readdirSync(cache).filter((f) => f.endsWith('.cjs'))).toHaveLength(1);
  });
});
