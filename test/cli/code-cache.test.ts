import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePortArgs } from '../helpers/ports.js';
import { REPO_ROOT, runCli } from '../helpers/run-cli.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

/**
 * The CLI's compiled code kept between runs (src/startup/code-cache.ts, run from dist/ as the CLI
 * runs it). Start-up itself is measured by bench/startup.mjs; these check what is trusted, written
 * and thrown away.
 */
const temp = useTempDirs('plexarr-code-cache-');
const LOADER = join(REPO_ROOT, 'dist', 'code-cache.cjs');

const v8Dir = (cache: string) => join(cache, 'plexarr', 'v8');
const entries = (cache: string) => (existsSync(v8Dir(cache)) ? readdirSync(v8Dir(cache)).sort() : []);
const mode = (path: string) => statSync(path).mode & 0o777;
const help = (cache: string, env: Record<string, string> = {}) => runCli(['--help'], { env: { XDG_CACHE_HOME: cache, ...env } });
const identity = (path: string) => {
  const st = statSync(path);
  return [st.ino, st.mtimeMs];
};

/** Loads `file` through the loader in a fresh Node and prints what the module exports. */
function load(file: string, cache: string) {
  const script = `console.log(JSON.stringify(require(${JSON.stringify(LOADER)}).requireCached(${JSON.stringify(file)})))`;
  return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cache } });
}

describe('the code cache', () => {
  test('the first run writes a private entry per bundle; later runs use it without rewriting it', async () => {
    const cache = temp.make();
    const first = await help(cache);
    expect(first.code).toBe(0);
    expect(entries(cache)).toEqual([expect.stringMatching(/^cli-[0-9a-f]{24}\.bin$/)]);
    const cli = join(v8Dir(cache), entries(cache)[0]!);
    expect(mode(v8Dir(cache))).toBe(0o700);
    expect(mode(cli)).toBe(0o600);
    const written = identity(cli);

    const second = await help(cache);
    expect(second.stdout).toBe(first.stdout);
    expect(identity(cli)).toEqual(written);

    const { args: ports } = await freePortArgs();
    const init = await runCli(['init', '--yes', '--home', temp.make(), ...ports], { env: { XDG_CACHE_HOME: cache } });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    // The app, and the Compose validator the package ships (nothing compiled it on this machine).
    expect(entries(cache).map((e) => e.replace(/-[0-9a-f]{24}\.bin$/, ''))).toEqual([
      'app',
      'cli',
      expect.stringMatching(/^compose-spec-[0-9a-f]{16}$/),
    ]);
    expect(readdirSync(join(cache, 'plexarr')).sort()).toEqual(['v8']);
  });

  test('an entry others could have changed is not used but replaced; a damaged one is replaced', async () => {
    const cache = temp.make();
    const expected = (await help(cache)).stdout;
    const cli = join(v8Dir(cache), entries(cache)[0]!);

    chmodSync(cli, 0o666);
    const before = identity(cli);
    expect((await help(cache)).stdout).toBe(expected);
    expect(identity(cli)).not.toEqual(before);
    expect(mode(cli)).toBe(0o600);

    writeFileSync(cli, 'not a V8 code cache');
    const damaged = await help(cache);
    expect([damaged.code, damaged.stderr, damaged.stdout]).toEqual([0, '', expected]);
    expect(statSync(cli).size).toBeGreaterThan(1000);
  });

  test('a cache that cannot be written only costs time', async () => {
    const blocked = join(temp.make(), 'a-file');
    writeFileSync(blocked, '');
    const r = await help(blocked);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('Usage: plexarr');
  });

  test('a changed file gets a new entry and the old one is removed', () => {
    const cache = temp.make();
    const file = join(temp.make(), 'answer.cjs');
    writeFileSync(file, 'module.exports = { answer: 41 };');
    expect(load(file, cache).stdout).toBe('{"answer":41}\n');
    const [old] = entries(cache);
    expect(old).toMatch(/^answer-[0-9a-f]{24}\.bin$/);

    // Same length, so only the content tells them apart.
    writeFileSync(file, 'module.exports = { answer: 42 };');
    expect(load(file, cache).stdout).toBe('{"answer":42}\n');
    expect(entries(cache)).toEqual([expect.stringMatching(/^answer-[0-9a-f]{24}\.bin$/)]);
    expect(entries(cache)).not.toEqual([old]);
  });

  test('while V8 measures coverage (which a cache would make imprecise), nothing is cached', async () => {
    const cache = temp.make();
    const r = await help(cache, { NODE_V8_COVERAGE: temp.make() });
    expect(r.code).toBe(0);
    expect(entries(cache)).toEqual([]);
  });
});
