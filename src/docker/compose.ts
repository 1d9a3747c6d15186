import { dirname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { WorkError } from '../errors.js';
import { commandFailure, commandLine, type Exec, type ExecResult } from './exec.js';
import {
  PROJECT,
  SERVICE_LABEL,
  firstLine,
  inspectContainers,
  inspectPublishedPorts,
  projectContainerIds,
  type ContainerInspect,
} from './docker.js';

/**
 * Every Compose invocation as a named function. v2 (`docker compose`) and v1 (`docker-compose`)
 * are driven by the same code: only the command prefix and `ps` parsing differ.
 */

export interface Compose {
  kind: 'v2' | 'v1';
  version: string;
  command: string[];
}

export interface ContainerInfo {
  service: string;
  name: string;
  state: string;
  health?: string;
  publishedPorts: number[];
  /** Swarm only: the node the task runs on. */
  node?: string;
}

const CANDIDATES: readonly string[][] = [['docker', 'compose'], ['docker-compose']];

export async function detectCompose(exec: Exec): Promise<Compose> {
  const tried: string[] = [];
  for (const command of CANDIDATES) {
    const [file, ...pre] = command as [string, ...string[]];
    const r = await exec(file, [...pre, 'version', '--short'], { timeoutMs: 20_000 });
    const version = parseVersion(r.stdout);
    if (r.exitCode === 0 && version) {
      return { kind: version.startsWith('1.') ? 'v1' : 'v2', version, command };
    }
    tried.push(
      `\`${command.join(' ')}\` (${r.exitCode === 127 ? 'not installed' : firstLine(r.stderr || r.stdout) || `exit ${r.exitCode}`})`,
    );
  }
  throw new WorkError(
    `Docker Compose is missing: tried ${tried.join(' and ')}. Install the Compose v2 plugin (docker compose) or docker-compose v1.`,
  );
}

function parseVersion(text: string): string | undefined {
  return /v?(\d+\.\d+\.\d+[\w.+-]*)/.exec(text)?.[1];
}

/** The argument list of one compose call: always `-p plexarr -f <file>`, never a shell string. */
export function composeCommand(compose: Compose, composeFile: string, args: readonly string[]): { file: string; args: string[] } {
  const [file, ...pre] = compose.command as [string, ...string[]];
  return { file, args: [...pre, '-p', PROJECT, '-f', composeFile, ...args] };
}

/** `.env` beside the compose file is read from the project directory; run there for old v1 too. */
async function runCompose(
  exec: Exec,
  compose: Compose,
  composeFile: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<ExecResult & { commandLine: string }> {
  const c = composeCommand(compose, composeFile, args);
  const r = await exec(c.file, c.args, { cwd: dirname(composeFile), timeoutMs });
  return { ...r, commandLine: commandLine(c.file, c.args) };
}

function failure(what: string, r: ExecResult & { commandLine: string }): WorkError {
  return commandFailure(what, r.commandLine, r);
}

export const UP_ARGS = ['up', '-d', '--remove-orphans'] as const;

export async function composeUp(exec: Exec, compose: Compose, composeFile: string, opts: { timeoutMs?: number } = {}): Promise<void> {
  const r = await runCompose(exec, compose, composeFile, UP_ARGS, opts.timeoutMs ?? 15 * 60_000);
  if (r.exitCode !== 0) throw failure('docker compose up', r);
}

/**
 * Stops and removes the containers and network; named volumes and bind-mounted data stay.
 * `removeOrphans` also removes containers of services no longer in the file (uninstall).
 */
export async function composeDown(
  exec: Exec,
  compose: Compose,
  composeFile: string,
  opts: { timeoutMs?: number; removeOrphans?: boolean } = {},
): Promise<void> {
  const args = opts.removeOrphans ? ['down', '--remove-orphans'] : ['down'];
  const r = await runCompose(exec, compose, composeFile, args, opts.timeoutMs ?? 5 * 60_000);
  if (r.exitCode !== 0) throw failure('docker compose down', r);
}

/** Stops the running containers (or only `services`), keeping them (so their files can be copied while nothing writes). */
export async function composeStop(
  exec: Exec,
  compose: Compose,
  composeFile: string,
  opts: { timeoutMs?: number; services?: readonly string[] } = {},
): Promise<void> {
  const r = await runCompose(exec, compose, composeFile, ['stop', ...(opts.services ?? [])], opts.timeoutMs ?? 5 * 60_000);
  if (r.exitCode !== 0) throw failure('docker compose stop', r);
}

/** Starts containers that `composeStop` stopped, as they were; `services` limits it to those. */
export async function composeStart(
  exec: Exec,
  compose: Compose,
  composeFile: string,
  opts: { timeoutMs?: number; services?: readonly string[] } = {},
): Promise<void> {
  const r = await runCompose(exec, compose, composeFile, ['start', ...(opts.services ?? [])], opts.timeoutMs ?? 5 * 60_000);
  if (r.exitCode !== 0) throw failure('docker compose start', r);
}

/**
 * `config` reads the file exactly as `up` will (with `.env` interpolated) and prints the resolved
 * YAML; it fails on anything Compose cannot use, before any container is touched.
 */
export async function composeConfig(exec: Exec, compose: Compose, composeFile: string): Promise<string> {
  const r = await runCompose(exec, compose, composeFile, ['config'], 60_000);
  if (r.exitCode !== 0) throw failure('docker compose config', r);
  return r.stdout;
}

/** Image names as Compose resolves them (v1 has no `config --images`, so the resolved YAML is read). */
export async function imageList(exec: Exec, compose: Compose, composeFile: string): Promise<string[]> {
  return [...new Set(Object.values(await serviceImages(exec, compose, composeFile)))].sort();
}

/** Each compose service's image name, as Compose resolves it. */
export async function serviceImages(exec: Exec, compose: Compose, composeFile: string): Promise<Record<string, string>> {
  const doc = parseYaml(await composeConfig(exec, compose, composeFile)) as { services?: Record<string, { image?: unknown }> } | null;
  return Object.fromEntries(
    Object.entries(doc?.services ?? {}).flatMap(([name, svc]) => (typeof svc.image === 'string' ? [[name, svc.image]] : [])),
  );
}

/** Recreates the named services' containers when their image (or settings) changed; others are left running. */
export async function composeRecreate(exec: Exec, compose: Compose, composeFile: string, services: readonly string[]): Promise<void> {
  const r = await runCompose(exec, compose, composeFile, ['up', '-d', '--no-deps', ...services], 15 * 60_000);
  if (r.exitCode !== 0) throw failure('docker compose up', r);
}

export async function composePs(exec: Exec, compose: Compose, composeFile: string): Promise<ContainerInfo[]> {
  const list = compose.kind === 'v2' ? await psV2(exec, compose, composeFile) : await psV1(exec, compose, composeFile);
  return list.sort((a, b) => a.name.localeCompare(b.name));
}

const publisherSchema = z.looseObject({
  PublishedPort: z.number().optional(),
  TargetPort: z.number().optional(),
  Protocol: z.string().optional(),
});

const psV2Schema = z.looseObject({
  Name: z.string(),
  Service: z.string(),
  State: z.string(),
  Health: z.string().optional(),
  Publishers: z.array(publisherSchema).nullish(),
});

/** Older v2 prints one JSON array, v2.21+ prints one JSON object per line. */
export function parsePsV2(stdout: string): ContainerInfo[] {
  const text = stdout.trim();
  if (text === '') return [];
  const raw: unknown[] = text.startsWith('[')
    ? z.array(z.unknown()).parse(JSON.parse(text))
    : text
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as unknown);
  return raw.map((item) => {
    const c = psV2Schema.parse(item);
    const ports = new Set((c.Publishers ?? []).map((p) => p.PublishedPort ?? 0).filter((p) => p > 0));
    const info: ContainerInfo = {
      service: c.Service,
      name: c.Name,
      state: c.State.toLowerCase(),
      publishedPorts: [...ports].sort((a, b) => a - b),
    };
    if (c.Health) info.health = c.Health.toLowerCase();
    return info;
  });
}

async function psV2(exec: Exec, compose: Compose, composeFile: string): Promise<ContainerInfo[]> {
  const r = await runCompose(exec, compose, composeFile, ['ps', '--all', '--format', 'json'], 60_000);
  if (r.exitCode !== 0) throw failure('docker compose ps', r);
  try {
    return parsePsV2(r.stdout);
  } catch (e) {
    throw new WorkError(`Could not read the output of ${r.commandLine}: ${(e as Error).message}`);
  }
}

/** v1 has no JSON output: list the ids, then read each container from `docker inspect`. */
async function psV1(exec: Exec, compose: Compose, composeFile: string): Promise<ContainerInfo[]> {
  const r = await runCompose(exec, compose, composeFile, ['ps', '--all', '-q'], 60_000);
  if (r.exitCode !== 0) throw failure('docker-compose ps', r);
  const ids = r.stdout
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  return (await inspectContainers(exec, ids)).map(containerInfo);
}

/**
 * A container as `docker inspect` shows it, in the shape `compose ps` gives. Without Compose's
 * service label (a Swarm task read as a container) the service is the container's name, as the
 * catalog names each service after its container.
 */
export function containerInfo(c: ContainerInspect): ContainerInfo {
  const name = c.Name.replace(/^\//, '');
  const info: ContainerInfo = {
    service: c.Config.Labels?.[SERVICE_LABEL] ?? name,
    name,
    state: c.State.Status,
    publishedPorts: inspectPublishedPorts(c),
  };
  if (c.State.Health?.Status) info.health = c.State.Health.Status;
  return info;
}

/**
 * Host ports held by running containers of this stack, so prerequisites can tell "port in use by
 * something else" from "in use by plexarr itself". Empty when docker is unavailable.
 */
export async function stackPorts(exec: Exec): Promise<Set<number>> {
  const ids = await projectContainerIds(exec);
  if (!ids || ids.length === 0) return new Set();
  const containers = await inspectContainers(exec, ids);
  return new Set(containers.flatMap(inspectPublishedPorts));
}

/**
 * `exec -T <service> recyclarr sync`: Recyclarr applies the TRaSH guides named in its
 * recyclarr.yml to Radarr and Sonarr (it downloads the guides, so it needs internet). `-T`: no
 * terminal is attached, as plexarr may run without one. A failure carries Recyclarr's last lines.
 */
export async function recyclarrSync(
  exec: Exec,
  compose: Compose,
  composeFile: string,
  service: string,
  opts: { timeoutMs?: number } = {},
): Promise<void> {
  const r = await runCompose(exec, compose, composeFile, ['exec', '-T', service, 'recyclarr', 'sync'], opts.timeoutMs ?? 10 * 60_000);
  if (r.exitCode !== 0) throw failure('recyclarr sync', r);
}
