import { expect } from '@jest/globals';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { realExec, type ExecResult } from '../../src/docker/exec.js';
import { PORT_KEYS, type StackPorts } from '../helpers/ports.js';
import { PLEXTV_ALIAS, PLEXTV_IMAGE, PLEXTV_PORT } from './images.js';

/** Helpers for driving a plexarr stack on a real engine the way a user would. */

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const NETWORK = 'plexarr_default';
export const PLEXTV_CONTAINER = 'plexarr-e2e-plextv';
const ALL_CONTAINERS = [
  'plex',
  'radarr',
  'sonarr',
  'lidarr',
  'prowlarr',
  'seerr',
  'overseerr',
  'maintainerr',
  'nzbget',
  'nzbget2',
  'wireguard',
  'npm',
  'recyclarr',
];

export const docker = (...args: string[]) => realExec('docker', args, { timeoutMs: 180_000 });

export async function dockerOk(...args: string[]): Promise<string> {
  const r = await docker(...args);
  if (r.exitCode !== 0) throw new Error(`docker ${args.join(' ')} failed (exit ${r.exitCode}): ${r.stderr}`);
  return r.stdout;
}

/** The CLI as a user runs it: the built bin, no TTY, CI=true. */
export async function plexarr(args: string[], env: Record<string, string> = {}, timeoutMs = 15 * 60_000): Promise<ExecResult> {
  if (!existsSync(join(ROOT, 'dist/cli.cjs'))) {
    const built = await realExec('npm', ['run', 'build'], { cwd: ROOT, timeoutMs: 300_000 });
    if (built.exitCode !== 0) throw new Error(`npm run build failed: ${built.stderr}`);
  }
  return realExec('node', [join(ROOT, 'bin/plexarr.js'), ...args], { cwd: ROOT, env: { CI: 'true', NO_COLOR: '1', ...env }, timeoutMs });
}

/** Leftovers of an earlier, interrupted run would hold the names and ports. */
export async function removeStack(): Promise<void> {
  // Image labels carry over to containers: a plexarr container without ours is someone's real stack.
  const ps = await dockerOk(
    'ps',
    '-a',
    '--filter',
    'label=com.docker.compose.project=plexarr',
    '--format',
    '{{.Names}}={{.Label "plexarr.e2e.from"}}',
  );
  const real = ps
    .split('\n')
    .filter((l) => l.endsWith('='))
    .map((l) => l.slice(0, -1));
  if (real.length > 0)
    throw new Error(
      `This engine runs a real plexarr stack (${real.join(', ')}); run the e2e tier on a private engine (unset DOCKER_HOST).`,
    );
  await docker('rm', '-f', ...ALL_CONTAINERS, PLEXTV_CONTAINER);
  await docker('network', 'rm', NETWORK);
}

/** Compose's own labels, so both Compose v1 and v2 adopt the network as the project's. */
const COMPOSE_NETWORK = ['--label', 'com.docker.compose.network=default', '--label', 'com.docker.compose.project=plexarr'];

/**
 * plex.tv as a container on the stack network (alias `plextv`, where the images point every fake)
 * with a loopback-published port for plexarr on the host. The network is created ahead of the
 * stack, with `network` saying how (Compose's labels by default), so the stack adopts it.
 */
export async function startPlexTv(hostPort: number, network: readonly string[] = COMPOSE_NETWORK): Promise<{ url: string }> {
  await dockerOk('network', 'create', ...network, NETWORK);
  await dockerOk(
    'run',
    '-d',
    '--name',
    PLEXTV_CONTAINER,
    '--network',
    NETWORK,
    '--network-alias',
    PLEXTV_ALIAS,
    '-p',
    `127.0.0.1:${hostPort}:${PLEXTV_PORT}`,
    PLEXTV_IMAGE,
  );
  const url = `http://127.0.0.1:${hostPort}`;
  await waitFor(async () => (await fetch(`${url}/__fake/state`, { signal: AbortSignal.timeout(2000) })).ok, 30_000, 'the plex.tv fake');
  return { url };
}

/**
 * A new version of `image` built here under the same tag, `dockerfile` lines on top of it (no
 * registry: an update's pull fails and the local image is the new one). Returns the new image id.
 */
export async function rebuildImage(image: string, dockerfile: string): Promise<string> {
  const r = await realExec('docker', ['build', '-q', '-t', image, '-'], {
    input: `FROM ${image}\n${dockerfile}\n`,
    env: { DOCKER_BUILDKIT: '0' },
    timeoutMs: 300_000,
  });
  expect(r.exitCode).toBe(0);
  return (await dockerOk('image', 'inspect', '--format', '{{.Id}}', image)).trim();
}

/** What `down` and `uninstall` leave in a home: the state, the generated files and the apps' configs. */
export const STACK_FILES = [
  'plexarr.db',
  'generated-config/docker-compose.yml',
  'generated-config/.env',
  'appdata/radarr/config.xml',
  'appdata/nzbget/nzbget.conf',
];

/** Each path exists under home (a failure names the missing one). */
export function expectPresent(home: string, paths: readonly string[]): void {
  for (const path of paths) expect([path, existsSync(join(home, path))]).toEqual([path, true]);
}

/** `compose down` removes the network, which refuses while a foreign container is attached. */
export async function detachPlexTv(): Promise<void> {
  await docker('network', 'disconnect', '-f', NETWORK, PLEXTV_CONTAINER);
}

export async function attachPlexTv(): Promise<void> {
  const exists = await docker('network', 'inspect', NETWORK);
  if (exists.exitCode !== 0) {
    await dockerOk(
      'network',
      'create',
      '--label',
      'com.docker.compose.network=default',
      '--label',
      'com.docker.compose.project=plexarr',
      NETWORK,
    );
  }
  await docker('network', 'connect', '--alias', PLEXTV_ALIAS, NETWORK, PLEXTV_CONTAINER);
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not answering yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function getJson<T = unknown>(url: string, init?: RequestInit): Promise<T> {
  // docker-proxy accepts a connection before the container listens; never wait on one forever.
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000), ...init });
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} → HTTP ${res.status}`);
  return (await res.json()) as T;
}

export interface FakeLogEntry {
  t: number;
  method: string;
  path: string;
  status: number;
  body?: unknown;
}

export const fakeState = <T = Record<string, unknown>>(port: number) => getJson<T>(`http://127.0.0.1:${port}/__fake/state`);
export const fakeLog = (port: number) => getJson<FakeLogEntry[]>(`http://127.0.0.1:${port}/__fake/log`);
export const resetFakeLog = (port: number) =>
  fetch(`http://127.0.0.1:${port}/__fake/reset-log`, { method: 'POST', signal: AbortSignal.timeout(10_000) });

/** Id and start time per container: a re-deploy that changes nothing leaves both as they were. */
export async function containerIdentity(names: readonly string[]): Promise<Record<string, string>> {
  const out = await dockerOk('inspect', '--format', '{{.Name}} {{.Id}} {{.State.StartedAt}}', ...names);
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((l) => {
        const [name, ...rest] = l.split(' ');
        return [(name ?? '').replace(/^\//, ''), rest.join(' ')];
      }),
  );
}

export type { StackPorts };

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Host ports for the stack: a free block below the kernel's ephemeral range (32768+), so neither
 * another engine's stack nor the port-0 listeners of tests running beside this one collide with it.
 */
export async function stackPortArgs(): Promise<{ args: string[]; ports: StackPorts; plextvPort: number }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 800) * 15;
    const list = [...PORT_KEYS, 'plextv'].map((_, i) => base + i);
    if ((await Promise.all(list.map(bindable))).every(Boolean)) {
      const ports = Object.fromEntries(PORT_KEYS.map((k, i) => [k, list[i] as number])) as StackPorts;
      return { args: PORT_KEYS.flatMap((k) => ['--port', `${k}=${ports[k]}`]), ports, plextvPort: base + PORT_KEYS.length };
    }
  }
  throw new Error('no free block of host ports between 20000 and 32000');
}
