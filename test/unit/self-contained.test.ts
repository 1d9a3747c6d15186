import { describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (and the package built from it) must work without anything beside it. */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return filesUnder(full);
    return /\.(ts|js|mjs|cjs|sh)$/.test(e.name) ? [full] : [];
  });
}

describe('nothing outside the repository', () => {
  test('no file in src/, test/, bin/ or bench/ reads the design folder beside the repository', () => {
    // The folder is named apart from the path, so this file (the one that looks for it) does not
    // read as one that reads it.
    const folder = 'shared';
    const outside = new RegExp(`\\.\\./${folder}|${folder}/contracts`);
    const self = fileURLToPath(import.meta.url);
    const hits = ['src', 'test', 'bin', 'bench']
      .flatMap((d) => filesUnder(join(ROOT, d)))
      .filter((f) => f !== self)
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .flatMap((line, i) => (outside.test(line) ? [`${relative(ROOT, f)}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(hits).toEqual([]);
  });

  test('every vendored file is listed in SOURCES.md with its current checksum', () => {
    const sources = readFileSync(join(ROOT, 'SOURCES.md'), 'utf8');
    const listed = new Map([...sources.matchAll(/^([0-9a-f]{64}) {2}(\S+)$/gm)].map((m) => [m[2], m[1]]));
    const vendored = ['schemas', 'test/contracts'].flatMap((d) =>
      readdirSync(join(ROOT, d), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => relative(ROOT, join(e.parentPath, e.name))),
    );
    expect(vendored).toContain('schemas/compose-spec.json');
    const actual = new Map(
      vendored.map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(ROOT, f)))
          .digest('hex'),
      ]),
    );
    expect(listed).toEqual(actual);
  });
});
