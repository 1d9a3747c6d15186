import { z } from 'zod';
import { inspectContainers, PROJECT, projectContainerIds, safeJson, STACK_NAMESPACE_LABEL } from '../docker/docker.js';
import { commandFailure, commandLine, type Exec } from '../docker/exec.js';
import { WorkError } from '../errors.js';
import { stackTasks } from './docker.js';

/** The day-two `docker service` calls on the stack's services: update, scale, and what runs where. */

/** Swarm names a stack's service `<stack>_<key>`; the key is the catalog's container name. */
export const serviceName = (service: string) => `${PROJECT}_${service}`;

/** The label Swarm puts on each task container: the service it belongs to. */
const SERVICE_NAME_LABEL = 'com.docker.swarm.service.name';

/** Task states after which a task holds no container that could still write. */
const STOPPED = new Set(['shutdown', 'complete', 'failed', 'rejected', 'orphaned', 'remove']);

export interface WaitDeps {
  sleep(ms: number): Promise<void>;
  timeoutMs?: number;
}

async function run(exec: Exec, what: string, args: string[]): Promise<void> {
  const r = await exec('docker', args, { timeoutMs: 5 * 60_000 });
  if (r.exitCode !== 0) throw commandFailure(what, commandLine('docker', args), r);
}

/**
 * Puts one service on `image` and replaces its task even when the reference reads the same (a tag
 * that now names a newer image): `--force`. `--detach` returns once Swarm has the new spec; the
 * caller's health wait decides, with its own timeout, rather than the CLI's convergence watch,
 * which waits without end on a task that never becomes healthy. `--no-resolve-image`, as deploy's
 * `--resolve-image never`: no registry is asked, so an image built or loaded on this host can be used.
 */
export async function serviceUpdate(exec: Exec, service: string, image: string): Promise<void> {
  await run(exec, 'docker service update', [
    'service',
    'update',
    '--detach',
    '--no-resolve-image',
    '--image',
    image,
    '--force',
    serviceName(service),
  ]);
}

export async function serviceScale(exec: Exec, services: readonly string[], replicas: number): Promise<void> {
  if (services.length === 0) return;
  await run(exec, 'docker service scale', ['service', 'scale', '--detach', ...services.map((s) => `${serviceName(s)}=${replicas}`)]);
}

const taskStateSchema = z.looseObject({ ID: z.string(), Name: z.string(), CurrentState: z.string() });

/**
 * Waits until no task of `services` runs or is about to, on any node: after a scale to 0 the
 * tasks stop one by one, and a copy made before the last one stopped would not be at rest.
 */
export async function waitStopped(exec: Exec, services: readonly string[], deps: WaitDeps): Promise<void> {
  const names = new Set(services.map(serviceName));
  const timeoutMs = deps.timeoutMs ?? 120_000;
  let busy: string[] = [];
  for (let waited = 0; waited <= timeoutMs; waited += 500) {
    const args = ['stack', 'ps', PROJECT, '--no-trunc', '--format', '{{json .}}'];
    const r = await exec('docker', args, { timeoutMs: 30_000 });
    if (r.exitCode !== 0) throw commandFailure('docker stack ps', commandLine('docker', args), r);
    busy = r.stdout
      .split('\n')
      .map((line) => taskStateSchema.safeParse(safeJson(line)))
      .flatMap((t) => (t.success ? [t.data] : []))
      .filter((t) => names.has(t.Name.replace(/\.\d+$/, '')) && !STOPPED.has((t.CurrentState.split(' ')[0] ?? '').toLowerCase()))
      .map((t) => t.Name);
    if (busy.length === 0) return;
    await deps.sleep(500);
  }
  throw new WorkError(`Swarm did not stop ${busy.join(', ')} within ${Math.round(timeoutMs / 1000)} s; nothing was copied.`);
}

/**
 * Waits until the task `oldId` of a service is no longer the one Swarm wants running: an update
 * returns before the old task is told to stop, and a health check read before then would see the
 * old, healthy task.
 */
export async function waitReplaced(exec: Exec, service: string, oldId: string, deps: WaitDeps): Promise<void> {
  const timeoutMs = deps.timeoutMs ?? 60_000;
  for (let waited = 0; waited <= timeoutMs; waited += 500) {
    const r = await stackTasks(exec);
    if ('error' in r) throw new WorkError(`docker stack ps failed: ${r.error}`);
    if (!r.tasks.some((t) => t.service === service && t.id === oldId)) return;
    await deps.sleep(500);
  }
  throw new WorkError(`Swarm kept the old task of ${serviceName(service)} for ${Math.round(timeoutMs / 1000)} s after the update.`);
}

/** The id of the task Swarm wants running for a service, if there is one. */
export async function currentTaskId(exec: Exec, service: string): Promise<string | undefined> {
  const r = await stackTasks(exec);
  if ('error' in r) throw new WorkError(`docker stack ps failed: ${r.error}`);
  return r.tasks.find((t) => t.service === service)?.id;
}

/**
 * The image id each of the stack's task containers runs, by service key. Only containers on this
 * node can be inspected here; a service whose task runs elsewhere is absent.
 */
export async function localTaskImages(exec: Exec): Promise<Record<string, string>> {
  const ids = (await projectContainerIds(exec, { label: STACK_NAMESPACE_LABEL })) ?? [];
  const out: Record<string, string> = {};
  for (const c of await inspectContainers(exec, ids)) {
    const service = c.Config.Labels?.[SERVICE_NAME_LABEL];
    const image = (c as { Image?: unknown }).Image;
    if (service && typeof image === 'string') out[service.replace(new RegExp(`^${PROJECT}_`), '')] = image;
  }
  return out;
}

/**
 * The reference that makes every node run exactly image `id`. Each node pulls a tag again when it
 * starts a task, so a tag alone would bring a newer image back on a rollback; the registry digest
 * (`repo@sha256:…`) names one image everywhere. An image built or loaded here has no digest:
 * then the tag, which this node resolves to its local image.
 */
export async function pinnedRef(exec: Exec, id: string, ref: string): Promise<string> {
  const r = await exec('docker', ['image', 'inspect', '--format', '{{json .RepoDigests}}', id], { timeoutMs: 30_000 });
  const digests = z.array(z.string()).nullable().safeParse(safeJson(r.stdout));
  if (r.exitCode !== 0 || !digests.success || !digests.data) return ref;
  const repo = ref.replace(/@.*$/, '').replace(/:[^/:]+$/, '');
  return digests.data.find((d) => d.startsWith(`${repo}@`)) ?? ref;
}
