import { afterAll, describe, expect, test } from '@jest/globals';
import type { StatusReport } from '../../src/status/types.js';
import { fixtureConfig, FIXTURE_SECRETS, RECORDED_SERVICES } from '../unit/compose-fixtures.js';
import { cleanupHomes, fakeDockerEnv, plexarr, seedHome, tempRoots } from './status-home.js';

afterAll(cleanupHomes);

const { PLEX_TOKEN: _token, ...NO_TOKEN } = FIXTURE_SECRETS;
const LEAKY_ERROR = `Radarr answered HTTP 400 on POST /api/v3/downloadclient: Test was aborted due to an error: Authentication failed for user ${FIXTURE_SECRETS.NZBGET_USER}`;

/** One of each hookup state: linked, failed, pending (never reached / interrupted), skipped (no Plex token). */
const TASKS = {
  'nzbget.categories': { status: 'done' },
  'radarr.root-folder': { status: 'done' },
  'radarr.download-client.nzbget': { status: 'failed', error: LEAKY_ERROR },
  'radarr.auth': { status: 'done' },
  'sonarr.root-folder': { status: 'pending' },
} as const;

function mixedHome(): string {
  return seedHome(tempRoots(fixtureConfig(RECORDED_SERVICES)), NO_TOKEN, TASKS);
}

describe('plexarr status (fake docker on PATH, seeded SQLite)', () => {
  test.each(['v2-ndjson', 'v2-array', 'v1'] as const)('every row state from Compose %s, as a table', async (compose) => {
    const home = mixedHome();
    const r = await plexarr(['status', '--home', home], fakeDockerEnv('mixed', compose));
    expect(r.exitCode).toBe(1);
    const line = (container: string) => r.stdout.split('\n').find((l) => new RegExp(`^\\S.*\\s${container}\\s`).test(l)) ?? '';
    // Skipped: the Plex notification (no token) and the indexers (none answered), besides the seeded one.
    expect(line('radarr')).toMatch(
      /Radarr\s+radarr\s+running\s+healthy\s+http:\/\/192\.168\.1\.10:7878\s+2 linked, 1 failed, 2 pending, 3 skipped$/,
    );
    expect(line('sonarr')).toMatch(/sonarr\s+running\s+unhealthy\s+http:\/\/192\.168\.1\.10:8989/);
    expect(line('lidarr')).toMatch(/lidarr\s+exited\s+-\s+http:\/\/192\.168\.1\.10:8686/);
    expect(line('nzbget')).toMatch(/nzbget\s+missing\s+-\s+http:\/\/192\.168\.1\.10:6789/);
    expect(line('plex')).toMatch(/plex\s+running\s+healthy\s+.*skipped/);
    expect(r.stdout).toMatch(/✓ radarr\.root-folder\s+linked/);
    expect(r.stdout).toMatch(
      /✗ radarr\.download-client\.nzbget\s+failed — Radarr answered HTTP 400 .*Authentication failed for user \*\*\*\*\*\*\*\*/,
    );
    expect(r.stdout).toMatch(/… sonarr\.root-folder\s+pending — did not run in the last run/);
    expect(r.stdout).toMatch(/… lidarr\.root-folder\s+pending — not run yet/);
    expect(r.stdout).toMatch(/- plex\.libraries\s+skipped — .*--plex-token/);
    const last = r.stdout.trim().split('\n').at(-1);
    expect(last).toMatch(
      /^2 services not running \(lidarr, nzbget\) — run `npx plexarr deploy`; sonarr is unhealthy — see `docker logs sonarr`; 1 hookup failed, \d+ hookups pending — run `npx plexarr coordinate --retry`$/,
    );
    expect(r.stdout).not.toContain(FIXTURE_SECRETS.NZBGET_USER);
  });

  test('--json carries the same data', async () => {
    const home = mixedHome();
    const r = await plexarr(['status', '--home', home, '--json'], fakeDockerEnv('mixed', 'v1'));
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout) as StatusReport;
    expect(report.compose).toEqual({ kind: 'v1', version: '1.29.2' });
    const row = (id: string) => report.services.find((s) => s.service === id);
    expect(row('sonarr')).toMatchObject({ state: 'running', health: 'unhealthy', up: false });
    expect(row('lidarr')).toMatchObject({ state: 'exited', up: false });
    expect(row('nzbget')).toMatchObject({ state: 'missing', up: false });
    expect(row('requests')).toMatchObject({
      container: 'seerr',
      state: 'running',
      health: 'healthy',
      up: true,
      url: 'http://192.168.1.10:5055',
    });
    const hookup = (id: string) => report.hookups.find((h) => h.id === id);
    expect(hookup('radarr.root-folder')?.state).toBe('linked');
    expect(hookup('radarr.download-client.nzbget')).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('for user ********'),
    });
    expect(hookup('sonarr.root-folder')?.state).toBe('pending');
    expect(hookup('requests.admin')).toMatchObject({ state: 'skipped', reason: expect.stringContaining('Plex') });
    expect(report.hookups.some((h) => h.id.includes('nzbget2') || h.id.startsWith('npm.'))).toBe(false);
    expect(report.ok).toBe(false);
    expect(report.next).toContain('run `npx plexarr coordinate --retry`');
  });

  test('everything up and linked: exit 0', async () => {
    const config = tempRoots(fixtureConfig(RECORDED_SERVICES));
    // A news server and an indexer answered, so their hookups run too.
    config.usenetServers = [{ host: 'news.example.com', port: 563, tls: true, connections: 8, level: 0, retention: 0 }];
    config.indexers = [{ name: 'Geek', url: 'https://api.nzbgeek.info' }];
    const { allHookups } = await import('../../src/coordinate/hookups/index.js');
    const enabled = new Set(['plex', 'radarr', 'sonarr', 'lidarr', 'prowlarr', 'requests', 'maintainerr', 'nzbget']);
    const ids = allHookups()
      .filter((h) => h.services.every((s) => enabled.has(s)) && h.whenOff === undefined)
      .map((h) => h.id);
    const home = seedHome(config, FIXTURE_SECRETS, Object.fromEntries(ids.map((id) => [id, { status: 'done' as const }])));
    const r = await plexarr(['status', '--home', home], fakeDockerEnv('healthy', 'v2-array'));
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(`All 8 services up and ${ids.length} hookups linked.`);
  });

  test('no docker: containers unknown, exit 1, pointed at doctor', async () => {
    const home = mixedHome();
    const r = await plexarr(['status', '--home', home], fakeDockerEnv('mixed', 'none'));
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/radarr\s+unknown/);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(
      /^Docker could not be asked for the containers \(Docker Compose is missing.*\) — run `npx plexarr doctor`$/,
    );
  });

  test('no saved state: a clear message, exit 2 (the home holds no stack)', async () => {
    const r = await plexarr(['status', '--home', '/nonexistent-plexarr-home'], fakeDockerEnv('mixed', 'v2-ndjson'));
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('Run `npx plexarr init` first.');
  });
});
