import { describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyChanges, describeChange } from '../../src/deploy/changes.js';
import { claimDecision, PREFERENCES_RELATIVE, setEnvLine } from '../../src/deploy/claim.js';
import { MEDIA_DIRS, planFolders } from '../../src/deploy/layout.js';
import { planPreseed } from '../../src/deploy/preseed.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { FIXTURE_SECRETS, fixtureConfig, RECORDED_SERVICES } from './compose-fixtures.js';

const temp = useTempDirs('plexarr-deploy-steps-');
const isRoot = process.getuid?.() === 0;

/** Without Recyclarr, whose recyclarr.yml pre-seed has its own tests (recyclarr.test.ts). */
function configIn(dir: string, overrides: Parameters<typeof fixtureConfig>[1] = {}) {
  return fixtureConfig(RECORDED_SERVICES, {
    mediaRoot: join(dir, 'media'),
    configRoot: join(dir, 'appdata'),
    puid: 4242,
    pgid: 4343,
    ...overrides,
  });
}

describe('folder layout', () => {
  it('plans the media tree and one config folder per enabled service, Seerr owned by 1000:1000', () => {
    const dir = temp.make();
    const changes = planFolders(configIn(dir));
    const owners = Object.fromEntries(
      changes.map((c) => [c.path.slice(dir.length + 1), c.kind === 'mkdir' ? `${c.owner.uid}:${c.owner.gid}` : '']),
    );
    expect(Object.keys(owners)).toEqual([
      'media',
      ...MEDIA_DIRS.map((d) => `media/${d}`),
      'appdata',
      ...['plex', 'radarr', 'sonarr', 'lidarr', 'prowlarr', 'seerr', 'maintainerr', 'nzbget'].map((c) => `appdata/${c}`),
    ]);
    expect(owners['appdata/seerr']).toBe('1000:1000');
    expect(owners['appdata/radarr']).toBe('4242:4343');
    expect(owners['media/downloads/incomplete']).toBe('4242:4343');
  });

  it('leaves existing folders and their content alone', () => {
    const dir = temp.make();
    const config = configIn(dir);
    mkdirSync(join(dir, 'appdata/radarr'), { recursive: true });
    writeFileSync(join(dir, 'appdata/radarr/config.xml'), '<Config/>');
    const planned = planFolders(config).map((c) => c.path);
    expect(planned).not.toContain(join(dir, 'appdata'));
    expect(planned).not.toContain(join(dir, 'appdata/radarr'));
    applyChanges(planFolders(config), () => {});
    expect(readFileSync(join(dir, 'appdata/radarr/config.xml'), 'utf8')).toBe('<Config/>');
    expect(planFolders(config)).toEqual([]);
  });

  (isRoot ? it : it.skip)('creates the folders owned by PUID/PGID', () => {
    const dir = temp.make();
    applyChanges(planFolders(configIn(dir)), () => {});
    expect(statSync(join(dir, 'media/media/movies'))).toMatchObject({ uid: 4242, gid: 4343 });
    expect(statSync(join(dir, 'appdata/seerr'))).toMatchObject({ uid: 1000, gid: 1000 });
  });

  it('describes a change without its content', () => {
    expect(
      describeChange({
        kind: 'write',
        path: '/a/settings.json',
        mode: 0o600,
        content: 'SECRET',
        what: 'Overseerr API key',
        owner: { uid: 1, gid: 2 },
      }),
    ).toBe('write /a/settings.json (Overseerr API key, mode 0600, owner 1:2)');
  });
});

describe('pre-seeding', () => {
  const overseerr = (dir: string) => configIn(dir, { requestManager: 'overseerr' });
  const settingsPath = (dir: string) => join(dir, 'appdata/overseerr/settings.json');

  it('needs nothing for Seerr (API_KEY comes from the environment)', () => {
    expect(planPreseed(configIn(temp.make()), FIXTURE_SECRETS)).toEqual({ changes: [], adopt: {}, notes: [] });
  });

  it("writes Overseerr's settings.json with the API key when there is none", () => {
    const dir = temp.make();
    const plan = planPreseed(overseerr(dir), FIXTURE_SECRETS);
    expect(plan.changes).toHaveLength(1);
    applyChanges(plan.changes, () => {});
    expect(JSON.parse(readFileSync(settingsPath(dir), 'utf8'))).toEqual({ main: { apiKey: FIXTURE_SECRETS.REQUESTS_API_KEY } });
    expect(statSync(settingsPath(dir)).mode & 0o777).toBe(0o600);
    expect(planPreseed(overseerr(dir), FIXTURE_SECRETS).changes).toEqual([]);
  });

  it("adopts the key of a user's existing settings.json instead of overwriting it", () => {
    const dir = temp.make();
    mkdirSync(join(dir, 'appdata/overseerr'), { recursive: true });
    const text = JSON.stringify({ main: { apiKey: 'the-users-own-key', applicationTitle: 'Mine' } });
    writeFileSync(settingsPath(dir), text);
    const plan = planPreseed(overseerr(dir), FIXTURE_SECRETS);
    expect(plan.changes).toEqual([]);
    expect(plan.adopt).toEqual({ REQUESTS_API_KEY: 'the-users-own-key' });
    expect(readFileSync(settingsPath(dir), 'utf8')).toBe(text);
  });

  it('adds a missing key to existing settings, keeping every other value', () => {
    const dir = temp.make();
    mkdirSync(join(dir, 'appdata/overseerr'), { recursive: true });
    writeFileSync(settingsPath(dir), JSON.stringify({ main: { applicationTitle: 'Mine' }, plex: { ip: 'x' } }));
    applyChanges(planPreseed(overseerr(dir), FIXTURE_SECRETS).changes, () => {});
    expect(JSON.parse(readFileSync(settingsPath(dir), 'utf8'))).toEqual({
      main: { applicationTitle: 'Mine', apiKey: FIXTURE_SECRETS.REQUESTS_API_KEY },
      plex: { ip: 'x' },
    });
  });

  it('leaves an unreadable settings.json alone and says so', () => {
    const dir = temp.make();
    mkdirSync(join(dir, 'appdata/overseerr'), { recursive: true });
    writeFileSync(settingsPath(dir), '{ not json');
    const plan = planPreseed(overseerr(dir), FIXTURE_SECRETS);
    expect(plan.changes).toEqual([]);
    expect(plan.notes[0]).toMatch(/not valid JSON; left it alone/);
  });
});

describe('Plex claim', () => {
  it('is needed with a token while Preferences.xml has no PlexOnlineToken', () => {
    const dir = temp.make();
    const config = configIn(dir);
    expect(claimDecision(config, FIXTURE_SECRETS)).toEqual({ needed: true });
    const prefs = join(dir, 'appdata/plex', PREFERENCES_RELATIVE);
    mkdirSync(join(prefs, '..'), { recursive: true });
    writeFileSync(prefs, '<?xml version="1.0"?>\n<Preferences MachineIdentifier="m" ProcessedMachineIdentifier="p"/>');
    expect(claimDecision(config, FIXTURE_SECRETS)).toEqual({ needed: true });
    writeFileSync(prefs, '<?xml version="1.0"?>\n<Preferences MachineIdentifier="m" PlexOnlineToken="abc"/>');
    expect(claimDecision(config, FIXTURE_SECRETS)).toEqual({ needed: false, reason: 'the Plex server is already claimed' });
  });

  it('is not needed without a token or without Plex', () => {
    const dir = temp.make();
    expect(claimDecision(configIn(dir), { ...FIXTURE_SECRETS, PLEX_TOKEN: undefined })).toMatchObject({
      needed: false,
      reason: expect.stringMatching(/no Plex account token/),
    });
    const noPlex = fixtureConfig(['radarr', 'nzbget'], { configRoot: join(dir, 'appdata') });
    expect(claimDecision(noPlex, FIXTURE_SECRETS)).toMatchObject({ needed: false, reason: 'Plex is not enabled' });
  });

  it('sets one .env line and keeps the others', () => {
    const env = '# header\nRADARR_API_KEY=abc\nPLEX_CLAIM=\nNZBGET_PASS=x\n';
    expect(setEnvLine(env, 'PLEX_CLAIM', 'claim-1')).toBe('# header\nRADARR_API_KEY=abc\nPLEX_CLAIM=claim-1\nNZBGET_PASS=x\n');
    expect(setEnvLine('A=1\n', 'PLEX_CLAIM', 'claim-2')).toBe('A=1\nPLEX_CLAIM=claim-2\n');
  });
});
