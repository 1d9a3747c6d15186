import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotDir } from '../helpers/dir-snapshot.js';
import { freePortArgs } from '../helpers/ports.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * Issue 9's hostile and careless input. Each case: exit 2, the message names the field, the home
 * (which holds a saved configuration) is exactly as it was, no secret and no raw control
 * character reaches the terminal, and no echoed value runs past ~80 characters.
 */

const PASSWORD = 'flag-password-0123';
let root: string;
let home: string;
let files: string;
let ports: string[];

/** ESC, BEL, DEL or a C1 control; a newline is allowed (the messages have several lines). */
function rawControl(text: string): string | undefined {
  return [...text].find((c) => {
    const code = c.charCodeAt(0);
    return (code < 0x20 && c !== '\n') || (code >= 0x7f && code <= 0x9f);
  });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'plexarr-hostile-'));
  home = join(root, 'home');
  files = join(root, 'files');
  mkdirSync(home);
  mkdirSync(files);
  ports = (await freePortArgs()).args;
  expect((await runCli(['init', '--yes', '--home', home, ...ports])).code).toBe(0);
  symlinkSync(home, join(root, 'media-link'));
  mkdirSync(join(root, 'apps'));
  symlinkSync(home, join(root, 'apps', 'radarr'));
  const bomb = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (const [prev, name] of [...'abcdefgh'].map((c, i) => [c, 'bcdefghi'[i]] as const))
    bomb.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
  writeFileSync(join(files, 'bomb.yaml'), `${bomb.join('\n')}\n`);
  writeFileSync(join(files, 'typo-secret.yaml'), 'adminpassword: hunter2hunter2\nplex_TOKEN: tok-abcdef\n');
  writeFileSync(join(files, 'repeated-secret.yaml'), `comment: ${PASSWORD}\n`);
  writeFileSync(join(files, 'huge.yaml'), `adminUser: ${'a'.repeat(1_000_000)}\n`);
  writeFileSync(join(files, 'escape-key.yaml'), '"media\\e]0;pwned\\aRoot": /srv\n');
  writeFileSync(join(files, 'no-services.yaml'), 'services: []\n');
  writeFileSync(join(files, 'proto-port.yaml'), 'ports:\n  __proto__: 7000\n');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Case {
  name: string;
  args: () => string[];
  expect: () => string[];
  hidden?: string[];
}

const cases: Case[] = [
  {
    name: 'media root that is the home',
    args: () => ['--media-root', home],
    expect: () => ['--media-root', 'holds plexarr.db or .env', `(got ${home})`],
  },
  { name: 'media root /', args: () => ['--media-root', '/'], expect: () => ['--media-root', 'holds plexarr.db or .env', '(got /)'] },
  {
    name: 'media root that links to the home',
    args: () => ['--media-root', join(root, 'media-link')],
    expect: () => ['--media-root', 'holds plexarr.db or .env'],
  },
  {
    name: 'media root inside generated-config',
    args: () => ['--media-root', join(home, 'generated-config', 'media')],
    expect: () => ['--media-root', 'inside generated-config'],
  },
  {
    name: 'config root inside generated-config',
    args: () => ['--config-root', join(home, 'generated-config')],
    expect: () => ['--config-root', 'inside generated-config'],
  },
  {
    name: 'config root whose radarr folder is the home',
    args: () => ['--config-root', join(root, 'apps')],
    expect: () => ['--config-root', "would mount a folder holding plexarr.db or .env into an app's container"],
  },
  {
    name: 'media root under /proc',
    args: () => ['--media-root', '/proc/plexarr/media'],
    expect: () => ['--media-root', 'cannot be created: /proc is on proc', '(got /proc/plexarr/media)'],
  },
  { name: '--services ,', args: () => ['--services', ','], expect: () => ['--services', 'must name at least one service', '(got ,)'] },
  {
    name: 'services: [] in the answers file',
    args: () => ['--config', join(files, 'no-services.yaml')],
    expect: () => ['no-services.yaml services', 'at least one service'],
  },
  { name: '--port __proto__=abc', args: () => ['--port', '__proto__=abc'], expect: () => ['--port __proto__', 'is not a service port'] },
  {
    name: '__proto__ port in the answers file',
    args: () => ['--config', join(files, 'proto-port.yaml')],
    expect: () => ['proto-port.yaml ports.__proto__', 'is not a service port'],
  },
  {
    name: 'PUID past the largest id',
    args: () => ['--puid', '4294967295'],
    expect: () => ['--puid', 'must be at most 4294967294', '(got 4294967295)'],
  },
  { name: 'PGID far too large', args: () => ['--pgid', '99999999999'], expect: () => ['--pgid', 'must be at most 4294967294'] },
  {
    name: 'alias bomb',
    args: () => ['--config', join(files, 'bomb.yaml')],
    expect: () => ['--config', 'YAML aliases', join(files, 'bomb.yaml')],
  },
  {
    name: 'ESC in a value',
    args: () => ['--admin-user', 'ad\u001b[2Jmin'],
    expect: () => ['--admin-user', 'control characters', '\\u001b[2Jmin'],
  },
  { name: 'BEL in a value', args: () => ['--tz', 'UTC\u0007'], expect: () => ['--tz', 'control characters', 'UTC\\u0007'] },
  {
    name: 'C1 control in a value',
    args: () => ['--domain', 'exa\u009bmple.com'],
    expect: () => ['--domain', 'control characters', 'exa\\x9bmple.com'],
  },
  {
    name: 'control characters in a key of the file',
    args: () => ['--config', join(files, 'escape-key.yaml')],
    expect: () => ['escape-key.yaml media\\x1b]0;pwned\\x07Root', 'not a known answer'],
  },
  {
    name: 'misspelled secret keys in the file',
    args: () => ['--config', join(files, 'typo-secret.yaml')],
    expect: () => ['typo-secret.yaml adminpassword', 'typo-secret.yaml plex_TOKEN', '(got ********)'],
    hidden: ['hunter2hunter2', 'tok-abcdef'],
  },
  {
    name: 'a secret repeated under another key',
    args: () => ['--admin-password', PASSWORD, '--config', join(files, 'repeated-secret.yaml')],
    expect: () => ['repeated-secret.yaml comment', '(got ********)'],
    hidden: [PASSWORD],
  },
  {
    name: 'a 1 MB value',
    args: () => ['--config', join(files, 'huge.yaml')],
    expect: () => ['huge.yaml adminUser', 'at most 64 characters', `(got ${'a'.repeat(79)}…)`],
  },
];

describe('plexarr init refuses hostile and careless input and writes nothing', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = snapshotDir(home);
    const r = await runCli(['init', '--yes', '--home', home, ...ports, ...c.args()]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: expect.any(String) });
    for (const text of c.expect()) expect(r.stderr).toContain(text);
    for (const secret of c.hidden ?? []) expect(r.stderr + r.stdout).not.toContain(secret);
    expect(rawControl(r.stderr + r.stdout)).toBeUndefined();
    expect(r.stderr.length).toBeLessThan(1000);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(snapshotDir(home)).toEqual(before);
  });

  test('an unknown option holding ESC is quoted escaped', async () => {
    const r = await runCli(['init', '--yes', '--home', home, '--media\u001b[31m-root', '/srv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--media\\x1b[31m-root');
    expect(rawControl(r.stderr)).toBeUndefined();
  });

  test('a media root inside the config root is allowed, with a warning', async () => {
    const fresh = mkdtempSync(join(root, 'nested-'));
    const r = await runCli([
      'init',
      '--yes',
      '--home',
      fresh,
      ...ports,
      '--config-root',
      join(fresh, 'srv'),
      '--media-root',
      join(fresh, 'srv', 'media'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `--media-root: is inside the config root ${join(fresh, 'srv')}; keeping media and app config in separate folders is safer`,
    );
  });
});
