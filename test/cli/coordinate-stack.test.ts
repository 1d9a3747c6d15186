import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { snapshotDir } from '../helpers/dir-snapshot.js';
import { freePortArgs } from '../helpers/ports.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * `plexarr coordinate` on a home whose stack is not running: it asks Docker (here the fake
 * `docker` on PATH) first and stops within seconds instead of waiting out its 600 s.
 */

const FAKE_DOCKER = fileURLToPath(new URL('../fixtures/compose-ps', import.meta.url));
let root: string;
let home: string;

function dockerEnv(scenario: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: `${join(FAKE_DOCKER, 'bin')}:${process.env.PATH ?? ''}`, FAKE_DOCKER_SCENARIO: join(FAKE_DOCKER, scenario), ...extra };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'plexarr-coord-stack-'));
  home = join(root, 'home');
  expect((await runCli(['init', '--yes', '--home', home, ...(await freePortArgs()).args])).code).toBe(0);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('plexarr coordinate with the stack not running', () => {
  test.each([
    ['no containers', [], dockerEnv('empty'), 'Docker has no plexarr containers'],
    ['no containers, --dry-run', ['--dry-run'], dockerEnv('empty'), 'Docker has no plexarr containers'],
    ['the engine stopped', [], dockerEnv('healthy', { FAKE_DOCKER_DAEMON: 'down' }), 'Cannot connect to the Docker daemon'],
  ])('%s: exit 1 within seconds', async (_name, args, env, why) => {
    const started = Date.now();
    const r = await runCli(['coordinate', '--home', home, ...args], { env, timeoutMs: 20_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The stack is not running: ');
    expect(r.stderr).toContain(why);
    expect(r.stderr).toContain('run `npx plexarr deploy`');
  });
});

describe('plexarr coordinate --plex-token', () => {
  test.each([
    ['a space', 'abc def'],
    ['a control character', 'abc\u001bdef'],
    ['a quote', 'abc"def'],
  ])('with %s is refused as init refuses it: exit 2, masked, nothing written', async (_name, token) => {
    const before = snapshotDir(home);
    const r = await runCli(['coordinate', '--home', home, '--plex-token', token], { env: dockerEnv('empty') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--plex-token: may contain only letters, digits, ".", "_" and "-" (got ********)');
    expect(r.stderr).not.toContain(token);
    expect(snapshotDir(home)).toEqual(before);
  });
});
