import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { snapshotDir } from '../helpers/dir-snapshot.js';
import { freePortArgs } from '../helpers/ports.js';
import { runCli } from '../helpers/run-cli.js';

/** `init` with Usenet servers, indexers and a quality profile, as a script runs it; then `credentials`. */

const PASSWORD = 'usenet-Secret-pass1';
const KEY = 'indexerKey0123456789abcdef';
let root: string;
let ports: string[];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'plexarr-day-one-'));
  ports = (await freePortArgs()).args;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function home(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

const secretsOf = (dir: string) => {
  const db = new Database(join(dir, 'plexarr.db'), { readonly: true });
  try {
    return Object.fromEntries(
      (db.prepare('SELECT name, value FROM secrets').all() as { name: string; value: string }[]).map((r) => [r.name, r.value]),
    );
  } finally {
    db.close();
  }
};

describe('init with servers and indexers', () => {
  test('flags: the password and key go to SQLite only; credentials prints them; a re-run keeps them', async () => {
    const dir = home('flags');
    const args = [
      'init',
      '--yes',
      '--home',
      dir,
      ...ports,
      '--usenet-server',
      'news.example.com',
      '--usenet-user',
      'me',
      '--usenet-password',
      PASSWORD,
      '--usenet-connections',
      '20',
      '--indexer',
      `Geek=https://api.nzbgeek.info,${KEY}`,
      '--quality-profile',
      'uhd',
    ];
    const run = await runCli(args);
    expect(run.code).toBe(0);
    for (const text of [run.stdout, run.stderr, ...Object.values(snapshotDir(join(dir, 'generated-config')))]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(KEY);
    }
    expect(secretsOf(dir)).toMatchObject({ USENET_1_PASSWORD: PASSWORD, INDEXER_1_API_KEY: KEY });
    expect(readFileSync(join(dir, 'generated-config', 'docker-compose.yml'), 'utf8')).toContain('container_name: recyclarr');

    const again = await runCli(['init', '--yes', '--home', dir, ...ports]);
    expect(again.code).toBe(0);
    const creds = await runCli(['credentials', '--home', dir, '--json']);
    expect(creds.code).toBe(0);
    const printed = JSON.parse(creds.stdout) as { usenetServers: unknown[]; indexers: unknown[] };
    expect(printed.usenetServers).toEqual([{ host: 'news.example.com', user: 'me', password: PASSWORD }]);
    expect(printed.indexers).toEqual([{ name: 'Geek', apiKey: KEY }]);
  });

  test('an answers file with two servers; --quality-profile none leaves Recyclarr out', async () => {
    const dir = home('file');
    const file = join(root, 'answers.yaml');
    writeFileSync(
      file,
      `usenetServers:\n  - { host: news.example.com, password: ${PASSWORD} }\n  - { host: fill.example.net, tls: false, password: second-pass-22, level: 1 }\nindexers:\n  - { name: DrunkenSlug, preset: DrunkenSlug, apiKey: ${KEY} }\n`,
    );
    const run = await runCli(['init', '--yes', '--home', dir, ...ports, '--config', file, '--quality-profile', 'none']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(secretsOf(dir)).toMatchObject({ USENET_1_PASSWORD: PASSWORD, USENET_2_PASSWORD: 'second-pass-22', INDEXER_1_API_KEY: KEY });
    expect(readFileSync(join(dir, 'generated-config', 'docker-compose.yml'), 'utf8')).not.toContain('recyclarr');
  });

  test.each([
    [
      ['--indexer', `Geek=ftp://x.example,${KEY}`],
      '--indexer: must be an http(s) URL without a user or password, like https://api.nzbgeek.info (got ftp://x.example)',
    ],
    [['--indexer', KEY], "--indexer: must look like 'Name=https://url,APIKEY' or 'Preset,APIKEY' (got ********)"],
    [['--usenet-server', 'news.example.com:0', '--usenet-password', PASSWORD], '--usenet-server: must be between 1 and 65535 (got 0)'],
    [['--usenet-password', PASSWORD], '--usenet-password: needs --usenet-server too'],
    [['--quality-profile', 'best'], '--quality-profile: must be one of none, hd, uhd (got best)'],
  ])('bad input %j: exit 2, the field and value named, secrets masked, nothing written', async (extra, message) => {
    const dir = home(`bad-${Math.random().toString(36).slice(2)}`);
    const run = await runCli(['init', '--yes', '--home', dir, ...ports, ...extra]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr + run.stdout).not.toContain(KEY);
    expect(run.stderr + run.stdout).not.toContain(PASSWORD);
    expect(snapshotDir(dir)).toEqual({});
  });
});
