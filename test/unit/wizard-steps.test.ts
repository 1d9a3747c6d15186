import { describe, expect, test } from '@jest/globals';
import { chownSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Answers } from '../../src/config/answers.js';
import { buildConfig } from '../../src/config/build.js';
import { defaultAnswers } from '../../src/config/defaults.js';
import { ownerIds, ROOT_IDS_NOTE } from '../../src/host/ids.js';
import { plexarrCommand } from '../../src/ui/invocation.js';
import { memoryLogger } from '../../src/ui/logger.js';
import { network } from '../../src/wizard/network.js';
import { review } from '../../src/wizard/review.js';
import { services } from '../../src/wizard/services.js';
import { system } from '../../src/wizard/system.js';
import { welcome } from '../../src/wizard/welcome.js';
import { scriptedPrompts, tries } from '../helpers/prompts.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const HOME = '/srv/plexarr';
const HOST = { puid: 1000, pgid: 1000, tz: 'Europe/Berlin', hostAddress: '192.168.1.20' };
const defaults = (): Answers => defaultAnswers(HOME, HOST);
const free = async () => false;
const temp = useTempDirs('plexarr-wiz-');

describe('welcome', () => {
  test('says where files go and that saved answers are the defaults', async () => {
    const log = memoryLogger();
    await welcome({ log, home: HOME, saved: true });
    expect(log.lines.slice(1, 3)).toEqual(['1/5 Welcome', 'what plexarr will set up, and where its own files go']);
    expect(log.lines.join('\n')).toContain(HOME);
    expect(log.lines.join('\n')).toContain('saved configuration');
  });
});

describe('system', () => {
  test('asks paths, ids and time zone with the defaults pre-filled', async () => {
    const dir = temp.make();
    const prompt = scriptedPrompts({
      mediaRoot: join(dir, 'media'),
      configRoot: undefined,
      puid: '1001',
      pgid: undefined,
      tz: 'Asia/Tokyo',
    });
    const answers: Answers = {};
    const log = memoryLogger();
    await system({ prompt, answers, defaults: { ...defaults(), configRoot: join(dir, 'apps') }, log, rootIds: false });
    expect(log.lines.slice(0, 2)).toEqual([
      '2/5 System',
      'where media and app settings live, which user owns the files, and the time zone',
    ]);
    expect(prompt.messages.puid).toBe('User id the apps run as (PUID)');
    expect(prompt.asked).toEqual(['mediaRoot', 'configRoot', 'puid', 'pgid', 'tz']);
    expect(prompt.defaults.mediaRoot).toBe(`${HOME}/data`);
    expect(answers).toEqual({ mediaRoot: join(dir, 'media'), configRoot: join(dir, 'apps'), puid: 1001, pgid: 1000, tz: 'Asia/Tokyo' });
  });

  test('rejects bad answers with the same rules as the flags, and skips what flags answered', async () => {
    const dir = temp.make();
    writeFileSync(join(dir, 'file'), '');
    const prompt = scriptedPrompts({
      mediaRoot: tries('media', join(dir, 'file'), '/srv/a${B}', join(dir, 'ok')),
      puid: tries('-1', 'abc', '1.5', '0'),
      tz: tries('Mars/Base', 'UTC'),
    });
    const answers: Answers = { configRoot: join(dir, 'apps'), pgid: 100 };
    const log = memoryLogger();
    await system({ prompt, answers, defaults: defaults(), log, rootIds: false });
    expect(prompt.asked).toEqual(['mediaRoot', 'puid', 'tz']);
    expect(log.lines).toContain(`! PUID ${ROOT_IDS_NOTE}.`);
    expect(prompt.rejected.mediaRoot).toEqual(['must be an absolute path', 'is a file, not a directory', 'must not contain "${"']);
    expect(prompt.rejected.puid).toEqual(['must be 0 or more', 'must be a number', 'must be a whole number']);
    expect(prompt.rejected.tz).toEqual(['is not a known time zone']);
    expect(answers.puid).toBe(0);
  });
});

describe('system as root without sudo', () => {
  test('offers the owner of an existing media root', async () => {
    const dir = temp.make();
    if (process.getuid?.() === 0) chownSync(dir, 1234, 2345);
    const owner = ownerIds(dir);
    const prompt = scriptedPrompts({ mediaRoot: dir, configRoot: undefined, puid: undefined, pgid: undefined, tz: undefined });
    const answers: Answers = {};
    const log = memoryLogger();
    await system({ prompt, answers, defaults: { ...defaults(), puid: 0, pgid: 0 }, log, rootIds: true });
    expect(owner).toBeDefined();
    expect(answers).toMatchObject(owner!);
    expect(log.lines).toContain(`plexarr runs as root: the user and group offered are the owner of ${dir}.`);
  });

  test('with no media root yet it offers nothing and says what 0 means; an empty answer is refused', async () => {
    const dir = temp.make();
    const prompt = scriptedPrompts({
      mediaRoot: join(dir, 'new'),
      configRoot: undefined,
      puid: tries('', '1000'),
      pgid: '0',
      tz: undefined,
    });
    const answers: Answers = {};
    const log = memoryLogger();
    await system({ prompt, answers, defaults: { ...defaults(), puid: 0, pgid: 0 }, log, rootIds: true });
    expect(prompt.defaults.puid).toBeUndefined();
    expect(prompt.messages.puid).toBe(`User id the apps run as (PUID) — ${ROOT_IDS_NOTE}`);
    expect(prompt.rejected.puid).toEqual(['must be a number']);
    expect(answers).toMatchObject({ puid: 1000, pgid: 0 });
    expect(log.lines.join('\n')).toContain('there is no user to offer');
    // The question said what 0 means already; no warning repeats it.
    expect(prompt.messages.pgid).toBe(`Group id the apps run as (PGID) — ${ROOT_IDS_NOTE}`);
    expect(log.lines.filter((l) => l.startsWith('!'))).toEqual([]);
  });

  test('a saved PUID 0 is offered, with what it means in the question', async () => {
    const prompt = scriptedPrompts({ puid: undefined, pgid: undefined });
    const answers: Answers = { mediaRoot: temp.make(), configRoot: temp.make(), tz: 'UTC' };
    await system({ prompt, answers, defaults: { ...defaults(), puid: 0, pgid: 100 }, log: memoryLogger(), rootIds: false });
    expect(prompt.defaults).toEqual({ puid: '0', pgid: '100' });
    expect(prompt.messages.puid).toContain(ROOT_IDS_NOTE);
    expect(prompt.messages.pgid).not.toContain(ROOT_IDS_NOTE);
  });
});

describe('services', () => {
  test('default selection, seerr, generated password, Plex token later', async () => {
    const prompt = scriptedPrompts({
      services: undefined,
      requestManager: undefined,
      qualityProfile: undefined,
      adminUser: undefined,
      adminPassword: '',
      plexToken: '',
    });
    const answers: Answers = {};
    const log = memoryLogger();
    await services({ prompt, answers, defaults: defaults(), log, saved: false, plexTokenSaved: false });
    expect(log.lines.slice(0, 2)).toEqual(['3/5 Services', 'which apps run, and the admin login for their web UIs']);
    expect(prompt.messages.adminPassword).toBe('Admin password (empty: generate one)');
    expect(prompt.messages.plexToken).toBe('Plex account token (optional; empty: add it later)');
    const hint = log.lines.join('\n');
    expect(hint).toContain('The Plex account token is optional');
    expect(hint).toContain('sign in at https://app.plex.tv and take the token from your account session');
    expect(hint).toContain(`\`${plexarrCommand('coordinate --plex-token <token>')}\``);
    expect(prompt.defaults.services).toEqual([
      'plex',
      'radarr',
      'sonarr',
      'lidarr',
      'prowlarr',
      'requests',
      'maintainerr',
      'nzbget',
      'recyclarr',
    ]);
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
    await services({ prompt, answers, defaults: defaults(), log: memoryLogger(), saved: false, plexTokenSaved: false });
    expect(prompt.rejected.services).toEqual([
      'choose at least one service',
      expect.stringContaining('nzbget2 needs nzbget'),
      expect.stringContaining('maintainerr needs plex'),
    ]);
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
    await services({ prompt, answers, defaults: defaults(), log: memoryLogger(), saved: false, plexTokenSaved: true });
    expect(prompt.defaults.npmEmail).toBe('admin@media.example.org');
    expect(prompt.rejected.adminPassword).toEqual(['must be at least 8 characters']);
    expect(prompt.asked).not.toContain('plexToken');
    expect(answers).toMatchObject({
      requestManager: 'overseerr',
      wireguardPeers: 'laptop,phone',
      npmEmail: 'admin@media.example.org',
      adminUser: 'boss',
    });
  });
});

describe('services on a re-run', () => {
  test('an empty password keeps the current one, and the question says so', async () => {
    const prompt = scriptedPrompts({
      services: undefined,
      requestManager: undefined,
      qualityProfile: undefined,
      adminUser: undefined,
      adminPassword: '',
    });
    const answers: Answers = {};
    await services({ prompt, answers, defaults: defaults(), log: memoryLogger(), saved: true, plexTokenSaved: true });
    expect(prompt.messages.adminPassword).toBe('Admin password (empty: keep the current one)');
    expect(answers.adminPassword).toBeUndefined();
  });
});

describe('network', () => {
  const base = (): Answers => ({ services: ['plex', 'radarr', 'sonarr'] });

  test('shows the ports and keeps them', async () => {
    const log = memoryLogger();
    const prompt = scriptedPrompts({ hostAddress: 'nas.local', keepPorts: true });
    const answers = base();
    await network({ prompt, answers, defaults: defaults(), log, force: false, portInUse: free });
    expect(log.lines.slice(0, 2)).toEqual(['4/5 Network', 'the address people reach this host at, and each app’s host port']);
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
    const prompt = scriptedPrompts({
      hostAddress: undefined,
      keepPorts: false,
      'ports.plex': undefined,
      'ports.radarr': '7879',
      'ports.sonarr': undefined,
    });
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
    files: {
      composeFile: `${HOME}/generated-config/docker-compose.yml`,
      envFile: `${HOME}/generated-config/.env`,
      db: `${HOME}/plexarr.db`,
    },
    composeDiff: '--- a\n+++ b\n@@ -1,1 +1,1 @@\n-      - "7878:7878"\n+      - "7001:7878"\n',
    adminPassword: 'generated' as const,
    plexToken: 'missing' as const,
    nextCommand: 'npx plexarr deploy --home /srv/plexarr',
  };

  test('prints a summary table and a summary of the compose changes, the full diff on request, then asks to confirm', async () => {
    const log = memoryLogger();
    const prompt = scriptedPrompts({ showDiff: true, confirm: false });
    const composeChanges = { added: ['wireguard'], removed: [], ports: ['radarr 7878:7878 → 7001:7878'], lines: 2 };
    expect(await review({ log, prompt }, { ...data, composeChanges })).toBe(false);
    expect(prompt.asked).toEqual(['showDiff', 'confirm']);
    expect(prompt.defaults.showDiff).toBe(false);
    expect(log.lines.slice(0, 2)).toEqual(['5/5 Review', 'whether to write all of this: nothing is written before you confirm']);
    const out = log.lines.join('\n');
    expect(out).toMatch(/Media root\s+\/srv\/plexarr\/data/);
    expect(out).toMatch(/PUID \/ PGID\s+1000 \/ 1000$/m);
    expect(out).toMatch(/Radarr\s+radarr\s+7001\s+http:\/\/192\.168\.1\.20:7001/);
    expect(out).toMatch(/WireGuard\s+wireguard\s+51820\/udp/);
    expect(out).toContain(
      'Changes to docker-compose.yml:\n  services added: wireguard\n  ports changed: radarr 7878:7878 → 7001:7878\n  2 lines changed in all',
    );
    expect(out).toContain('+      - "7001:7878"');
    expect(out).toContain(`generated (see \`${plexarrCommand('credentials')}\`)`);
    expect(log.lines.at(-1)).toBe('Next, once this is written: npx plexarr deploy --home /srv/plexarr');
  });

  test('the full diff stays hidden unless asked for, and the review still ends with the next command', async () => {
    const log = memoryLogger();
    const prompt = scriptedPrompts({ showDiff: false, confirm: true });
    expect(await review({ log, prompt }, { ...data, composeChanges: { added: [], removed: [], ports: [], lines: 2 } })).toBe(true);
    expect(prompt.messages.showDiff).toBe('Show the full diff (5 lines)?');
    const out = log.lines.join('\n');
    expect(out).toContain('  2 lines changed in all');
    expect(out).not.toContain('7001:7878"');
    expect(log.lines.at(-1)).toBe('Next, once this is written: npx plexarr deploy --home /srv/plexarr');
  });

  test('PUID or PGID 0 is shown with what it means', async () => {
    const log = memoryLogger();
    await review({ log }, { ...data, config: { ...data.config, pgid: 0 } });
    expect(log.lines.join('\n')).toMatch(new RegExp(`PUID / PGID\\s+1000 / 0 \\(${ROOT_IDS_NOTE}\\)`));
  });

  test('without a prompt (scripted) it only prints', async () => {
    const log = memoryLogger();
    expect(await review({ log }, { ...data, composeDiff: undefined })).toBe(true);
    expect(log.lines.join('\n')).toContain('docker-compose.yml will be created');
  });

  test('shows the NPM e-mail in lower case and says why', async () => {
    const npm = buildConfig({ ...defaults(), services: ['radarr', 'npm'], npmEmail: 'Ops@Example.ORG' });
    if (!npm.ok) throw new Error('fixture config is invalid');
    const log = memoryLogger();
    await review({ log }, { ...data, config: npm.config, composeDiff: undefined });
    expect(log.lines.join('\n')).toMatch(/Proxy\s+ops@example\.org \(lower case: NPM logs in that way\)/);
  });
});
