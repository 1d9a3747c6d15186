import { afterAll, describe, expect, test } from '@jest/globals';
import type { Credentials } from '../../src/commands/credentials.js';
import { fixtureConfig, FIXTURE_SECRETS } from '../unit/compose-fixtures.js';
import { cleanupHomes, plexarr, seedHome, tempRoots } from './status-home.js';

afterAll(cleanupHomes);

const ALL = ['plex', 'radarr', 'sonarr', 'lidarr', 'prowlarr', 'requests', 'maintainerr', 'nzbget', 'nzbget2', 'npm'] as const;

describe('plexarr credentials', () => {
  test('prints the admin login, every API key, both NZBGet logins and the NPM admin; warns when piped', async () => {
    const home = seedHome(tempRoots(fixtureConfig([...ALL])), FIXTURE_SECRETS);
    const r = await plexarr(['credentials', '--home', home], {});
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('stdout is not a terminal');
    const s = FIXTURE_SECRETS;
    expect(r.stdout).toMatch(
      /Stack admin \(web login of Radarr, Sonarr, Lidarr, Prowlarr\)\n\s+user\s+admin\n\s+password\s+Adm1nPassw0rdFixture/,
    );
    for (const [label, key, port] of [
      ['Radarr', s.RADARR_API_KEY, 7878],
      ['Sonarr', s.SONARR_API_KEY, 8989],
      ['Lidarr', s.LIDARR_API_KEY, 8686],
      ['Prowlarr', s.PROWLARR_API_KEY, 9696],
      ['Seerr', s.REQUESTS_API_KEY, 5055],
    ] as const) {
      expect(r.stdout).toMatch(new RegExp(`\\n\\s+${label}\\s+${key}\\s+http://192\\.168\\.1\\.10:${port}\\n`));
    }
    expect(r.stdout).toMatch(/NZBGet \(http:\/\/192\.168\.1\.10:6789\)\n\s+user\s+nzbgetFixtureUser\n\s+password\s+nzbgetFixturePass1/);
    expect(r.stdout).toMatch(/NZBGet 2 \(http:\/\/192\.168\.1\.10:6790\)\n\s+user\s+nzbget2FixtureUser\n\s+password\s+nzbget2FixturePass2/);
    expect(r.stdout).toMatch(
      /Nginx Proxy Manager admin \(http:\/\/192\.168\.1\.10:81\)\n\s+user\s+admin@example\.com\n\s+password\s+npmFixturePassword9/,
    );
    expect(r.stdout).not.toContain(s.PLEX_TOKEN);
  });

  test('--json for scripts, only the enabled services', async () => {
    const home = seedHome(tempRoots(fixtureConfig(['radarr', 'nzbget'])), FIXTURE_SECRETS);
    const r = await plexarr(['credentials', '--home', home, '--json'], {});
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('stdout is not a terminal');
    expect(JSON.parse(r.stdout) as Credentials).toEqual({
      admin: { user: 'admin', password: FIXTURE_SECRETS.ADMIN_PASSWORD, usedBy: ['Radarr'] },
      apiKeys: { radarr: { url: 'http://192.168.1.10:7878', apiKey: FIXTURE_SECRETS.RADARR_API_KEY } },
      nzbget: { url: 'http://192.168.1.10:6789', user: FIXTURE_SECRETS.NZBGET_USER, password: FIXTURE_SECRETS.NZBGET_PASS },
    });
  });

  test('no state: exit 2 (the home holds no stack) with what to do', async () => {
    const r = await plexarr(['credentials', '--home', '/nonexistent-plexarr-home'], {});
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('Run `npx plexarr init` first.');
  });
});
