import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { REPO_ROOT } from '../helpers/run-cli.js';

/**
 * plexarr as a user gets it: `npm pack`, the tarball unpacked into a fresh project, its runtime
 * dependencies (and only those: no devDependencies, nothing from the clone) beside it, then
 * `npx plexarr`. Offline: the dependencies are linked from this clone's install, so a test never
 * reaches a registry.
 */

let dir: string;
let app: string;
let tarball: string;

const run = (cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): SpawnSyncReturns<string> =>
  spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, CI: 'true', NO_COLOR: '1', NODE_OPTIONS: '', ...env },
  });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'plexarr-pack-'));
  // dist/ is what the tier's build left: packing must not rebuild it under the other tests' feet.
  const packed = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], REPO_ROOT);
  expect(packed.status).toBe(0);
  tarball = join(dir, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);

  app = join(dir, 'app');
  const modules = join(app, 'node_modules');
  mkdirSync(join(modules, '.bin'), { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, dependencies: { plexarr: `file:${tarball}` } }));
  expect(run('tar', ['-xzf', tarball, '-C', modules], app).status).toBe(0);
  renameSync(join(modules, 'package'), join(modules, 'plexarr'));
  symlinkSync('../plexarr/bin/plexarr.js', join(modules, '.bin', 'plexarr'));

  const deps = run('npm', ['ls', '--omit=dev', '--all', '--parseable'], REPO_ROOT).stdout.trim().split('\n');
  const top = new Set(
    deps.map((p) => relative(join(REPO_ROOT, 'node_modules'), p)).filter((p) => !p.startsWith('..') && !p.includes('/node_modules/')),
  );
  for (const name of top) {
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules', name), join(modules, name));
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const npxInit = (home: string, cache: string) =>
  run('npx', ['--offline', 'plexarr', 'init', '--yes', '--home', home], app, { XDG_CACHE_HOME: cache });

describe('the npm package', () => {
  test('ships the CLI, the templates and the Compose specification, not the sources or tests', () => {
    const files = run('tar', ['-tzf', tarball], dir).stdout.split('\n');
    for (const f of [
      'package/bin/plexarr.js',
      'package/dist/cli.cjs',
      'package/dist/app.cjs',
      'package/dist/code-cache.cjs',
      'package/schemas/compose-spec.json',
      'package/templates/services/radarr.yml',
    ])
      expect(files).toContain(f);
    expect(files).toContainEqual(expect.stringMatching(/^package\/dist\/compose-spec-[0-9a-f]{16}\.cjs$/));
    expect(files.filter((f) => /^package\/(src|test)\//.test(f))).toEqual([]);
  });

  test('`npx plexarr init --yes` from the installed tarball writes a compose file it validated', () => {
    const home = join(dir, 'home');
    const cache = join(dir, 'cache');
    const r = npxInit(home, cache);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(existsSync(join(home, 'generated-config', 'docker-compose.yml'))).toBe(true);
    // The package ships the validator compiled (nothing compiled here, nothing in the cache but V8's
    // code), and it ran: its compiled code was kept like that of the CLI's bundles.
    expect(readdirSync(join(cache, 'plexarr'))).toEqual(['v8']);
    expect(readdirSync(join(cache, 'plexarr', 'v8'))).toContainEqual(
      expect.stringMatching(/^compose-spec-[0-9a-f]{16}-[0-9a-f]{24}\.bin$/),
    );
  });

  test('the installed package refuses a compose file its own broken template produces', () => {
    appendFileSync(join(app, 'node_modules', 'plexarr', 'templates', 'services', 'radarr.yml'), 'restrat: always\n');
    const home = join(dir, 'home-broken');
    const r = npxInit(home, join(dir, 'cache'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('/services/radarr must NOT have additional properties (restrat)');
    expect(existsSync(join(home, 'generated-config'))).toBe(false);
  });
});
