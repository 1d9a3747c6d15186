import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startPlexTv } from '../fakes/plextv.js';
import { fixtureConfig, FIXTURE_SECRETS } from '../unit/compose-fixtures.js';
import { cleanupHomes, fakeDockerEnv, plexarr, seedHome, tempRoots, type CliResult } from './status-home.js';

/**
 * Only `plexarr credentials` may print a secret. The seeded state here is as hostile as it gets:
 * every secret set, and task errors that (as if a client had echoed a request) contain them raw.
 */
const ALL = ['plex', 'radarr', 'sonarr', 'lidarr', 'prowlarr', 'requests', 'maintainerr', 'nzbget', 'nzbget2', 'npm', 'wireguard'] as const;
const VALUES = Object.values(FIXTURE_SECRETS);
const echo = VALUES.join(' ');

type PlexTv = Awaited<ReturnType<typeof startPlexTv>>;
let tv: PlexTv;
let home: string;

beforeAll(async () => {
  tv = await startPlexTv({ accounts: [] });
  home = seedHome(tempRoots(fixtureConfig([...ALL])), FIXTURE_SECRETS, {
    'nzbget.categories': { status: 'done' },
    'radarr.download-client.nzbget': { status: 'failed', error: `Radarr said: bad request ${echo}`, detail: `sent ${echo}` },
    'sonarr.root-folder': { status: 'skipped', detail: `skipped with ${echo}` },
  });
});
afterAll(async () => {
  await tv.close();
  cleanupHomes();
});

function expectNoSecret(r: CliResult): void {
  const all = r.stdout + r.stderr;
  for (const value of VALUES) expect(all).not.toContain(value);
}

describe('secrets never leave status or doctor', () => {
  const runs: [string, string[], Record<string, string>][] = [
    ['status', [], fakeDockerEnv('mixed', 'v2-ndjson')],
    ['status --json', ['--json'], fakeDockerEnv('mixed', 'v1')],
    ['status --live', ['--live'], fakeDockerEnv('mixed', 'v2-array')],
    ['status --live --json', ['--live', '--json'], fakeDockerEnv('mixed', 'v2-array')],
  ];
  test.each(runs)('%s', async (_name, args, env) => {
    const r = await plexarr(['status', '--home', home, ...args], env);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('radarr.download-client.nzbget');
    expectNoSecret(r);
  });

  test.each([[[]], [['--json']]])('doctor %p (the Plex token is rejected by plex.tv)', async (args) => {
    const r = await plexarr(['doctor', '--home', home, ...args], { ...fakeDockerEnv('mixed', 'v2-ndjson'), PLEXARR_PLEX_TV_URL: tv.url });
    expect(r.stdout).toContain('plex-token');
    expectNoSecret(r);
  });

  test('credentials, by contrast, prints them', async () => {
    const r = await plexarr(['credentials', '--home', home], {});
    for (const name of ['ADMIN_PASSWORD', 'RADARR_API_KEY', 'NZBGET2_PASS', 'NPM_ADMIN_PASSWORD'] as const)
      expect(r.stdout).toContain(FIXTURE_SECRETS[name]);
  });
});
