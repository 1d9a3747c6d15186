import { describe, expect, test } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAnswersFile } from '../../src/config/answers-file.js';
import { accountSecrets, buildConfig } from '../../src/config/build.js';
import { defaultAnswers } from '../../src/config/defaults.js';
import { answersFromFlags } from '../../src/config/flags.js';
import { stackConfigSchema } from '../../src/config/schema.js';
import { zodIssueLines } from '../../src/ui/handle-error.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { usageMessage } from '../helpers/failures.js';

/** Usenet servers, indexers and the quality profile: flags, answers file, saved config, bad input. */

const temp = useTempDirs();
const HOST = { puid: 1000, pgid: 100, tz: 'UTC', hostAddress: '192.168.1.20' };
const PASSWORD = 'usenetPassw0rdSecret';
const KEY = 'indexerApiKey0123456789';

describe('flags', () => {
  test('one news server and indexers in both spellings', () => {
    const answers = answersFromFlags({
      usenetServer: 'news.example.com:443',
      usenetUser: 'me',
      usenetPassword: PASSWORD,
      usenetConnections: '20',
      indexer: [`NZBgeek=https://api.nzbgeek.info,${KEY}`, `DrunkenSlug,${KEY}x`],
      qualityProfile: 'uhd',
    });
    expect(answers.usenetServers).toEqual([{ host: 'news.example.com', port: 443, user: 'me', password: PASSWORD, connections: 20 }]);
    expect(answers.indexers).toEqual([
      { name: 'NZBgeek', url: 'https://api.nzbgeek.info', apiKey: KEY },
      { name: 'DrunkenSlug', preset: 'DrunkenSlug', apiKey: `${KEY}x` },
    ]);
    expect(answers.qualityProfile).toBe('uhd');
  });

  test('bad values name the flag and the value; passwords and keys are never echoed', async () => {
    const message = await usageMessage(() =>
      answersFromFlags({
        usenetServer: 'news.example.com:99999',
        usenetPassword: PASSWORD,
        usenetConnections: 'many',
        indexer: [`Geek=ftp://x.example,${KEY}`, KEY, 'NoKey=https://a.example'],
        qualityProfile: 'best',
      }),
    );
    expect(message).toContain('--usenet-server: must be between 1 and 65535 (got 99999)');
    expect(message).toContain('--usenet-connections: must be a number (got many)');
    expect(message).toContain(
      '--indexer: must be an http(s) URL without a user or password, like https://api.nzbgeek.info (got ftp://x.example)',
    );
    expect(message).toContain("--indexer: must look like 'Name=https://url,APIKEY' or 'Preset,APIKEY' (got ********)");
    expect(message.match(/got \*{8}/g)).toHaveLength(2);
    expect(message).not.toContain('expected string');
    expect(message).toContain('--quality-profile: must be one of none, hd, uhd (got best)');
    expect(message).not.toContain(PASSWORD);
    expect(message).not.toContain(KEY);
  });

  test('an option error on --indexer never echoes the spec (it holds the key)', () => {
    expect(zodIssueLines({ issues: [{ path: ['indexer'], message: 'must be a list', input: `Geek=https://a.example,${KEY}` }] })).toEqual([
      '--indexer: must be a list (got ********)',
    ]);
  });

  test('--usenet-user without --usenet-server is refused', async () => {
    expect(await usageMessage(() => answersFromFlags({ usenetUser: 'me' }))).toBe('--usenet-user: needs --usenet-server too');
  });

  test('two indexers with one name are refused', async () => {
    const message = await usageMessage(() => answersFromFlags({ indexer: [`A=https://a.example,${KEY}`, `A=https://b.example,${KEY}`] }));
    expect(message).toBe('--indexer: names another indexer too; each needs its own name (got A)');
  });
});

describe('answers file', () => {
  test('several servers; an entry written as one string is masked whole', async () => {
    const dir = temp.make();
    const good = join(dir, 'good.yaml');
    writeFileSync(
      good,
      `usenetServers:\n  - host: news.one.example\n    password: ${PASSWORD}\n  - host: fill.two.example\n    tls: false\n    level: 1\n    retention: 3000\n`,
    );
    const answers = await loadAnswersFile(good);
    expect(answers.usenetServers).toHaveLength(2);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      `indexers:\n  - NZBgeek=https://api.nzbgeek.info,${KEY}\nusenetServers:\n  - host: news.example.com\n    password: ""\n`,
    );
    const message = await usageMessage(() => loadAnswersFile(bad));
    expect(message).toContain('bad.yaml indexers: ');
    expect(message).toContain('bad.yaml usenetServers.password: must not be empty (got ********)');
    expect(message).not.toContain(KEY);
  });
});

describe('config', () => {
  const base = { ...defaultAnswers('/srv/plexarr', HOST) };

  test('server defaults follow TLS; passwords and keys leave the config for the secrets', () => {
    const answers = {
      ...base,
      usenetServers: [
        { host: 'news.example.com', password: PASSWORD },
        { host: 'old.example.com', tls: false, connections: 4 },
      ],
      indexers: [{ name: 'Geek', url: 'https://api.nzbgeek.info', apiKey: KEY }],
    };
    const built = buildConfig(answers);
    if (!built.ok) throw new Error(JSON.stringify(built.issues));
    expect(built.config.usenetServers).toEqual([
      { host: 'news.example.com', port: 563, tls: true, connections: 8, level: 0, retention: 0 },
      { host: 'old.example.com', port: 119, tls: false, connections: 4, level: 0, retention: 0 },
    ]);
    expect(built.config.indexers).toEqual([{ name: 'Geek', url: 'https://api.nzbgeek.info' }]);
    expect(built.config.qualityProfile).toBe('hd');
    expect(JSON.stringify(built.config)).not.toContain(PASSWORD);
    expect(JSON.stringify(built.config)).not.toContain(KEY);
    expect(accountSecrets(answers)).toEqual({ USENET_1_PASSWORD: PASSWORD, INDEXER_1_API_KEY: KEY });
  });

  test('no servers or indexers answered keeps the saved ones', () => {
    const saved = {
      usenetServers: [{ host: 'news.example.com', port: 563, tls: true, connections: 8, level: 0, retention: 0 }],
      indexers: [{ name: 'DrunkenSlug', preset: 'DrunkenSlug' }],
    };
    const built = buildConfig(base, saved);
    expect(built.ok && built.config.usenetServers).toEqual(saved.usenetServers);
    expect(built.ok && built.config.indexers).toEqual(saved.indexers);
  });

  test('a configuration saved before these answers existed reads as none given', () => {
    const built = buildConfig(base);
    if (!built.ok) throw new Error('expected a config');
    const { usenetServers: _u, indexers: _i, qualityProfile: _q, ...old } = built.config;
    const parsed = stackConfigSchema.parse(old);
    expect(parsed.usenetServers).toEqual([]);
    expect(parsed.indexers).toEqual([]);
    expect(parsed.qualityProfile).toBe('hd');
  });
});
