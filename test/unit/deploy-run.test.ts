import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDeploy, type DeployDeps } from '../../src/commands/deploy.js';
import { runDown } from '../../src/commands/down.js';
import type { Secrets, StackConfig } from '../../src/config/schema.js';
import { UsageError, WorkError } from '../../src/errors.js';
import { openState } from '../../src/state/db.js';
import { listDeployments, type Deployment } from '../../src/state/deployments.js';
import { getSecrets } from '../../src/state/secrets.js';
import { memoryLogger } from '../../src/ui/logger.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { FIXTURE_SECRETS, fixtureConfig } from './compose-fixtures.js';
import { stubExec, type StubRow } from './docker-stub.js';
import { saveStack } from '../helpers/stack-home.js';

const temp = useTempDirs('plexarr-deploy-run-');
const SERVICES = ['plex', 'radarr', 'nzbget'] as const;

function seedHome(secrets: Secrets = { ...FIXTURE_SECRETS, PLEX_TOKEN: undefined, PLEX_CLAIM: undefined }): {
  home: string;
  config: StackConfig;
  composeFile: string;
} {
  const home = temp.make();
  const config = fixtureConfig([...SERVICES], {
    mediaRoot: join(home, 'media'),
    configRoot: join(home, 'appdata'),
    puid: 4242,
    pgid: 4343,
  });
  saveStack(home, config, secrets);
  return { home, config, composeFile: join(home, 'generated-config/docker-compose.yml') };
}

function inspect(name: string, status: string, health: string) {
  const log =
    health === 'healthy'
      ? [{ End: new Date(Date.now() - 50).toISOString(), ExitCode: 0, Output: 'ok' }]
      : [{ End: new Date().toISOString(), ExitCode: 7, Output: 'curl: (7) Failed to connect' }];
  return {
    Id: `${name}-id`,
    Name: `/${name}`,
    State: { Status: status, Health: { Status: health, Log: log } },
    Config: { Labels: {} },
    NetworkSettings: { Ports: {} },
  };
}

function engineRows(composeFile: string, opts: { up?: Partial<StubRow>; health?: () => string } = {}): StubRow[] {
  const pre = `docker compose -p plexarr -f ${composeFile}`;
  return [
    { command: 'docker info --format {{json .}}', stdout: JSON.stringify({ ServerVersion: '27.3.1', DockerRootDir: '/var/lib/docker' }) },
    { command: 'docker compose version --short', stdout: '2.29.1' },
    {
      command: `${pre} config`,
      stdout: `services:\n${SERVICES.map((s) => `  ${s}:\n    image: lscr.io/linuxserver/${s}:latest\n`).join('')}`,
    },
    { command: `${pre} up -d --remove-orphans`, ...opts.up },
    {
      command: `docker inspect --type container ${SERVICES.join(' ')}`,
      reply: () => ({ stdout: JSON.stringify(SERVICES.map((s) => inspect(s, 'running', opts.health?.() ?? 'healthy'))) }),
    },
    {
      command: `${pre} ps --all --format json`,
      stdout: JSON.stringify(SERVICES.map((s) => ({ Name: s, Service: s, State: 'running', Health: 'healthy', Publishers: [] }))),
    },
    { command: `${pre} down` },
  ];
}

function deps(rows: StubRow[], extra: Partial<DeployDeps> = {}) {
  const stub = stubExec(rows);
  const log = memoryLogger();
  const stderr: string[] = [];
  const coordinateCalls: { at: number; opts: unknown }[] = [];
  const d: DeployDeps = {
    exec: stub.exec,
    log,
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    isPortFree: async () => true,
    fetchClaim: async () => 'claim-freshFromPlexTv',
    coordinate: async (opts) => {
      coordinateCalls.push({ at: Date.now(), opts });
      return 0;
    },
    stderr: { write: (t: string | Uint8Array) => stderr.push(String(t)) > 0 },
    ...extra,
  };
  return { deps: d, stub, log, stderr, coordinateCalls };
}

function deployments(home: string): Deployment[] {
  const state = openState(home);
  try {
    return listDeployments(state.db);
  } finally {
    state.close();
  }
}

describe('runDeploy', () => {
  it('prepares folders, starts the stack, waits until healthy, coordinates and records it', async () => {
    const { home, composeFile } = seedHome();
    const t = deps(engineRows(composeFile));
    expect(await runDeploy({ home, json: true }, t.deps)).toBe(0);

    const report = JSON.parse(t.log.lines.join('\n'));
    expect(report).toMatchObject({
      ok: true,
      dryRun: false,
      compose: { kind: 'v2', version: '2.29.1' },
      engineVersion: '27.3.1',
      coordinateExitCode: 0,
    });
    expect(report.images).toEqual([
      'lscr.io/linuxserver/nzbget:latest',
      'lscr.io/linuxserver/plex:latest',
      'lscr.io/linuxserver/radarr:latest',
    ]);
    expect(report.changes).toContain(`create folder ${join(home, 'appdata/radarr')}, owner 4242:4343`);
    expect(existsSync(join(home, 'media/downloads/incomplete'))).toBe(true);
    // Coordinate gets the containers the health wait saw healthy, so it need not ask Docker again.
    const running = SERVICES.map((s) => ({ service: s, name: s, state: 'running', health: 'healthy', publishedPorts: [] }));
    expect(t.coordinateCalls).toEqual([{ at: expect.any(Number), opts: { home, host: '127.0.0.1', json: true, running } }]);
    expect(report.timings.healthyToCoordinate).toBeLessThan(1000);
    expect(t.stderr.join('')).toMatch(/✔ radarr healthy/);

    const [row] = deployments(home);
    expect(row).toMatchObject({
      outcome: 'succeeded',
      phase: 'done',
      configId: 1,
      composeHash: report.composeHash,
      images: report.images,
      error: null,
    });
    expect(Object.keys(row?.timings ?? {})).toEqual(
      expect.arrayContaining([
        'prerequisites',
        'folders',
        'preseed',
        'claim',
        'up',
        'health',
        'coordinate',
        'total',
        'healthyToCoordinate',
      ]),
    );
  });

  it('changes no files when run again', async () => {
    const { home, composeFile } = seedHome();
    await runDeploy({ home, json: true }, deps(engineRows(composeFile)).deps);
    const again = deps(engineRows(composeFile));
    expect(await runDeploy({ home, json: true }, again.deps)).toBe(0);
    expect(JSON.parse(again.log.lines.join('\n')).changes).toEqual([]);
    expect(deployments(home).map((d) => d.outcome)).toEqual(['succeeded', 'succeeded']);
  });

  it('--dry-run prints the commands and changes, and changes nothing', async () => {
    const { home, composeFile } = seedHome();
    const t = deps(engineRows(composeFile));
    expect(await runDeploy({ home, dryRun: true }, t.deps)).toBe(0);
    const text = t.log.lines.join('\n');
    expect(text).toContain(`create folder ${join(home, 'media/media/movies')}, owner 4242:4343`);
    expect(text).toContain(`docker compose -p plexarr -f ${composeFile} up -d --remove-orphans`);
    expect(t.stub.calls.map((c) => c.command).filter((c) => / up | inspect /.test(c))).toEqual([]);
    expect(existsSync(join(home, 'media'))).toBe(false);
    expect(deployments(home)).toEqual([]);
    expect(t.coordinateCalls).toEqual([]);
  });

  it('leaves a clear message and a failed record when up fails', async () => {
    const { home, composeFile } = seedHome();
    const t = deps(
      engineRows(composeFile, {
        up: { exitCode: 1, stderr: 'Error response from daemon: Bind for 0.0.0.0:7878 failed: port is already allocated' },
      }),
    );
    const err = await runDeploy({ home }, t.deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkError);
    expect((err as Error).message).toMatch(/docker compose up failed \(exit 1\).*\n.*port is already allocated/);
    expect(deployments(home)[0]).toMatchObject({
      outcome: 'failed',
      phase: 'up',
      error: expect.stringMatching(/port is already allocated/),
    });
    expect(t.coordinateCalls).toEqual([]);
    // The folders made before the failure stay; running deploy again continues from there.
    expect(await runDeploy({ home, json: true }, deps(engineRows(composeFile)).deps)).toBe(0);
  });

  it('masks secrets that compose echoes back', async () => {
    const { home, composeFile } = seedHome();
    const t = deps(
      engineRows(composeFile, { up: { exitCode: 1, stderr: `invalid value RADARR__AUTH__APIKEY=${FIXTURE_SECRETS.RADARR_API_KEY}` } }),
    );
    const err = (await runDeploy({ home }, t.deps).catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('RADARR__AUTH__APIKEY=********');
    expect(err.message).not.toContain(FIXTURE_SECRETS.RADARR_API_KEY);
    expect(deployments(home)[0]?.error).not.toContain(FIXTURE_SECRETS.RADARR_API_KEY);
  });

  it('names every missing prerequisite at once', async () => {
    const { home } = seedHome();
    const t = deps([
      {
        command: 'docker info --format {{json .}}',
        exitCode: 1,
        stdout: JSON.stringify({ ServerErrors: ['Cannot connect to the Docker daemon'] }),
      },
      { command: 'docker compose version --short', exitCode: 1, stderr: 'unknown command' },
      { command: 'docker-compose version --short', exitCode: 127 },
    ]);
    const err = (await runDeploy({ home }, t.deps).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(
      /Deploy cannot start:\n {2}- Docker: the Docker engine is not reachable \(Cannot connect.*\n {2}- Docker Compose is missing/,
    );
    expect(deployments(home)[0]).toMatchObject({ outcome: 'failed', phase: 'prerequisites' });
  });

  it('refuses a port held by another program, not one held by this stack', async () => {
    const { home, composeFile } = seedHome();
    const rows = [
      ...engineRows(composeFile),
      { command: 'docker ps -q --no-trunc --filter label=com.docker.compose.project=plexarr', stdout: '' },
    ];
    const t = deps(rows, { isPortFree: async (port) => port !== 7878 });
    await expect(runDeploy({ home }, t.deps)).rejects.toThrow(/Ports: in use by another program: 7878\/tcp \(radarr web\)/);
  });

  it('says which service is not healthy and where its logs are', async () => {
    const { home, composeFile } = seedHome();
    const t = deps(engineRows(composeFile, { health: () => 'starting' }));
    const err = (await runDeploy({ home, timeout: 1 }, t.deps).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^Not healthy after 1 s:\n/);
    expect(err.message).toContain(
      '  Radarr (radarr): running, health starting, last check: curl: (7) Failed to connect — see `docker logs radarr`',
    );
    expect(deployments(home)[0]).toMatchObject({ outcome: 'failed', phase: 'health' });
  });

  it('masks secrets in its messages but not the NZBGet user name, which also names the container', async () => {
    const { home, composeFile } = seedHome({ ...FIXTURE_SECRETS, NZBGET_USER: 'nzbget', PLEX_TOKEN: undefined, PLEX_CLAIM: undefined });
    const t = deps(engineRows(composeFile, { health: () => 'starting' }));
    const err = (await runDeploy({ home, timeout: 1 }, t.deps).catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('  NZBGet (nzbget): running, health starting');
    expect(err.message).not.toContain('********');
    expect(deployments(home)[0]?.error).toContain('NZBGet (nzbget)');
  });

  it('--no-coordinate stops once the stack is healthy', async () => {
    const { home, composeFile } = seedHome();
    const t = deps(engineRows(composeFile));
    expect(await runDeploy({ home, coordinate: false }, t.deps)).toBe(0);
    expect(t.coordinateCalls).toEqual([]);
    expect(t.log.lines.join('\n')).toMatch(/Deployment #1 in .* \(compose up .* s, health wait .* s\)/);
  });

  it('reports coordinate failures through the exit code and the record', async () => {
    const { home, composeFile } = seedHome();
    const t = deps(engineRows(composeFile), { coordinate: async () => 1 });
    expect(await runDeploy({ home }, t.deps)).toBe(1);
    expect(deployments(home)[0]).toMatchObject({
      outcome: 'failed',
      phase: 'coordinate',
      error: expect.stringMatching(/coordinate --retry/),
    });
  });

  it('fetches a Plex claim right before up and writes it into .env', async () => {
    const { home, composeFile } = seedHome({ ...FIXTURE_SECRETS, PLEX_CLAIM: undefined });
    const order: string[] = [];
    const rows = engineRows(composeFile);
    const t = deps(rows, {
      fetchClaim: async (token) => {
        order.push(`claim:${token}`);
        return 'claim-freshFromPlexTv';
      },
    });
    const exec = t.deps.exec;
    t.deps.exec = async (file, args, opts) => {
      if (args.includes('up')) order.push('up');
      return exec(file, args, opts);
    };
    expect(await runDeploy({ home }, t.deps)).toBe(0);
    expect(order).toEqual([`claim:${FIXTURE_SECRETS.PLEX_TOKEN}`, 'up']);
    const env = readFileSync(join(home, 'generated-config/.env'), 'utf8');
    expect(env).toMatch(/^PLEX_CLAIM=claim-freshFromPlexTv$/m);
    const state = openState(home);
    expect(getSecrets(state.db).PLEX_CLAIM).toBe('claim-freshFromPlexTv');
    state.close();
  });

  it('goes on unclaimed when plex.tv refuses, without printing the token', async () => {
    const { home, composeFile } = seedHome({ ...FIXTURE_SECRETS, PLEX_CLAIM: undefined });
    const t = deps(engineRows(composeFile), {
      fetchClaim: async (token) => {
        throw new Error(`plex.tv answered HTTP 401 for ${token}`);
      },
    });
    expect(await runDeploy({ home }, t.deps)).toBe(0);
    const text = t.log.lines.join('\n');
    expect(text).toMatch(/Could not get a Plex claim token .*HTTP 401/);
    expect(text).not.toContain(FIXTURE_SECRETS.PLEX_TOKEN);
  });

  it('asks for init first', async () => {
    await expect(runDeploy({ home: temp.make() }, deps([]).deps)).rejects.toBeInstanceOf(UsageError);
  });
});

describe('runDown', () => {
  it('runs compose down and keeps every file', async () => {
    const { home, composeFile } = seedHome();
    const t = deps(engineRows(composeFile));
    expect(await runDown({ home }, { exec: t.deps.exec, log: t.log })).toBe(0);
    expect(t.stub.calls.map((c) => c.command)).toContain(`docker compose -p plexarr -f ${composeFile} down`);
    expect(t.log.lines.join('\n')).toMatch(/Stopped 3 containers \(nzbget, plex, radarr\)\. All data and configuration are kept/);
    expect(existsSync(join(home, 'plexarr.db'))).toBe(true);
    expect(existsSync(composeFile)).toBe(true);
  });
});
