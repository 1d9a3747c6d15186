import { describe, expect, it } from '@jest/globals';
import { composePs, composeUp, detectCompose, imageList, parsePsV2, stackPorts, type Compose } from '../../src/docker/compose.js';
import { dockerInfo, readiness } from '../../src/docker/docker.js';
import { commandLine, realExec } from '../../src/docker/exec.js';
import { WorkError } from '../../src/errors.js';
import { stubExec } from './docker-stub.js';

const V2: Compose = { kind: 'v2', version: '2.29.1', command: ['docker', 'compose'] };
const V1: Compose = { kind: 'v1', version: '1.29.2', command: ['docker-compose'] };
const FILE = '/home/u/plexarr/generated-config/docker-compose.yml';
const PRE = `-p plexarr -f ${FILE}`;

const radarrV2 = {
  ID: 'aaa',
  Name: 'radarr',
  Image: 'lscr.io/linuxserver/radarr:latest',
  Project: 'plexarr',
  Service: 'radarr',
  State: 'running',
  Status: 'Up 2 minutes (healthy)',
  Health: 'healthy',
  ExitCode: 0,
  Publishers: [
    { URL: '0.0.0.0', TargetPort: 7878, PublishedPort: 7878, Protocol: 'tcp' },
    { URL: '::', TargetPort: 7878, PublishedPort: 7878, Protocol: 'tcp' },
  ],
};
const maintainerrV2 = {
  ID: 'bbb',
  Name: 'maintainerr',
  Project: 'plexarr',
  Service: 'maintainerr',
  State: 'running',
  Health: 'starting',
  Publishers: [{ URL: '0.0.0.0', TargetPort: 6246, PublishedPort: 6246, Protocol: 'tcp' }],
};
const wireguardV2 = {
  ID: 'ccc',
  Name: 'wireguard',
  Project: 'plexarr',
  Service: 'wireguard',
  State: 'exited',
  Health: '',
  ExitCode: 1,
  Publishers: [{ URL: '', TargetPort: 51820, PublishedPort: 0, Protocol: 'udp' }],
};

function inspectOf(
  name: string,
  status: string,
  health: string | undefined,
  ports: Record<string, { HostIp: string; HostPort: string }[] | null>,
) {
  return {
    Id: `${name}-id`,
    Name: `/${name}`,
    State: { Status: status, Running: status === 'running', ...(health ? { Health: { Status: health, Log: [] } } : {}) },
    Config: { Image: 'x', Labels: { 'com.docker.compose.project': 'plexarr', 'com.docker.compose.service': name } },
    NetworkSettings: { Ports: ports, Networks: { plexarr_default: {} } },
  };
}

describe('detectCompose', () => {
  it('prefers the v2 plugin', async () => {
    const { exec } = stubExec([{ command: 'docker compose version --short', stdout: '2.29.1\n' }]);
    await expect(detectCompose(exec)).resolves.toEqual(V2);
  });

  it('reads a v-prefixed version', async () => {
    const { exec } = stubExec([{ command: 'docker compose version --short', stdout: 'v2.40.3' }]);
    await expect(detectCompose(exec)).resolves.toMatchObject({ kind: 'v2', version: '2.40.3' });
  });

  it('falls back to docker-compose v1', async () => {
    const { exec, calls } = stubExec([
      { command: 'docker compose version --short', exitCode: 1, stderr: "docker: 'compose' is not a docker command." },
      { command: 'docker-compose version --short', stdout: '1.29.2' },
    ]);
    await expect(detectCompose(exec)).resolves.toEqual(V1);
    expect(calls.map((c) => c.command)).toEqual(['docker compose version --short', 'docker-compose version --short']);
  });

  it('treats a standalone docker-compose 2.x as v2', async () => {
    const { exec } = stubExec([
      { command: 'docker compose version --short', exitCode: 1 },
      { command: 'docker-compose version --short', stdout: '2.20.2' },
    ]);
    await expect(detectCompose(exec)).resolves.toEqual({ kind: 'v2', version: '2.20.2', command: ['docker-compose'] });
  });

  it('names both commands when neither works', async () => {
    const { exec } = stubExec([
      { command: 'docker compose version --short', exitCode: 1, stderr: 'unknown command: docker compose' },
      { command: 'docker-compose version --short', exitCode: 127 },
    ]);
    const err = await detectCompose(exec).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkError);
    expect((err as Error).message).toMatch(/`docker compose` \(unknown command: docker compose\) and `docker-compose` \(not installed\)/);
  });
});

describe('composePs', () => {
  it('parses the JSON array of older v2', async () => {
    const { exec } = stubExec([
      { command: `docker compose ${PRE} ps --all --format json`, stdout: JSON.stringify([radarrV2, maintainerrV2]) },
    ]);
    await expect(composePs(exec, V2, FILE)).resolves.toEqual([
      { service: 'maintainerr', name: 'maintainerr', state: 'running', health: 'starting', publishedPorts: [6246] },
      { service: 'radarr', name: 'radarr', state: 'running', health: 'healthy', publishedPorts: [7878] },
    ]);
  });

  it('parses the NDJSON of newer v2, leaving health out when there is none', async () => {
    const stdout = [radarrV2, wireguardV2].map((o) => JSON.stringify(o)).join('\n') + '\n';
    const { exec } = stubExec([{ command: `docker compose ${PRE} ps --all --format json`, stdout }]);
    const list = await composePs(exec, V2, FILE);
    expect(list[1]).toEqual({ service: 'wireguard', name: 'wireguard', state: 'exited', publishedPorts: [] });
    expect(list[0]?.publishedPorts).toEqual([7878]);
  });

  it('returns nothing for an empty project', () => {
    expect(parsePsV2('')).toEqual([]);
    expect(parsePsV2('[]')).toEqual([]);
  });

  it('reads v1 through ps -q and docker inspect', async () => {
    const inspect = [
      inspectOf('radarr', 'running', 'healthy', {
        '7878/tcp': [
          { HostIp: '0.0.0.0', HostPort: '7878' },
          { HostIp: '::', HostPort: '7878' },
        ],
      }),
      inspectOf('wireguard', 'running', undefined, { '51820/udp': [{ HostIp: '0.0.0.0', HostPort: '51820' }] }),
      inspectOf('nzbget', 'created', undefined, { '6789/tcp': null }),
    ];
    const { exec, calls } = stubExec([
      { command: `docker-compose ${PRE} ps --all -q`, stdout: 'radarr-id\nwireguard-id\nnzbget-id\n' },
      { command: 'docker inspect --type container radarr-id wireguard-id nzbget-id', stdout: JSON.stringify(inspect) },
    ]);
    await expect(composePs(exec, V1, FILE)).resolves.toEqual([
      { service: 'nzbget', name: 'nzbget', state: 'created', publishedPorts: [] },
      { service: 'radarr', name: 'radarr', state: 'running', health: 'healthy', publishedPorts: [7878] },
      { service: 'wireguard', name: 'wireguard', state: 'running', publishedPorts: [51820] },
    ]);
    expect(calls[0]?.opts?.cwd).toBe('/home/u/plexarr/generated-config');
  });

  it('turns a compose failure into a WorkError with the command line', async () => {
    const { exec } = stubExec([
      { command: `docker compose ${PRE} ps --all --format json`, exitCode: 1, stderr: 'Cannot connect to the Docker daemon' },
    ]);
    await expect(composePs(exec, V2, FILE)).rejects.toThrow(/docker compose -p plexarr -f .* ps --all --format json\nCannot connect/);
  });
});

describe('composeUp and imageList', () => {
  it('runs up -d with the project and file, the same way for v1 and v2', async () => {
    for (const compose of [V2, V1]) {
      const { exec, calls } = stubExec([{ command: `${compose.command.join(' ')} ${PRE} up -d --remove-orphans` }]);
      await composeUp(exec, compose, FILE);
      expect(calls).toHaveLength(1);
    }
  });

  it('reports a failed up with the last lines of its output', async () => {
    const { exec } = stubExec([
      {
        command: `docker compose ${PRE} up -d --remove-orphans`,
        exitCode: 1,
        stderr: 'Error response from daemon: driver failed programming external connectivity: port is already allocated',
      },
    ]);
    await expect(composeUp(exec, V2, FILE)).rejects.toThrow(/port is already allocated/);
  });

  it('lists distinct images from the resolved config, sorted, for v1 and v2', async () => {
    const yaml = 'services:\n  b:\n    image: b:latest\n  a:\n    image: a:latest\n  c:\n    image: b:latest\nnetworks: {}\n';
    for (const compose of [V2, V1]) {
      const { exec } = stubExec([{ command: `${compose.command.join(' ')} ${PRE} config`, stdout: yaml }]);
      await expect(imageList(exec, compose, FILE)).resolves.toEqual(['a:latest', 'b:latest']);
    }
  });

  it('reports what Compose cannot read in the file', async () => {
    const { exec } = stubExec([
      {
        command: `docker-compose ${PRE} config`,
        exitCode: 1,
        stderr: 'ERROR: The Compose file is invalid because:\nservices.radarr.ports is invalid',
      },
    ]);
    await expect(imageList(exec, V1, FILE)).rejects.toThrow(
      /docker compose config failed \(exit 1\)[^]*services\.radarr\.ports is invalid/,
    );
  });
});

describe('stackPorts', () => {
  it('collects host ports of running plexarr containers', async () => {
    const { exec } = stubExec([
      { command: 'docker ps -q --no-trunc --filter label=com.docker.compose.project=plexarr', stdout: 'p\nr\n' },
      {
        command: 'docker inspect --type container p r',
        stdout: JSON.stringify([
          inspectOf('plex', 'running', 'healthy', { '32400/tcp': [{ HostIp: '0.0.0.0', HostPort: '32400' }] }),
          inspectOf('npm', 'running', 'healthy', {
            '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }],
            '443/tcp': [{ HostIp: '0.0.0.0', HostPort: '8443' }],
          }),
        ]),
      },
    ]);
    await expect(stackPorts(exec)).resolves.toEqual(new Set([32400, 8080, 8443]));
  });

  it('is empty when docker is unavailable', async () => {
    const { exec } = stubExec([{ command: 'docker ps -q --no-trunc --filter label=com.docker.compose.project=plexarr', exitCode: 127 }]);
    await expect(stackPorts(exec)).resolves.toEqual(new Set());
  });
});

describe('dockerInfo', () => {
  it('reports the engine version', async () => {
    const { exec } = stubExec([
      {
        command: 'docker info --format {{json .}}',
        stdout: JSON.stringify({ ServerVersion: '20.10.24', DockerRootDir: '/var/lib/docker' }),
      },
    ]);
    await expect(dockerInfo(exec)).resolves.toEqual({
      ok: true,
      serverVersion: '20.10.24',
      dockerRootDir: '/var/lib/docker',
      swarm: { active: false, manager: false, nodeId: '' },
    });
  });

  it('explains an unreachable engine', async () => {
    const { exec } = stubExec([
      {
        command: 'docker info --format {{json .}}',
        exitCode: 1,
        stdout: JSON.stringify({
          ServerErrors: ['Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'],
        }),
      },
    ]);
    await expect(dockerInfo(exec)).resolves.toEqual({ ok: false, reason: expect.stringMatching(/not reachable \(Cannot connect/) });
  });

  it('explains a missing docker command', async () => {
    const { exec } = stubExec([{ command: 'docker info --format {{json .}}', exitCode: 127 }]);
    await expect(dockerInfo(exec)).resolves.toEqual({ ok: false, reason: 'the docker command is not installed' });
  });
});

describe('readiness', () => {
  it.each([
    ['running', 'healthy', 'ready'],
    ['running', undefined, 'ready'],
    ['running', 'starting', 'starting'],
    ['running', 'unhealthy', 'unhealthy'],
    ['restarting', undefined, 'starting'],
    ['created', undefined, 'starting'],
    ['exited', undefined, 'failed'],
  ] as const)('%s/%s is %s', (state, health, expected) => {
    expect(readiness(state, health)).toBe(expected);
  });
});

describe('realExec', () => {
  it('returns non-zero exits and missing programs as results', async () => {
    await expect(realExec('sh', ['-c', 'echo out; echo err >&2; exit 3'])).resolves.toEqual({ exitCode: 3, stdout: 'out', stderr: 'err' });
    await expect(realExec('plexarr-no-such-program', [])).resolves.toMatchObject({ exitCode: 127 });
    await expect(realExec('cat', [], { input: 'hello' })).resolves.toMatchObject({ exitCode: 0, stdout: 'hello' });
    await expect(realExec('sleep', ['5'], { timeoutMs: 100 })).resolves.toMatchObject({
      exitCode: 1,
      stderr: expect.stringMatching(/timed out/),
    });
  });

  it('quotes a command line for display', () => {
    expect(commandLine('docker', ['compose', '-f', '/a b/c.yml', "it's"])).toBe(`docker compose -f '/a b/c.yml' 'it'\\''s'`);
  });
});
