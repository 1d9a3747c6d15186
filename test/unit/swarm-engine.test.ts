import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { runDeploy, type DeployDeps } from '../../src/commands/deploy.js';
import { runDown } from '../../src/commands/down.js';
import { collectStatus, statusOptionsSchema } from '../../src/commands/status.js';
import { stackState } from '../../src/coordinate/stack.js';
import type { Secrets, StackConfig } from '../../src/config/schema.js';
import { WorkError } from '../../src/errors.js';
import { memoryLogger } from '../../src/ui/logger.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { FIXTURE_SECRETS, fixtureConfig } from './compose-fixtures.js';
import { stubExec, type StubRow } from './docker-stub.js';
import { saveStack } from '../helpers/stack-home.js';

const temp = useTempDirs('plexarr-swarm-engine-');
const SERVICES = ['plex', 'radarr', 'nzbget'] as const;
const SECRETS: Secrets = { ...FIXTURE_SECRETS, PLEX_TOKEN: undefined, PLEX_CLAIM: undefined };
const PS = 'docker stack ps plexarr --no-trunc --filter desired-state=running --format {{json .}}';

function seedHome(): { home: string; config: StackConfig; stackFile: string } {
  const home = temp.make();
  const config = fixtureConfig([...SERVICES], {
    mediaRoot: join(home, 'media'),
    configRoot: join(home, 'appdata'),
    puid: 4242,
    pgid: 4343,
    engine: 'swarm',
    placements: { plex: ['node.labels.gpu==true'] },
  });
  saveStack(home, config, SECRETS);
  return { home, config, stackFile: join(home, 'generated-config/docker-compose.yml') };
}

/** One line of `docker stack ps --format '{{json .}}'`, as Docker 28 prints it. */
function task(service: string, state: string, extra: { error?: string; node?: string; port?: number } = {}): string {
  return JSON.stringify({
    CurrentState: `${state} 3 seconds ago`,
    DesiredState: 'Running',
    Error: extra.error ?? '',
    ID: `${service}taskid`,
    Image: `lscr.io/linuxserver/${service}:latest`,
    Name: `plexarr_${service}.1`,
    Node: extra.node ?? 'box1',
    Ports: extra.port ? `*:${extra.port}->${extra.port}/tcp` : '',
  });
}

const info = (swarm: Record<string, unknown>) => ({
  command: 'docker info --format {{json .}}',
  stdout: JSON.stringify({ ServerVersion: '28.2.2', DockerRootDir: '/var/lib/docker', Swarm: swarm }),
});
const MANAGER = { LocalNodeState: 'active', ControlAvailable: true, NodeID: 'n1' };

function swarmRows(stackFile: string, ps: () => string[]): StubRow[] {
  return [
    info(MANAGER),
    {
      command: `docker stack config -c ${stackFile}`,
      stdout: `version: "3.9"\nservices:\n${SERVICES.map((s) => `  ${s}:\n    image: lscr.io/linuxserver/${s}:latest\n`).join('')}`,
    },
    { command: `docker stack deploy --prune --resolve-image never -c ${stackFile} plexarr`, stdout: 'Creating network plexarr_default' },
    { command: PS, reply: () => ({ stdout: ps().join('\n') }) },
  ];
}

function deployDeps(rows: StubRow[]) {
  const stub = stubExec(rows);
  const log = memoryLogger();
  const stderr: string[] = [];
  let coordinated = 0;
  const d: DeployDeps = {
    exec: stub.exec,
    log,
    now: () => Date.now(),
    sleep: async () => {},
    isPortFree: async () => true,
    fetchClaim: async () => 'unused',
    coordinate: async () => (coordinated++, 0),
    stderr: { write: (t: string | Uint8Array) => stderr.push(String(t)) > 0 },
  };
  return { deps: d, stub, log, stderr, coordinated: () => coordinated };
}

describe('deploy on swarm', () => {
  it('runs docker stack deploy with .env in the child environment, waits for the tasks to turn healthy, then coordinates', async () => {
    const { home, stackFile } = seedHome();
    let polls = 0;
    const t = deployDeps(
      swarmRows(stackFile, () =>
        polls++ < 2
          ? [
              task('plex', 'Pending', { error: 'no suitable node (scheduling constraints not satisfied on 1 node)', node: '' }),
              task('radarr', 'Starting'),
              task('nzbget', 'Running'),
            ]
          : SERVICES.map((s) => task(s, 'Running')),
      ),
    );
    expect(await runDeploy({ home, json: true }, t.deps)).toBe(0);
    const report = JSON.parse(t.log.lines.join('\n'));
    expect(report).toMatchObject({ ok: true, compose: { kind: 'swarm' }, engineVersion: '28.2.2', coordinateExitCode: 0 });
    expect(report.commands).toEqual([`docker stack deploy --prune --resolve-image never -c ${stackFile} plexarr`]);
    const deploy = t.stub.calls.find((c) => c.command.startsWith('docker stack deploy'));
    expect(deploy?.opts?.env).toMatchObject({ RADARR_API_KEY: FIXTURE_SECRETS.RADARR_API_KEY, NZBGET_PASS: FIXTURE_SECRETS.NZBGET_PASS });
    for (const c of t.stub.calls) for (const secret of Object.values(FIXTURE_SECRETS)) expect(c.command).not.toContain(secret);
    expect(t.stub.calls.some((c) => c.command.startsWith('docker compose'))).toBe(false);
    // Swarm's own reason for a pending task is what the user sees while waiting.
    expect(t.stderr.join('')).toContain(
      '… plex starting: pending, health starting, last check: no suitable node (scheduling constraints not satisfied on 1 node)\n',
    );
    expect(t.stderr.join('')).toMatch(/✔ plex healthy/);
    expect(t.coordinated()).toBe(1);
  });

  it('a task Swarm cannot place times out naming its reason and docker service logs', async () => {
    const { home, stackFile } = seedHome();
    const t = deployDeps(
      swarmRows(stackFile, () => [
        task('plex', 'Pending', { error: 'no suitable node (scheduling constraints not satisfied on 1 node)', node: '' }),
        task('radarr', 'Running'),
        task('nzbget', 'Running'),
      ]),
    );
    let clock = 0;
    t.deps.now = () => (clock += 1000);
    const err = await runDeploy({ home, timeout: '5' }, t.deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkError);
    expect((err as Error).message).toContain(
      'Plex (plex): pending, health starting, last check: no suitable node (scheduling constraints not satisfied on 1 node) — see `docker service logs plexarr_plex`',
    );
    expect(t.coordinated()).toBe(0);
  });

  it('refuses to start on a worker or outside a swarm, naming what to do', async () => {
    const { home, stackFile } = seedHome();
    for (const [swarm, words] of [
      [{ LocalNodeState: 'active', ControlAvailable: false }, 'this engine is a worker; run plexarr on a manager node'],
      [{ LocalNodeState: 'inactive', ControlAvailable: false }, 'Create one with `docker swarm init`'],
    ] as const) {
      const rows = swarmRows(stackFile, () => []);
      rows[0] = info(swarm);
      const t = deployDeps(rows);
      const err = await runDeploy({ home }, t.deps).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkError);
      expect((err as Error).message).toContain(words);
      expect(t.stub.calls.some((c) => c.command.startsWith('docker stack deploy'))).toBe(false);
    }
  });
});

describe('status, coordinate and down on swarm', () => {
  it('status rows come from the tasks: running is healthy, starting is not yet, pending is not up', async () => {
    const { home } = seedHome();
    const stub = stubExec([
      info(MANAGER),
      {
        command: PS,
        stdout: [
          task('plex', 'Pending', { error: 'no suitable node' }),
          task('radarr', 'Running', { port: 7878 }),
          task('nzbget', 'Starting', { node: 'box2' }),
        ].join('\n'),
      },
    ]);
    const report = await collectStatus(statusOptionsSchema.parse({ home }), {
      exec: stub.exec,
      hookups: async () => [],
      clients: async () => ({}),
    });
    expect(report.compose).toEqual({ kind: 'swarm', version: '' });
    const rows = Object.fromEntries(report.services.map((s) => [s.service, { state: s.state, health: s.health, up: s.up, node: s.node }]));
    expect(rows.radarr).toMatchObject({ state: 'running', health: 'healthy', up: true, node: 'box1' });
    expect(rows.nzbget).toMatchObject({ state: 'running', health: 'starting', up: false, node: 'box2' });
    expect(rows.plex).toMatchObject({ state: 'pending', up: false });
    expect(report.ok).toBe(false);
  });

  it("coordinate's running check reads the tasks", async () => {
    const { config, stackFile } = seedHome();
    const up = stubExec([info(MANAGER), { command: PS, stdout: SERVICES.map((s) => task(s, 'Running')).join('\n') }]);
    expect(await stackState(up.exec, stackFile, config)).toMatchObject({ state: 'up' });
    const none = stubExec([info(MANAGER), { command: PS, exitCode: 1, stderr: 'nothing found in stack: plexarr' }]);
    expect(await stackState(none.exec, stackFile, config)).toEqual({ state: 'down', why: 'Docker has no plexarr containers' });
    expect([...up.calls, ...none.calls].some((c) => c.command.includes('compose'))).toBe(false);
  });

  it('down runs docker stack rm, waits until the tasks and the network are gone, and keeps every file', async () => {
    const { home } = seedHome();
    let checks = 0;
    const stub = stubExec([
      info(MANAGER),
      { command: PS, stdout: SERVICES.map((s) => task(s, 'Running')).join('\n') },
      { command: 'docker stack rm plexarr', stdout: 'Removing service plexarr_plex' },
      {
        command: 'docker ps -aq --filter label=com.docker.stack.namespace=plexarr',
        reply: () => ({ stdout: checks++ < 2 ? 'abc123' : '' }),
      },
      { command: 'docker network ls -q --filter name=^plexarr_default$', stdout: '' },
    ]);
    const log = memoryLogger();
    expect(await runDown({ home, json: true }, { exec: stub.exec, log, sleep: async () => {} })).toBe(0);
    expect(JSON.parse(log.lines.join('\n'))).toEqual({
      ok: true,
      command: ['docker', 'stack', 'rm', 'plexarr'],
      stopped: ['plexarr_nzbget.1', 'plexarr_plex.1', 'plexarr_radarr.1'],
      kept: 'all files and volumes',
    });
    expect(checks).toBe(3);
    expect(stub.calls.some((c) => c.command.includes('compose'))).toBe(false);
  });
});
