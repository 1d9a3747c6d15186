import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import type { StatusReport } from '../../src/status/types.js';
import { startRadarr } from '../fakes/arr.js';
import { fixtureConfig, FIXTURE_SECRETS } from '../unit/compose-fixtures.js';
import { cleanupHomes, fakeDockerEnv, plexarr, seedHome, tempRoots } from './status-home.js';

/**
 * `status --live` against the Radarr fake: SQLite says both Radarr hookups are linked, the app
 * says otherwise (no root folder, no Forms login) — drift. Only GETs may reach the app.
 */
type Radarr = Awaited<ReturnType<typeof startRadarr>>;
let radarr: Radarr;
let home: string;
let mediaRoot: string;

beforeAll(async () => {
  const base = tempRoots(fixtureConfig(['radarr']));
  mediaRoot = base.mediaRoot;
  radarr = await startRadarr({
    configDir: join(base.configRoot, 'radarr'),
    env: { RADARR__AUTH__APIKEY: FIXTURE_SECRETS.RADARR_API_KEY },
    pathMap: (p: string) => p.replace(/^\/data/, mediaRoot),
  });
  const config = {
    ...base,
    hostAddress: '127.0.0.1',
    services: { ...base.services, radarr: { enabled: true, ports: { web: radarr.port } } },
  };
  home = seedHome(config, FIXTURE_SECRETS, { 'radarr.root-folder': { status: 'done' }, 'radarr.auth': { status: 'done' } });
});
afterAll(async () => {
  await radarr.close();
  cleanupHomes();
});

const live = async (json: boolean) =>
  plexarr(['status', '--home', home, '--live', ...(json ? ['--json'] : [])], fakeDockerEnv('healthy', 'v2-ndjson'));

describe('plexarr status --live (Radarr fake)', () => {
  test('reports drift from what SQLite recorded, with GET requests only', async () => {
    const before = await live(false);
    expect(before.exitCode).toBe(1);
    expect(before.stdout).toContain('hookups checked live');
    expect(before.stdout).toMatch(
      /… radarr\.root-folder\s+pending \(recorded: linked\) — the app differs from what plexarr set: create root folder \/data\/media\/movies in Radarr/,
    );
    expect(before.stdout).toMatch(
      /… radarr\.auth\s+pending \(recorded: linked\) — the app differs from what plexarr set: update .*authenticationMethod/,
    );
    expect(before.stdout.trim().split('\n').at(-1)).toBe('2 hookups pending — run `npx plexarr coordinate`');
    expect(radarr.log.length).toBeGreaterThan(0);
    expect(radarr.log.filter((e: { method: string }) => e.method !== 'GET')).toEqual([]);
  });

  test('a repaired link reads as linked again; --json has the same data', async () => {
    mkdirSync(join(mediaRoot, 'media', 'movies'), { recursive: true });
    const res = await fetch(`${radarr.url}/api/v3/rootfolder`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': FIXTURE_SECRETS.RADARR_API_KEY },
      body: JSON.stringify({ path: '/data/media/movies' }),
    });
    expect(res.status).toBe(201);
    const mutations = radarr.log.filter((e: { method: string }) => e.method !== 'GET').length;

    const after = await live(true);
    expect(after.exitCode).toBe(1);
    const report = JSON.parse(after.stdout) as StatusReport;
    expect(report.live).toBe(true);
    expect(report.hookups.find((h) => h.id === 'radarr.root-folder')).toEqual(
      expect.objectContaining({ state: 'linked', recorded: 'linked' }),
    );
    expect(report.hookups.find((h) => h.id === 'radarr.auth')).toMatchObject({
      state: 'pending',
      recorded: 'linked',
      drift: [expect.stringContaining('update')],
    });
    expect(report.summary.drifted).toBe(1);
    expect(radarr.log.filter((e: { method: string }) => e.method !== 'GET').length).toBe(mutations);
    for (const value of Object.values(FIXTURE_SECRETS)) expect(after.stdout + after.stderr).not.toContain(value);
  });

  test('a silent app (accepts, never answers) is reported within --timeout and does not hold the process', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const base = tempRoots(fixtureConfig(['radarr']));
      const port = (silent.address() as { port: number }).port;
      const quiet = seedHome(
        { ...base, services: { ...base.services, radarr: { enabled: true, ports: { web: port } } } },
        FIXTURE_SECRETS,
        {
          'radarr.root-folder': { status: 'done' },
        },
      );
      const started = Date.now();
      const r = await plexarr(['status', '--home', quiet, '--live', '--timeout', '2', '--json'], fakeDockerEnv('healthy', 'v2-ndjson'));
      const elapsed = Date.now() - started;
      const report = JSON.parse(r.stdout) as StatusReport;
      expect(report.hookups.find((h) => h.id === 'radarr.root-folder')).toMatchObject({
        state: 'failed',
        recorded: 'linked',
        reason: 'no answer within 2 s',
      });
      expect(r.exitCode).toBe(1);
      console.log(`status --live --timeout 2 against a silent app: ${elapsed} ms including CLI start`);
      expect(elapsed).toBeLessThan(15_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
