import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Answers } from '../../src/config/answers.js';
import { buildConfig } from '../../src/config/build.js';
import { defaultAnswers } from '../../src/config/defaults.js';
import { memoryLogger } from '../../src/ui/logger.js';
import { network } from '../../src/wizard/network.js';
import { review } from '../../src/wizard/review.js';
import { services } from '../../src/wizard/services.js';
import { system } from '../../src/wizard/system.js';
import { welcome } from '../../src/wizard/welcome.js';
import { scriptedPrompts, tries } from '../helpers/prompts.js';

const HOME = '/srv/plexarr';
const HOST = { puid: 1000, pgid: 1000, tz: 'Europe/Berlin', hostAddress: '192.168.1.20' };
const defaults = (): Answers => defaultAnswers(HOME, HOST);
const free = async () => false;

describe('welcome', () => {
  test('says where files go and that saved answers are the defaults', async () => {
    const log = memoryLogger();
    await welcome({ log, home: HOME, saved: true });
    expect(log.lines.join('\n')).toContain(HOME);
    expect(log.lines.join('\n')).toContain('saved configuration');
  });
});

describe('system', () => {
  test('asks paths, ids and time zone with the defaults pre-filled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plexarr-wiz-'));
    const prompt = scriptedPrompts({ mediaRoot: join(dir, 'media'), configRoot: undefined, puid: '1001', pgid: undefined, tz: 'Asia/Tokyo' });
    const answers: Answers = {};
    await system({ prompt, answers, defaults: { ...defaults(), configRoot: join(dir, 'apps') } });
    expect(prompt.asked).toEqual(['mediaRoot', 'configRoot', 'puid', 'pgid', 'tz']);
    expect(prompt.defaults.mediaRoot).toBe(`${HOME}/data`);
    expect(answers).toEqual({ mediaRoot: join(dir, 'media'), configRoot: join(dir, 'apps'), puid: 1001, pgid: 1000, tz: 'Asia/Tokyo' });
  });

  test('rejects bad answers with the same rules as the flags, and skips what flags answered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plexarr-wiz-'));
    writeFileSync(join(dir, 'file'), '');
    const prompt = scriptedPrompts({
      mediaRoot: tries('media', join(dir, 'file'), '/srv/a${B}', join(dir, 'ok')),
      puid: tries('-1', 'abc', '1.5', '0'),
      tz: tries('Mars/Base', 'UTC'),
    });
    const answers: Answers = { configRoot: join(dir, 'apps'), pgid: 100 };
    await system({ prompt, answers, defaults: defaults() });
    expect(prompt.asked).toEqual(['mediaRoot', 'puid', 'tz']);
    expect(prompt.rejected.mediaRoot).toEqual(['must be an absolute path', 'is a file, not a directory', 'must not contain "${"']);
    expect(prompt.rejected.puid).toEqual(['must be 0 or more', 'must be a number', 'must be a whole number']);
    expect(prompt.rejected.tz).toEqual(['is not a known time zone']);
    expect(answers.puid).toBe(0);
  });
});

describe('services', () => {
  test('default selection, seerr, generated password, Plex token later', async () => {
    const prompt = scriptedPrompts({ services: undefined, requestManager: undefined, qualityProfile: undefined, adminUser: undefined, adminPassword: '', plexToken: '' });
    const answers: Answers = {};
    await services({ prompt, answers, defaults: defaults(), plexTokenSaved: false });
    expect(prompt.defaults.services).toEqual(['plex', 'radarr', 'sonarr', 'lidarr', 'prowlarr', 'requests', 'maintainerr', 'nzbget', 'recyclarr']);
    expect(answers).toEqual({ services: prompt.defaults.services, requestManager: 'seerr', qualityProfile: 'hd', adminUser: 'admin' });
  });

  test('refuses a selection that misses a needed service', async () => {
    const prompt = scriptedPrompts({
      services: tries([], ['plex', 'nzbget2'], ['radarr', 'maintainerr'], ['plex', 'nzbget', 'nzbget2']),
      adminUser: 'me',
      adminPassword: 'long-enough-pw',
      plexToken: 'abcDEF123_-x',
    });
    const answers: Answers = {};
    await services({ prompt, answers, defaults: defaults(), plexTokenSaved: false });
    expect(prompt.rejected.services).toEqual(['choose at least one service', expect.stringContaining('nzbget2 needs nzbget'), expect.stringContaining('maintainerr needs plex')]);
    expect(answers).toMatchObject({ services: ['plex', 'nzbget', 'nzbget2'], adminPassword: 'long-enough-pw', plexToken: 'abcDEF123_-x' });
    expect(prompt.asked).not.toContain('requestManager');
  });

  test('asks the variant questions only for what was chosen', async () => {
    const prompt = scriptedPrompts({
      services: ['plex', 'requests', 'wireguard', 'npm'],
      requestManager: 'overseerr',
      wireguardServerUrl: 'vpn.example.org',
      wireguardPeers: tries('laptop phone', 'laptop,phone'),
      domain: 'media.example.org',
      npmEmail: undefined,
      adminUser: tries('bad user', 'boss'),
      adminPassword: tries('short', 'a-long-password'),
    });
    const answers: Answers = {};
    await services({ prompt, answers, defaults: defaults(), plexTokenSaved: true });
    expect(prompt.defaults.npmEmail).toBe('admin@media.example.org');
    expect(prompt.rejected.adminPassword).toEqual(['must be at least 8 characters']);
    expect(prompt.asked).not.toContain('plexToken');
    expect(answers).toMatchObject({ requestManager: 'overseerr', wireguardPeers: 'laptop,phone', npmEmail: 'admin@media.example.org', adminUser: 'boss' });
  });
});

describe('network', () => {
  const base = (): Answers => ({ services: ['plex', 'radarr', 'sonarr'] });

  test('shows the ports and keeps them', async () => {
    const log = memoryLogger();
    const prompt = scriptedPrompts({ hostAddress: 'nas.local', keepPorts: true });
    const answers = base();
    await network({ prompt, answers, defaults: defaults(), log, force: false, portInUse: free });
    expect(prompt.defaults.hostAddress).toBe('192.168.1.20');
    expect(log.lines.join('\n')).toMatch(/radarr\s+7878\/tcp\s+ok/);
    expect(answers.ports).toEqual({});
    expect(answers.hostAddress).toBe('nas.local');
  });

  test('flags a port in use on the host right there and asks only for that one', async () => {
    const log = memoryLogger();
    const prompt = scriptedPrompts({ hostAddress: undefined, 'ports.radarr': tries('99999', '8989', '7000', '17878') });
    const answers = base();
    const busy = new Set([7878, 7000]);
    await network({ prompt, answers, defaults: defaults(), log, force: false, portInUse: async (p) => busy.has(p) });
    expect(log.lines.join('\n')).toMatch(/radarr\s+7878\/tcp\s+in use on this host/);
    expect(prompt.asked).toEqual(['hostAddress', 'ports.radarr']);
    expect(prompt.rejected['ports.radarr']).toEqual([
      'must be between 1 and 65535',
      'port 8989 is already used by sonarr',
      expect.stringContaining('port 7000 is in use on this host'),
    ]);
    expect(answers.ports).toEqual({ radarr: 17878 });
  });

  test('flags two services on one port and asks about the one nobody chose', async () => {
    const prompt = scriptedPrompts({ hostAddress: undefined, 'ports.radarr': tries('7878', '17878') });
    const answers: Answers = { ...base(), ports: { sonarr: 7878 } };
    await network({ prompt, answers, defaults: defaults(), log: memoryLogger(), force: false, portInUse: free });
    // sonarr's 7878 came from the file: it stays, so radarr is the one asked about.
    expect(prompt.asked).toEqual(['hostAddress', 'ports.radarr']);
    expect(prompt.messages['ports.radarr']).toContain('also used by sonarr');
    expect(prompt.rejected['ports.radarr']).toEqual(['port 7878 is already used by sonarr']);
    expect(answers.ports).toEqual({ sonarr: 7878, radarr: 17878 });
  });

  test('--force accepts ports in use without asking', async () => {
    const prompt = scriptedPrompts({ hostAddress: undefined, keepPorts: true });
    const answers = base();
    const log = memoryLogger();
    await network({ prompt, answers, defaults: defaults(), log, force: true, portInUse: async () => true });
    expect(prompt.asked).toEqual(['hostAddress', 'keepPorts']);
    expect(log.lines.join('\n')).toMatch(/radarr\s+7878\/tcp\s+in use on this host \(allowed by --force\)/);
  });

  test('"no" to keeping the ports asks each one', async () => {
    const prompt = scriptedPrompts({ hostAddress: undefined, keepPorts: false, 'ports.plex': undefined, 'ports.radarr': '7879', 'ports.sonarr': undefined });
    const answers = base();
    await network({ prompt, answers, defaults: defaults(), log: memoryLogger(), force: false, portInUse: free });
    expect(answers.ports).toEqual({ plex: 32400, radarr: 7879, sonarr: 8989 });
  });
});

describe('review', () => {
  const built = buildConfig({ ...defaults(), services: ['plex', 'radarr', 'wireguard'], ports: { radarr: 7001 } });
  if (!built.ok) throw new Error('fixture config is invalid');
  const data = {
    home: HOME,
    config: built.config,
    files: { composeFile: `${HOME}/generated-config/docker-compose.yml`, envFile: `${HOME}/generated-config/.env`, db: `${HOME}/plexarr.db` },
    composeDiff: '--- a\n+++ b\n@@ -1,1 +1,1 @@\n-      - "7878:7878"\n+      - "7001:7878"\n',
    adminPassword: 'generated' as const,
    plexToken: 'missing' as const,
  };

  test('prints a summary table and the compose diff, then asks to confirm', async () => {
    const log = memoryLogger();
    const prompt = scriptedPrompts({ confirm: false });
    expect(await review({ log, prompt }, data)).toBe(false);
    const out = log.lines.join('\n');
    expect(out).toMatch(/Media root\s+\/srv\/plexarr\/data/);
    expect(out).toMatch(/Radarr\s+radarr\s+7001\s+http:\/\/192\.168\.1\.20:7001/);
    expect(out).toMatch(/WireGuard\s+wireguard\s+51820\/udp/);
    expect(out).toContain('+      - "7001:7878"');
    expect(out).toContain('generated (see `plexarr credentials`)');
  });

  test('without a prompt (scripted) it only prints', async () => {
    const log = memoryLogger();
    expect(await review({ log }, { ...data, composeDiff: undefined })).toBe(true);
    expect(log.lines.join('\n')).toContain('docker-compose.yml will be created');
  });
});
