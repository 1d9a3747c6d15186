import { describe, expect, test } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flagFor, mergeAnswers, parsePortKey, portKey } from '../../src/config/answers.js';
import { loadAnswersFile } from '../../src/config/answers-file.js';
import { buildConfig, requiredQuestions } from '../../src/config/build.js';
import { answersFromConfig, defaultAnswers } from '../../src/config/defaults.js';
import { answersFromFlags, parseAnswers } from '../../src/config/flags.js';
import { formatIssue, FLAGS } from '../../src/config/issues.js';
import { stackConfigSchema, type ServiceId } from '../../src/config/schema.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { usageMessage } from '../helpers/failures.js';

const temp = useTempDirs();
const HOST = { puid: 1000, pgid: 100, tz: 'Europe/Berlin', hostAddress: '192.168.1.20' };

describe('answers from flags', () => {
  test('numbers, lists and port maps', () => {
    expect(
      answersFromFlags({ puid: '1001', pgid: '0', services: 'plex, radarr,,nzbget', port: ['radarr=7001', 'npm.http=8080'], tz: 'UTC' }),
    ).toEqual({
      puid: 1001,
      pgid: 0,
      services: ['plex', 'radarr', 'nzbget'],
      ports: { radarr: 7001, 'npm.http': 8080 },
      tz: 'UTC',
    });
  });

  test('every problem is listed, each naming the flag and the value', async () => {
    const message = await usageMessage(() => answersFromFlags({ puid: 'me', port: ['radarr', 'sonarr=0', 'plexx=1'], tz: 'Nowhere/City' }));
    expect(message).toContain('--puid: must be a number (got me)');
    expect(message).toContain('--port: must look like <service>[.<role>]=<port> (got radarr)');
    expect(message).toContain('--port sonarr: must be between 1 and 65535 (got 0)');
    expect(message).toContain('--port plexx: is not a service port');
    expect(message).toContain('--tz: is not a known time zone (got Nowhere/City)');
  });

  test('secrets are never echoed', async () => {
    const message = await usageMessage(() => answersFromFlags({ adminPassword: 'short', plexToken: 'has space' }));
    expect(message).not.toContain('short)');
    expect(message).not.toContain('has space');
    expect(message).toContain('--admin-password: must be at least 8 characters (got ********)');
  });

  test('flag names follow question names', () => {
    expect(flagFor('mediaRoot')).toBe('--media-root');
    expect(flagFor('wireguardServerUrl')).toBe('--wireguard-server-url');
    expect(flagFor('ports')).toBe('--port');
  });
});

describe('port keys', () => {
  test('a bare service is its main port; roles by name', () => {
    expect(parsePortKey('radarr')).toEqual({ service: 'radarr', role: 'web' });
    expect(parsePortKey('wireguard')).toEqual({ service: 'wireguard', role: 'vpn' });
    expect(parsePortKey('npm.https')).toEqual({ service: 'npm', role: 'https' });
    expect(parsePortKey('npm.ftp')).toBeUndefined();
    expect(parsePortKey('radarr.web.x')).toBeUndefined();
    expect(portKey('npm', 'web')).toBe('npm');
  });

  test('merging: later layers win, port spellings merge', () => {
    const merged = mergeAnswers({ tz: 'UTC', ports: { 'radarr.web': 1, sonarr: 2 } }, { ports: { radarr: 3 } }, { tz: 'Asia/Tokyo' });
    expect(merged).toEqual({ tz: 'Asia/Tokyo', ports: { radarr: 3, sonarr: 2 } });
  });
});

describe('answers file', () => {
  test('YAML mapping with the question names', async () => {
    const file = join(temp.make(), 'a.yaml');
    writeFileSync(file, 'mediaRoot: /srv/media\nservices: [plex, radarr]\nports:\n  radarr: 7001\npuid: 1000\n');
    expect(await loadAnswersFile(file)).toEqual({
      mediaRoot: '/srv/media',
      services: ['plex', 'radarr'],
      ports: { radarr: 7001 },
      puid: 1000,
    });
  });

  test('an empty file is no answers', async () => {
    const file = join(temp.make(), 'empty.yaml');
    writeFileSync(file, '# nothing yet\n');
    expect(await loadAnswersFile(file)).toEqual({});
  });

  test.each([
    ['not YAML', 'a: [1, 2\nb: {', /--config: is not valid YAML: .* at line 2/],
    ['a list', '- plex\n- radarr\n', /--config: must be a mapping/],
    ['an unknown key', 'mediaRoot: /x\nmedia_root: /y\n', /bad\.yaml media_root: is not a known answer \(got \/y\)/],
    ['a wrong type', 'puid: "1000"\n', /bad\.yaml puid: must be a number \(got "?1000"?\)/],
    ['a duplicate key', 'tz: UTC\ntz: Asia/Tokyo\n', /--config: is not valid YAML/],
  ])('rejects %s', async (_name, text, expected) => {
    const file = join(temp.make(), 'bad.yaml');
    writeFileSync(file, text);
    await expect(loadAnswersFile(file)).rejects.toThrow(expected);
  });
});

describe('answers → StackConfig', () => {
  const defaults = () => defaultAnswers('/srv/plexarr', HOST);

  test('the defaults make a valid config with every port spelled out', () => {
    const built = buildConfig(defaults());
    if (!built.ok) throw new Error(JSON.stringify(built.issues));
    expect(built.config.mediaRoot).toBe('/srv/plexarr/data');
    expect(built.config.configRoot).toBe('/srv/plexarr/appdata');
    expect(built.config.services.npm).toEqual({ enabled: false, ports: { http: 80, https: 443, web: 81 } });
    expect(built.config.services.radarr).toEqual({ enabled: true, ports: { web: 7878 } });
    expect(built.config.npm.email).toBe('admin@example.com');
    expect(built.config.requestManager).toBe('seerr');
  });

  test('a saved config read back as answers builds the same config', () => {
    const built = buildConfig({
      ...defaults(),
      services: ['plex', 'npm', 'wireguard'],
      ports: { 'npm.http': 8080 },
      domain: 'media.example.org',
    });
    if (!built.ok) throw new Error('invalid');
    expect(built.config.npm).toEqual({ email: 'admin@media.example.org', domain: 'media.example.org' });
    const again = buildConfig(answersFromConfig(built.config));
    expect(again).toEqual(built);
  });

  test.each([
    [['plex', 'nzbget2'], 'nzbget2 needs nzbget'],
    [['radarr', 'requests'], 'requests needs plex'],
    [['radarr', 'maintainerr'], 'maintainerr needs plex'],
  ])('%j is refused: %s', (services, message) => {
    const built = buildConfig({ ...defaults(), services: services as ServiceId[] });
    expect(built.ok).toBe(false);
    if (!built.ok) expect(built.issues).toEqual([{ path: ['services'], message: expect.stringContaining(message), value: services }]);
  });

  test('two services on one host port; TCP and UDP on one number do not clash', () => {
    const clash = buildConfig({ ...defaults(), ports: { sonarr: 7878 } });
    expect(clash.ok).toBe(false);
    if (!clash.ok) expect(formatIssue(clash.issues[0]!, FLAGS)).toBe('--port sonarr: port 7878 is already used by radarr (got 7878)');
    const udp = buildConfig({ ...defaults(), services: ['radarr', 'wireguard'], ports: { radarr: 51820 } });
    expect(udp.ok).toBe(true);
  });

  test('config paths map back to the question that sets them', () => {
    const built = buildConfig({ ...defaults(), npmEmail: 'not-an-email', wireguardPeers: '!' });
    expect(built.ok).toBe(false);
    if (!built.ok) expect(built.issues.map((i) => i.path[0]).sort()).toEqual(['npmEmail', 'wireguardPeers']);
  });

  test('the NPM e-mail is saved in lower case (NPM lower-cases the address typed at login)', () => {
    const built = buildConfig({ ...defaults(), services: ['radarr', 'npm'], npmEmail: 'Ops@Media.Example.ORG' });
    expect(built.ok && built.config.npm.email).toBe('ops@media.example.org');
  });

  test('questions required without --yes depend on the services', () => {
    expect(requiredQuestions(['plex'])).not.toContain('requestManager');
    expect(requiredQuestions(['plex', 'requests', 'npm', 'wireguard'])).toEqual(
      expect.arrayContaining(['requestManager', 'npmEmail', 'wireguardPeers', 'wireguardServerUrl']),
    );
  });
});

describe('StackConfig schema', () => {
  test.each([
    ['relative', 'data', 'must be an absolute path'],
    ['newline', '/srv/a\nb', 'must not contain a newline'],
    ['${', '/srv/${X}', 'must not contain "${"'],
    ['colon', '/srv/a:b', 'must not contain ":"'],
  ])('a %s path is refused', (_name, path, message) => {
    expect(() => parseAnswers({ mediaRoot: path }, FLAGS)).toThrow(message);
  });

  test('the schema itself still parses a built config strictly', () => {
    const built = buildConfig(defaultAnswers('/srv/plexarr', HOST));
    if (!built.ok) throw new Error('invalid');
    expect(stackConfigSchema.safeParse({ ...built.config, extra: 1 }).success).toBe(false);
  });
});
