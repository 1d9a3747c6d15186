import { describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBackup, type ArchiveDeps } from '../../src/commands/backup.js';
import { runDeploy, type DeployDeps } from '../../src/commands/deploy.js';
import { runRestore } from '../../src/commands/restore.js';
import { realExec, type Exec } from '../../src/docker/exec.js';
import { memoryLogger } from '../../src/ui/logger.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { FIXTURE_SECRETS } from './compose-fixtures.js';
import { stubExec } from './docker-stub.js';
import { LOCAL_TASKS, localContainers, PS, seedSwarmHome, taskLine } from './swarm-helpers.js';

const temp = useTempDirs('plexarr-swarm-backup-');
const ALL_TASKS = 'docker stack ps plexarr --no-trunc --format {{json .}}';
const SCALE_DOWN = 'docker service scale --detach plexarr_radarr=0 plexarr_sonarr=0';
const SCALE_UP = 'docker service scale --detach plexarr_radarr=1 plexarr_sonarr=1';

function archiveDeps(exec: Exec): { deps: ArchiveDeps; log: ReturnType<typeof memoryLogger> } {
  const log = memoryLogger();
  const deps: ArchiveDeps = {
    exec,
    log,
    stderr: { write: () => true },
    env: {},
    interactive: false,
    askPassphrase: async () => {
      throw new Error('not asked in this test');
    },
    now: () => Date.parse('2026-11-29T12:00:00Z'),
  };
  return { deps, log };
}

/**
 * A running two-service stack: scaling to 0 leaves the tasks `Running` for two polls, then
 * `Shutdown`, as Swarm stops them one by one. tar is the real program; `order` says when each ran.
 */
function runningSwarm() {
  let scaledDown = false;
  let polls = 0;
  const order: string[] = [];
  const stub = stubExec([
    { command: PS, stdout: [taskLine('radarr', 'r1', 'Running'), taskLine('sonarr', 's1', 'Running')].join('\n') },
    { command: LOCAL_TASKS, stdout: 'c-radarr\nc-sonarr' },
    {
      command: 'docker inspect --type container c-radarr c-sonarr',
      stdout: localContainers({ radarr: 'sha256:radarr-1', sonarr: 'sha256:sonarr-1' }),
    },
    { command: SCALE_DOWN, reply: () => ((scaledDown = true), {}) },
    {
      command: ALL_TASKS,
      reply: () => ({
        stdout: ['radarr', 'sonarr'].map((s) => taskLine(s, `${s}1`, scaledDown && ++polls > 4 ? 'Shutdown' : 'Running')).join('\n'),
      }),
    },
    { command: SCALE_UP, reply: () => ((scaledDown = false), {}) },
  ]);
  const exec: Exec = async (file, args, opts) => {
    if (file === 'tar') {
      order.push(`tar ${args.includes('--create') ? 'create' : 'extract'}`);
      return realExec(file, args, opts);
    }
    const r = await stub.exec(file, args, opts);
    const line = [file, ...args].join(' ');
    order.push(line === ALL_TASKS ? `stack ps: ${scaledDown && polls > 4 ? 'stopped' : 'running'}` : line);
    return r;
  };
  return { exec, order };
}

describe('plexarr backup and restore on swarm', () => {
  it('scales the running services to 0, copies once every task has stopped, scales them back to 1', async () => {
    const { home, config } = seedSwarmHome(temp.make(), ['radarr', 'sonarr']);
    mkdirSync(join(config.configRoot, 'radarr'), { recursive: true });
    writeFileSync(join(config.configRoot, 'radarr', 'config.xml'), `<Config><ApiKey>${FIXTURE_SECRETS.RADARR_API_KEY}</ApiKey></Config>`);
    const output = join(temp.make(), 'stack.tar.gz');
    const s = runningSwarm();
    const { deps, log } = archiveDeps(s.exec);
    expect(await runBackup({ home, output, json: true }, deps)).toBe(0);
    const report = JSON.parse(log.lines.join('\n')) as { paused: string[] };
    expect(report.paused).toEqual(['radarr', 'sonarr']);
    const from = s.order.indexOf(SCALE_DOWN);
    expect(s.order.slice(from)).toEqual([
      SCALE_DOWN,
      'stack ps: running',
      'stack ps: running',
      'stack ps: stopped',
      'tar create',
      SCALE_UP,
    ]);
    expect(s.order.some((c) => c.includes('compose'))).toBe(false);
    const manifest = JSON.parse((await realExec('tar', ['-xzOf', output, 'manifest.json'])).stdout) as { images: Record<string, string> };
    expect(manifest.images).toEqual({ radarr: 'sha256:radarr-1', sonarr: 'sha256:sonarr-1' });
  });

  it('restore into a fresh home, then deploy: docker stack deploy with the same keys and the same app config', async () => {
    const { home, config } = seedSwarmHome(temp.make(), ['radarr', 'sonarr']);
    mkdirSync(join(config.configRoot, 'radarr'), { recursive: true });
    const xml = `<Config><ApiKey>${FIXTURE_SECRETS.RADARR_API_KEY}</ApiKey></Config>`;
    writeFileSync(join(config.configRoot, 'radarr', 'config.xml'), xml);
    const output = join(temp.make(), 'stack.tar.gz');
    expect(await runBackup({ home, output }, archiveDeps(runningSwarm().exec).deps)).toBe(0);
    // The host is lost: the home and the config root go; the config root is the same shared path again.
    rmSync(home, { recursive: true, force: true });
    expect(await runRestore({ home, file: output }, archiveDeps(realExec).deps)).toBe(0);
    expect(readFileSync(join(config.configRoot, 'radarr', 'config.xml'), 'utf8')).toBe(xml);

    const stackFile = join(home, 'generated-config/docker-compose.yml');
    let deployed = false;
    const stub = stubExec([
      {
        command: 'docker info --format {{json .}}',
        stdout: JSON.stringify({
          ServerVersion: '28.2.2',
          DockerRootDir: '/var/lib/docker',
          Swarm: { LocalNodeState: 'active', ControlAvailable: true, NodeID: 'n1' },
        }),
      },
      {
        command: `docker stack config -c ${stackFile}`,
        stdout:
          'version: "3.9"\nservices:\n  radarr:\n    image: lscr.io/linuxserver/radarr:latest\n  sonarr:\n    image: lscr.io/linuxserver/sonarr:latest\n',
      },
      { command: `docker stack deploy --prune --resolve-image never -c ${stackFile} plexarr`, reply: () => ((deployed = true), {}) },
      {
        command: PS,
        reply: () => ({ stdout: deployed ? [taskLine('radarr', 'r1', 'Running'), taskLine('sonarr', 's1', 'Running')].join('\n') : '' }),
      },
    ]);
    const deps: DeployDeps = {
      exec: stub.exec,
      log: memoryLogger(),
      now: () => Date.now(),
      sleep: async () => undefined,
      isPortFree: async () => true,
      fetchClaim: async () => 'unused',
      coordinate: async () => 0,
      stderr: { write: () => true },
      tcpOpen: async () => true,
    };
    expect(await runDeploy({ home }, deps)).toBe(0);
    const call = stub.calls.find((c) => c.command.startsWith('docker stack deploy'));
    expect(call?.opts?.env).toMatchObject({
      RADARR_API_KEY: FIXTURE_SECRETS.RADARR_API_KEY,
      SONARR_API_KEY: FIXTURE_SECRETS.SONARR_API_KEY,
    });
  });
});
