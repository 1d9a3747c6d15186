import { describe, expect, test } from '@jest/globals';
import { composePs, detectCompose } from '../../src/docker/compose.js';
import { buildStatus, type StatusInput, type TaskRecord } from '../../src/status/build.js';
import { fixtureConfig, FIXTURE_SECRETS, RECORDED_SERVICES } from './compose-fixtures.js';
import { fakeDockerEnv, fakeDockerExec, info } from './status-helpers.js';
import { plexarrCommand } from '../../src/ui/invocation.js';

const config = fixtureConfig(RECORDED_SERVICES);
const HOOKUPS = [
  info('radarr.root-folder', ['radarr']),
  info('radarr.download-client.nzbget', ['radarr', 'nzbget']),
  info('radarr.download-client.nzbget2', ['radarr', 'nzbget2']),
  info('sonarr.root-folder', ['sonarr']),
  info('lidarr.root-folder', ['lidarr']),
  info('plex.libraries', ['plex'], `no Plex account token — run \`${plexarrCommand('coordinate --plex-token <token>')}\``),
];
const TASKS = new Map<string, TaskRecord>([
  ['radarr.root-folder', { status: 'done', finishedAt: '2026-11-25T17:00:00.000Z' }],
  [
    'radarr.download-client.nzbget',
    {
      status: 'failed',
      error: `Radarr answered HTTP 400: NZBGet said Unauthorized for user ${FIXTURE_SECRETS.NZBGET_USER} with password ${FIXTURE_SECRETS.NZBGET_PASS}`,
    },
  ],
  ['lidarr.root-folder', { status: 'skipped', detail: 'Lidarr was not ready' }],
]);

async function containers(
  compose: 'v2-array' | 'v2-ndjson' | 'v1',
  scenario: 'healthy' | 'mixed' = 'mixed',
): Promise<StatusInput['containers']> {
  const exec = fakeDockerExec(fakeDockerEnv(scenario, compose));
  const c = await detectCompose(exec);
  return { list: await composePs(exec, c, '/dev/null'), compose: { kind: c.kind, version: c.version } };
}

describe('buildStatus', () => {
  test.each(['v2-array', 'v2-ndjson', 'v1'] as const)('container states from Compose %s', async (kind) => {
    const report = buildStatus({
      home: '/h',
      config,
      secrets: FIXTURE_SECRETS,
      containers: await containers(kind),
      hookups: HOOKUPS,
      tasks: TASKS,
    });
    const row = (id: string) => report.services.find((s) => s.service === id)!;
    expect(report.compose?.kind).toBe(kind === 'v1' ? 'v1' : 'v2');
    expect(report.services.map((s) => s.service)).toEqual([
      'plex',
      'radarr',
      'sonarr',
      'lidarr',
      'prowlarr',
      'requests',
      'maintainerr',
      'nzbget',
    ]);
    expect(row('radarr')).toMatchObject({ state: 'running', health: 'healthy', up: true, url: 'http://192.168.1.10:7878' });
    expect(row('sonarr')).toMatchObject({ state: 'running', health: 'unhealthy', up: false });
    expect(row('lidarr')).toMatchObject({ state: 'exited', up: false });
    expect(row('nzbget')).toMatchObject({ state: 'missing', up: false });
    expect(row('requests')).toMatchObject({ container: 'seerr', state: 'running', up: true });
    expect(report.ok).toBe(false);
  });

  test('hookup states: linked, failed (redacted), pending, skipped; disabled services hidden', async () => {
    const report = buildStatus({
      home: '/h',
      config,
      secrets: FIXTURE_SECRETS,
      containers: await containers('v2-ndjson'),
      hookups: HOOKUPS,
      tasks: TASKS,
    });
    const h = Object.fromEntries(report.hookups.map((x) => [x.id, x]));
    expect(Object.keys(h)).not.toContain('radarr.download-client.nzbget2');
    expect(h['radarr.root-folder']).toMatchObject({ state: 'linked', finishedAt: '2026-11-25T17:00:00.000Z' });
    expect(h['radarr.download-client.nzbget']).toMatchObject({
      state: 'failed',
      reason: `Radarr answered HTTP 400: NZBGet said Unauthorized for user ${FIXTURE_SECRETS.NZBGET_USER} with password ********`,
    });
    expect(h['sonarr.root-folder']).toMatchObject({ state: 'pending', reason: 'not run yet' });
    expect(h['lidarr.root-folder']!.state).toBe('pending');
    expect(h['lidarr.root-folder']!.reason).toMatch(/skipped in the last run \(Lidarr was not ready\); it can run now/);
    expect(h['plex.libraries']).toMatchObject({ state: 'skipped', reason: expect.stringContaining('--plex-token') });
    expect(report.services.find((s) => s.service === 'radarr')!.counts).toEqual({ linked: 1, failed: 1, pending: 0, skipped: 0 });
    expect(report.summary).toMatchObject({ services: 8, up: 5, linked: 1, failed: 1, pending: 2, skipped: 1, drifted: 0 });
    expect(report.next).toBe(
      `2 services not running (lidarr, nzbget) — run \`${plexarrCommand('deploy')}\`; sonarr is unhealthy — see \`docker logs sonarr\`; ` +
        `1 hookup failed, 2 hookups pending — run \`${plexarrCommand('coordinate --retry')}\``,
    );
  });

  test('everything up and linked is ok, skipped hookups do not fail it', async () => {
    const tasks = new Map<string, TaskRecord>(HOOKUPS.map((h) => [h.id, { status: 'done' }]));
    const report = buildStatus({
      home: '/h',
      config,
      secrets: FIXTURE_SECRETS,
      containers: await containers('v1', 'healthy'),
      hookups: HOOKUPS,
      tasks,
    });
    expect(report.ok).toBe(true);
    expect(report.next).toBe('All 8 services up and 4 hookups linked (1 skipped — see above).');
  });

  test('a restarting or paused container points at its logs, not at deploy', () => {
    const list = [
      { service: 'radarr', name: 'radarr', state: 'restarting', publishedPorts: [] },
      { service: 'sonarr', name: 'sonarr', state: 'paused', publishedPorts: [] },
    ];
    const cfg = fixtureConfig(['radarr', 'sonarr']);
    const report = buildStatus({
      home: '/h',
      config: cfg,
      secrets: {},
      containers: { list, compose: { kind: 'v2', version: '2.29.7' } },
      hookups: [],
      tasks: new Map(),
    });
    expect(report.next).toBe('radarr is restarting — see `docker logs radarr`; sonarr is paused — see `docker logs sonarr`');
    expect(report.ok).toBe(false);
  });

  test('docker unavailable: every container unknown, one next step', () => {
    const report = buildStatus({
      home: '/h',
      config,
      secrets: FIXTURE_SECRETS,
      containers: { error: 'Docker Compose is missing' },
      hookups: [],
      tasks: new Map(),
    });
    expect(report.services.every((s) => s.state === 'unknown' && !s.up)).toBe(true);
    expect(report.dockerError).toBe('Docker Compose is missing');
    expect(report.next).toMatch(new RegExp(`run \`${plexarrCommand('doctor')}\``));
    expect(report.ok).toBe(false);
  });

  test('live results override SQLite and are reported as drift', async () => {
    const live = new Map([
      ['radarr.root-folder', { state: 'drift' as const, changes: ['create root folder /data/media/movies in Radarr'] }],
      ['radarr.download-client.nzbget', { state: 'linked' as const }],
      [
        'sonarr.root-folder',
        { state: 'failed' as const, reason: `Sonarr could not be reached with key ${FIXTURE_SECRETS.SONARR_API_KEY}` },
      ],
    ]);
    const report = buildStatus({
      home: '/h',
      config,
      secrets: FIXTURE_SECRETS,
      containers: await containers('v2-array', 'healthy'),
      hookups: HOOKUPS,
      tasks: TASKS,
      live,
    });
    const h = Object.fromEntries(report.hookups.map((x) => [x.id, x]));
    expect(h['radarr.root-folder']).toMatchObject({
      state: 'pending',
      recorded: 'linked',
      drift: ['create root folder /data/media/movies in Radarr'],
    });
    expect(h['radarr.download-client.nzbget']).toMatchObject({ state: 'linked', recorded: 'failed' });
    expect(h['sonarr.root-folder']).toMatchObject({
      state: 'failed',
      recorded: 'pending',
      reason: 'Sonarr could not be reached with key ********',
    });
    expect(report.live).toBe(true);
    expect(report.summary.drifted).toBe(3);
    expect(report.next).toContain(`run \`${plexarrCommand('coordinate')}\``);
    expect(report.next).not.toContain('--retry');
  });
});
