import { describe, expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRecyclarrYaml, recyclarrPreseed, recyclarrYaml } from '../../src/catalog/recyclarr.js';
import { createRecyclarrClient } from '../../src/clients/recyclarr.js';
import { validateRecyclarrConfig } from '../../src/compose/recyclarr-schema.js';
import { renderStack } from '../../src/compose/render.js';
import { buildConfig } from '../../src/config/build.js';
import { defaultAnswers } from '../../src/config/defaults.js';
import type { StackConfig } from '../../src/config/schema.js';
import { recyclarrSyncHookup } from '../../src/coordinate/hookups/recyclarr-sync.js';
import type { Clients } from '../../src/clients/index.js';
import { memoryApplied } from '../coordinate/helpers.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { stubExec } from './docker-stub.js';
import { FIXTURE_SECRETS, fixtureConfig } from './compose-fixtures.js';

const temp = useTempDirs();
const HOST = { puid: 1000, pgid: 1000, tz: 'UTC', hostAddress: '192.168.1.20' };

function config(overrides: Partial<StackConfig> = {}): StackConfig {
  return fixtureConfig(undefined, overrides);
}

describe('recyclarr.yml', () => {
  test('Radarr and Sonarr by container URL, keys as !env_var, quality definitions and the HD templates; valid by the published schema', () => {
    const text = recyclarrYaml(config());
    expect(text).toContain('api_key: !env_var RADARR_API_KEY');
    expect(text).toContain('api_key: !env_var SONARR_API_KEY');
    for (const key of Object.values(FIXTURE_SECRETS)) expect(text).not.toContain(key);
    expect(parseRecyclarrYaml(text)).toEqual({
      radarr: {
        radarr: {
          base_url: 'http://radarr:7878',
          api_key: 'RADARR_API_KEY',
          quality_definition: { type: 'movie' },
          include: [{ template: 'radarr-quality-profile-hd-bluray-web' }, { template: 'radarr-custom-formats-hd-bluray-web' }],
        },
      },
      sonarr: {
        sonarr: {
          base_url: 'http://sonarr:8989',
          api_key: 'SONARR_API_KEY',
          quality_definition: { type: 'series' },
          include: [{ template: 'sonarr-v4-quality-profile-web-1080p' }, { template: 'sonarr-v4-custom-formats-web-1080p' }],
        },
      },
    });
    expect(validateRecyclarrConfig(parseRecyclarrYaml(text))).toEqual([]);
  });

  test('UHD picks the 2160p templates; a stack without Sonarr has only Radarr', () => {
    const radarrOnly = config({ qualityProfile: 'uhd' });
    radarrOnly.services.sonarr.enabled = false;
    const parsed = parseRecyclarrYaml(recyclarrYaml(radarrOnly)) as Record<string, Record<string, { include: unknown }>>;
    expect(Object.keys(parsed)).toEqual(['radarr']);
    expect(parsed.radarr?.radarr?.include).toEqual([
      { template: 'radarr-quality-profile-uhd-bluray-web' },
      { template: 'radarr-custom-formats-uhd-bluray-web' },
    ]);
    expect(validateRecyclarrConfig(parsed)).toEqual([]);
  });

  test('the schema refuses what Recyclarr would refuse', () => {
    expect(validateRecyclarrConfig({ radarr: { main: { base_url: 'http://radarr:7878', api_key: '', quality_definition: {} } } })).toEqual(
      expect.arrayContaining([
        '/radarr/main/api_key must NOT have fewer than 1 characters',
        "/radarr/main/quality_definition must have required property 'type'",
      ]),
    );
    expect(validateRecyclarrConfig({ lidarr: {} })).toEqual(['/ must NOT have additional properties (lidarr)']);
  });

  test('deploy writes it into the config folder when it differs, and leaves an identical one alone', () => {
    const dir = temp.make();
    const first = recyclarrPreseed(config(), {}, dir);
    expect(first.changes).toEqual([
      expect.objectContaining({ kind: 'write', path: join(dir, 'recyclarr.yml'), mode: 0o644, owner: { uid: 1000, gid: 1000 } }),
    ]);
    const change = first.changes[0]!;
    if (change.kind === 'write') writeFileSync(change.path, change.content);
    expect(recyclarrPreseed(config(), {}, dir).changes).toEqual([]);
    expect(recyclarrPreseed(config({ qualityProfile: 'uhd' }), {}, dir).changes).toHaveLength(1);
    expect(readFileSync(join(dir, 'recyclarr.yml'), 'utf8')).toContain('hd-bluray-web');
  });
});

describe('Recyclarr in the stack', () => {
  test('on by default with hd; off with --quality-profile none; the compose file hands it only the keys as ${VAR}', () => {
    const answers = defaultAnswers('/srv/plexarr', HOST);
    const hd = buildConfig(answers);
    const none = buildConfig({ ...answers, qualityProfile: 'none' });
    expect(hd.ok && hd.config.services.recyclarr.enabled).toBe(true);
    expect(none.ok && none.config.services.recyclarr.enabled).toBe(false);
    const rendered = renderStack(config(), FIXTURE_SECRETS);
    expect(rendered.compose.services.recyclarr?.environment).toEqual({
      TZ: 'Europe/Berlin',
      RADARR_API_KEY: '${RADARR_API_KEY}',
      SONARR_API_KEY: '${SONARR_API_KEY}',
    });
  });

  test('recyclarr without Radarr and Sonarr is refused, naming the services', () => {
    const built = buildConfig({ ...defaultAnswers('/srv/plexarr', HOST), services: ['plex', 'recyclarr'] });
    expect(built.ok ? [] : built.issues).toEqual([
      {
        path: ['services'],
        message: 'recyclarr needs radarr or sonarr; enable one of them too or drop recyclarr',
        value: ['plex', 'recyclarr'],
      },
    ]);
  });
});

describe('recyclarr sync', () => {
  const composeFile = '/srv/plexarr/generated-config/docker-compose.yml';
  const VERSION = { command: 'docker compose version --short', stdout: '2.29.1' };
  const SYNC = 'docker compose -p plexarr -f /srv/plexarr/generated-config/docker-compose.yml exec -T recyclarr recyclarr sync';

  test('runs `docker compose exec -T recyclarr recyclarr sync` in the compose directory', async () => {
    const docker = stubExec([VERSION, { command: SYNC, stdout: 'Completed' }]);
    await createRecyclarrClient({ exec: docker.exec, composeFile }).sync();
    expect(docker.calls.map((c) => c.command)).toEqual(['docker compose version --short', SYNC]);
    expect(docker.calls[1]?.opts?.cwd).toBe('/srv/plexarr/generated-config');
  });

  test('on Swarm: `docker exec` in the running recyclarr task, and a task on another node is named', async () => {
    const PS = 'docker ps -q --filter label=com.docker.swarm.service.name=plexarr_recyclarr --filter status=running';
    const docker = stubExec([
      { command: PS, stdout: '4f2a9c\n' },
      { command: 'docker exec 4f2a9c recyclarr sync', stdout: 'Completed' },
    ]);
    await createRecyclarrClient({ exec: docker.exec, composeFile, swarm: true }).sync();
    expect(docker.calls.map((c) => c.command)).toEqual([PS, 'docker exec 4f2a9c recyclarr sync']);

    const elsewhere = stubExec([{ command: PS, stdout: '' }]);
    await expect(createRecyclarrClient({ exec: elsewhere.exec, composeFile, swarm: true }).sync()).rejects.toThrow(
      'plexarr_recyclarr has no running task on this node; run plexarr on the node where it runs (`docker service ps plexarr_recyclarr` names it).',
    );
  });

  test('the hookup syncs once per recyclarr.yml, and a failure says why and is not retried', async () => {
    const calls: string[] = [];
    let fail = true;
    const clients = {
      recyclarr: {
        sync: async () => {
          calls.push('sync');
          if (fail) throw new Error('recyclarr sync failed (exit 1): Unable to clone https://github.com/TRaSH-Guides/Guides');
        },
      },
    } as unknown as Clients;
    const ctx = {
      config: config(),
      secrets: FIXTURE_SECRETS,
      clients,
      applied: memoryApplied(),
      dryRun: false,
      signal: new AbortController().signal,
      log: () => undefined,
    };
    const hookup = recyclarrSyncHookup();
    const plan = await hookup.plan(ctx);
    expect(plan).toEqual([{ kind: 'update', target: 'Recyclarr sync of the HD profile', fields: ['recyclarr sync'] }]);
    const error = await hookup.apply(ctx, plan).then(
      () => undefined,
      (e: unknown) => e as Error & { transient?: boolean },
    );
    expect(error?.message).toMatch(/Unable to clone .*\n.*internet access/);
    expect(error?.transient).toBe(false);
    fail = false;
    await hookup.apply(ctx, await hookup.plan(ctx));
    expect((await hookup.plan(ctx))[0]?.kind).toBe('unchanged');
    expect((await hookup.plan({ ...ctx, config: config({ qualityProfile: 'uhd' }) }))[0]?.kind).toBe('update');
    expect(calls).toEqual(['sync', 'sync']);
  });
});
