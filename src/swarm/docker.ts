import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { ContainerInfo } from '../docker/compose.js';
import {
  firstLine,
  inspectContainers,
  inspectPublishedPorts,
  PROJECT,
  PROJECT_NETWORK,
  projectContainerIds,
  safeJson,
  STACK_NAMESPACE_LABEL,
} from '../docker/docker.js';
import { commandFailure, commandLine, type Exec, type ExecResult } from '../docker/exec.js';
import { parseEnvFile } from '../compose/env-file.js';
import { WorkError } from '../errors.js';

/** Every `docker stack` call plexarr makes, as named functions over an injectable exec. */

/**
 * `--resolve-image never`: the manager does not ask a registry for digests; each node runs the
 * tag it has or pulls it, as `docker compose up` does on one host. `--prune` removes services a
 * re-run of init dropped, as Compose's `--remove-orphans` does.
 */
export function deployArgs(stackFile: string): string[] {
  return ['stack', 'deploy', '--prune', '--resolve-image', 'never', '-c', stackFile, PROJECT];
}

/**
 * `.env` as a map. `docker stack deploy` interpolates `${VAR}` from its own environment and never
 * reads `.env`, so the values go into the child's environment, never onto its command line.
 */
export function readEnvFile(envFile: string): Record<string, string> {
  return parseEnvFile(readFileSync(envFile, 'utf8'));
}

function failure(what: string, file: string, args: string[], r: ExecResult): WorkError {
  return commandFailure(what, commandLine(file, args), r);
}

export async function stackDeploy(exec: Exec, stackFile: string, opts: { timeoutMs?: number } = {}): Promise<void> {
  const args = deployArgs(stackFile);
  const env = readEnvFile(join(dirname(stackFile), '.env'));
  const r = await exec('docker', args, { cwd: dirname(stackFile), env, timeoutMs: opts.timeoutMs ?? 15 * 60_000 });
  if (r.exitCode !== 0) throw failure('docker stack deploy', 'docker', args, r);
}

/** `docker stack config`: the file as deploy reads it (with the environment), checked by Docker. */
export async function stackConfig(exec: Exec, stackFile: string): Promise<string> {
  const args = ['stack', 'config', '-c', stackFile];
  const r = await exec('docker', args, { cwd: dirname(stackFile), env: readEnvFile(join(dirname(stackFile), '.env')), timeoutMs: 60_000 });
  if (r.exitCode !== 0) throw failure('docker stack config', 'docker', args, r);
  return r.stdout;
}

/**
 * `docker exec` in the running task of one of the stack's services, as Swarm has no `compose
 * exec`. Docker reaches only this node's containers: a task placed on another node is reported
 * with the command that shows where it runs.
 */
export async function serviceTaskExec(exec: Exec, service: string, argv: string[], opts: { timeoutMs?: number } = {}): Promise<void> {
  const name = `${PROJECT}_${service}`;
  const ps = await exec('docker', ['ps', '-q', '--filter', `label=com.docker.swarm.service.name=${name}`, '--filter', 'status=running'], {
    timeoutMs: 20_000,
  });
  const id = ps.exitCode === 0 ? ps.stdout.trim().split('\n')[0] : undefined;
  if (!id)
    throw new WorkError(
      `${name} has no running task on this node; run plexarr on the node where it runs (\`docker service ps ${name}\` names it).`,
    );
  const args = ['exec', id, ...argv];
  const r = await exec('docker', args, { timeoutMs: opts.timeoutMs ?? 10 * 60_000 });
  if (r.exitCode !== 0) throw failure(argv.join(' '), 'docker', args, r);
}

/**
 * `docker stack rm` returns while the tasks still stop; the network goes last. Waiting until both
 * are gone means a `deploy` right after does not trip over the old network.
 */
export async function stackRemove(exec: Exec, deps: { sleep(ms: number): Promise<void>; timeoutMs?: number }): Promise<void> {
  const args = ['stack', 'rm', PROJECT];
  const r = await exec('docker', args, { timeoutMs: 5 * 60_000 });
  if (r.exitCode !== 0 && !/nothing found in stack/i.test(r.stderr + r.stdout)) throw failure('docker stack rm', 'docker', args, r);
  const tries = Math.ceil((deps.timeoutMs ?? 120_000) / 500);
  for (let i = 0; i < tries; i++) {
    const ps = await exec('docker', ['ps', '-aq', '--filter', `label=${STACK_NAMESPACE_LABEL}=${PROJECT}`], { timeoutMs: 20_000 });
    const net = await exec('docker', ['network', 'ls', '-q', '--filter', `name=^${PROJECT_NETWORK}$`], { timeoutMs: 20_000 });
    if (ps.exitCode === 0 && ps.stdout.trim() === '' && net.exitCode === 0 && net.stdout.trim() === '') return;
    await deps.sleep(500);
  }
  throw new WorkError(
    `docker stack rm ${PROJECT}: its containers or the network ${PROJECT_NETWORK} were still there after ${Math.round((deps.timeoutMs ?? 120_000) / 1000)} s`,
  );
}

const taskSchema = z.looseObject({
  ID: z.string(),
  Name: z.string(),
  Node: z.string().optional(),
  DesiredState: z.string(),
  CurrentState: z.string(),
  Error: z.string().optional(),
  Ports: z.string().optional(),
});

export interface SwarmTask {
  /** The service key in the stack file (`radarr`), which is also its host name on the network. */
  service: string;
  /** Swarm's task id: a task replaced by an update or a restart gets a new one under the same name. */
  id: string;
  name: string;
  node: string;
  /** `running`, `starting` (health check not passed yet), `pending`, `failed`, … lower-cased. */
  state: string;
  error: string;
  publishedPorts: number[];
}

/**
 * The tasks Swarm wants running, one per service (`docker stack ps` with desired state running).
 * A task with a health check stays `starting` until the check passes, so `running` means healthy,
 * on whichever node it runs. Undefined when Docker cannot say (no engine, not a manager).
 */
export async function stackTasks(exec: Exec): Promise<{ tasks: SwarmTask[] } | { error: string }> {
  const r = await exec('docker', ['stack', 'ps', PROJECT, '--no-trunc', '--filter', 'desired-state=running', '--format', '{{json .}}'], {
    timeoutMs: 30_000,
  });
  if (r.exitCode !== 0) {
    // No stack at all is a stack with no tasks, not an error.
    if (/nothing found in stack/i.test(r.stderr + r.stdout)) return { tasks: [] };
    return { error: firstLine(r.stderr || r.stdout) || `docker stack ps exited ${r.exitCode}` };
  }
  const tasks: SwarmTask[] = [];
  for (const line of r.stdout.split('\n').filter((l) => l.trim())) {
    const t = taskSchema.safeParse(safeJson(line));
    if (!t.success) return { error: `could not read docker stack ps: ${line.slice(0, 80)}` };
    const service = t.data.Name.replace(new RegExp(`^${PROJECT}_`), '').replace(/\.\d+$/, '');
    const ports = [...(t.data.Ports ?? '').matchAll(/:(\d+)->/g)].map((m) => Number(m[1]));
    tasks.push({
      service,
      id: t.data.ID,
      name: t.data.Name,
      node: t.data.Node ?? '',
      state: (t.data.CurrentState.split(' ')[0] ?? '').toLowerCase(),
      error: t.data.Error ?? '',
      publishedPorts: [...new Set(ports)].sort((a, b) => a - b),
    });
  }
  return { tasks };
}

/**
 * Tasks as the rows Compose gives, so status and coordinate read both engines alike: a `starting`
 * task runs but is not healthy yet; a `running` task of a service with a health check is healthy.
 */
export function tasksAsContainers(tasks: readonly SwarmTask[], healthChecked: (service: string) => boolean): ContainerInfo[] {
  return tasks
    .map((t) => {
      const running = t.state === 'running' || t.state === 'starting';
      const info: ContainerInfo = {
        service: t.service,
        name: t.name,
        state: running ? 'running' : t.state,
        publishedPorts: t.publishedPorts,
      };
      if (t.node) info.node = t.node;
      if (t.state === 'starting') info.health = 'starting';
      else if (t.state === 'running' && healthChecked(t.service)) info.health = 'healthy';
      return info;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Host ports held by this stack's task containers on this node (host-mode ports are bound there). */
export async function swarmStackPorts(exec: Exec): Promise<Set<number>> {
  const ids = (await projectContainerIds(exec, { label: STACK_NAMESPACE_LABEL })) ?? [];
  return new Set((await inspectContainers(exec, ids)).flatMap(inspectPublishedPorts));
}
