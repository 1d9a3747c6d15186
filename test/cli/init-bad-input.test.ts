import { beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from '@jest/globals';
import { snapshotDir } from '../helpers/dir-snapshot.js';
import { freePortArgs } from '../helpers/ports.js';
import { BIN, runCli, type RunCliOptions } from '../helpers/run-cli.js';

/**
 * Issue 2's whole "bad input" list. Each case: exit 2, a message naming the field and the value,
 * and the home directory exactly as it was — checked against a home that already holds a saved
 * configuration (so the re-run path is exercised too) and, for a few, an empty one.
 */

let root: string;
let savedHome: string;
let files: string;
/** Every service pinned to a free port, so a busy default port cannot add a second error. */
let ports: string[];
let radarrPort: number;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'plexarr-bad-'));
  savedHome = join(root, 'home');
  files = join(root, 'files');
  mkdirSync(savedHome);
  mkdirSync(files);
  const free = await freePortArgs();
  ports = free.args;
  radarrPort = free.ports.radarr;
  const first = await runCli(['init', '--yes', '--home', savedHome, ...ports]);
  expect(first.code).toBe(0);
  writeFileSync(join(files, 'a-file'), 'not a directory');
  writeFileSync(join(files, 'not-yaml.yaml'), 'services: [plex, radarr\nports: {');
  writeFileSync(join(files, 'unknown-key.yaml'), 'mediaRoot: /srv/media\nmediaRot: /srv/typo\n');
  writeFileSync(join(files, 'wrong-type.yaml'), 'puid: [1000]\n');
  writeFileSync(join(files, 'bad-port.yaml'), 'ports:\n  radarr: 99999\n');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Case {
  name: string;
  args: () => string[];
  expect: () => string[];
}

const cases: Case[] = [
  { name: 'port 0', args: () => ['--port', 'radarr=0'], expect: () => ['--port radarr', 'between 1 and 65535', '(got 0)'] },
  { name: 'port above 65535', args: () => ['--port', 'sonarr=65536'], expect: () => ['--port sonarr', '(got 65536)'] },
  { name: 'port not a number', args: () => ['--port', 'radarr=http'], expect: () => ['--port radarr', 'must be a number', '(got http)'] },
  { name: 'malformed --port', args: () => ['--port', 'radarr'], expect: () => ['--port', '(got radarr)'] },
  {
    name: 'two services on one port',
    args: () => ['--port', `sonarr=${radarrPort}`],
    expect: () => ['--port sonarr', 'already used by radarr', `(got ${radarrPort})`],
  },
  { name: 'relative media root', args: () => ['--media-root', 'media'], expect: () => ['--media-root', 'absolute', '(got media)'] },
  {
    name: 'media root that is a file',
    args: () => ['--media-root', join(files, 'a-file')],
    expect: () => ['--media-root', 'is a file', `(got ${join(files, 'a-file')})`],
  },
  {
    name: 'config root under a file',
    args: () => ['--config-root', join(files, 'a-file', 'apps')],
    expect: () => ['--config-root', 'cannot be created', join(files, 'a-file', 'apps')],
  },
  { name: 'PUID negative', args: () => ['--puid', '-1'], expect: () => ['--puid', '0 or more', '(got -1)'] },
  { name: 'PUID not whole', args: () => ['--puid', '1.5'], expect: () => ['--puid', 'whole number', '(got 1.5)'] },
  { name: 'PGID not a number', args: () => ['--pgid', 'staff'], expect: () => ['--pgid', 'must be a number', '(got staff)'] },
  { name: 'unknown time zone', args: () => ['--tz', 'Mars/Olympus_Mons'], expect: () => ['--tz', 'time zone', '(got Mars/Olympus_Mons)'] },
  {
    name: 'unknown service',
    args: () => ['--services', 'plex,radarr,sickbeard'],
    expect: () => ['--services', 'not a known service', '(got sickbeard)'],
  },
  {
    name: 'NZBGet 2 without NZBGet',
    args: () => ['--services', 'plex,radarr,nzbget2'],
    expect: () => ['--services', 'nzbget2 needs nzbget', 'plex,radarr,nzbget2'],
  },
  {
    name: 'request manager without Plex',
    args: () => ['--services', 'radarr,requests'],
    expect: () => ['--services', 'requests needs plex', '(got radarr,requests)'],
  },
  {
    name: 'Maintainerr without Plex',
    args: () => ['--services', 'sonarr,maintainerr'],
    expect: () => ['--services', 'maintainerr needs plex', '(got sonarr,maintainerr)'],
  },
  {
    name: 'answers file that is not YAML',
    args: () => ['--config', join(files, 'not-yaml.yaml')],
    expect: () => ['--config', 'not valid YAML', join(files, 'not-yaml.yaml')],
  },
  {
    name: 'answers file with an unknown key',
    args: () => ['--config', join(files, 'unknown-key.yaml')],
    expect: () => ['unknown-key.yaml mediaRot', 'not a known answer', '(got /srv/typo)'],
  },
  {
    name: 'answers file with a value of the wrong type',
    args: () => ['--config', join(files, 'wrong-type.yaml')],
    expect: () => ['wrong-type.yaml puid', '(got [1000])'],
  },
  {
    name: 'answers file with a port out of range',
    args: () => ['--config', join(files, 'bad-port.yaml')],
    expect: () => ['bad-port.yaml ports.radarr', '(got 99999)'],
  },
  {
    name: 'answers file that does not exist',
    args: () => ['--config', join(files, 'missing.yaml')],
    expect: () => ['--config', 'cannot be read', join(files, 'missing.yaml')],
  },
  {
    name: 'newline in a path',
    args: () => ['--media-root', '/srv/me\ndia'],
    expect: () => ['--media-root', 'newline', '(got "/srv/me\\ndia")'],
  },
  {
    name: '${ in a path',
    args: () => ['--config-root', '/srv/${USER}/apps'],
    expect: () => ['--config-root', '"${"', '(got /srv/${USER}/apps)'],
  },
  { name: 'newline in --home', args: () => ['--home', '/tmp/x\ny'], expect: () => ['--home', 'newline'] },
  { name: 'unknown request manager', args: () => ['--request-manager', 'ombi'], expect: () => ['--request-manager', '(got ombi)'] },
  {
    name: 'admin password in an error is masked',
    args: () => ['--admin-password', 'short'],
    expect: () => ['--admin-password', '(got ********)'],
  },
  { name: 'unknown flag', args: () => ['--media-rooot', '/srv'], expect: () => ["unknown option '--media-rooot'"] },
];

async function expectRejected(c: Case, home: string, opts: RunCliOptions = {}): Promise<void> {
  const before = snapshotDir(home);
  const args = c.args();
  const r = await runCli(['init', '--yes', ...(args.includes('--home') ? [] : ['--home', home]), ...ports, ...args], opts);
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: expect.any(String) });
  for (const text of c.expect()) expect(r.stderr).toContain(text);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(snapshotDir(home)).toEqual(before);
}

describe('plexarr init rejects bad input and writes nothing', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await expectRejected(c, savedHome);
  });

  test.each(
    cases
      .filter((c) => ['port 0', 'relative media root', 'answers file with an unknown key', 'two services on one port'].includes(c.name))
      .map((c) => [c.name, c] as const),
  )('%s (fresh home)', async (_name, c) => {
    const home = mkdtempSync(join(root, 'fresh-'));
    await expectRejected(c, home);
    expect(snapshotDir(home)).toEqual({});
  });

  test('a media root whose parent is not writable', async () => {
    const home = mkdtempSync(join(root, 'unwritable-'));
    const locked = join(home, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    const c: Case = {
      name: 'unwritable',
      args: () => ['--media-root', join(locked, 'media')],
      expect: () => ['--media-root', 'not writable', join(locked, 'media')],
    };
    const how = lockedFor(home, locked);
    try {
      await expectRejected(c, home, how.opts);
    } finally {
      how.undo();
    }
  });
});

/**
 * Root may write anywhere, so "not writable" needs help: run the CLI as `nobody` when that user
 * can read this checkout, else make the directory immutable (chattr +i), which binds root too.
 */
function lockedFor(home: string, locked: string): { opts: RunCliOptions; undo: () => void } {
  if (process.getuid?.() !== 0) return { opts: {}, undo: () => {} };
  const asNobody = { uid: 65534, gid: 65534 };
  if (spawnSync(process.execPath, [BIN, '--version'], asNobody).status === 0) {
    chmodSync(root, 0o755);
    chmodSync(home, 0o777);
    return { opts: { ...asNobody, env: { HOME: home } }, undo: () => {} };
  }
  execFileSync('chattr', ['+i', locked]);
  return { opts: {}, undo: () => execFileSync('chattr', ['-i', locked]) };
}
