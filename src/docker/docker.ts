import { z } from 'zod';
import type { Exec } from './exec.js';

/** Plain `docker` engine calls: engine info, container inspection and what their health means. */

/** The Compose project name, which is also the Swarm stack name. */
export const PROJECT = 'plexarr';
export const PROJECT_LABEL = 'com.docker.compose.project';
/** The label Swarm puts on a stack's containers and networks (Compose's is PROJECT_LABEL). */
export const STACK_NAMESPACE_LABEL = 'com.docker.stack.namespace';
/** The stack's network under both engines: Compose names it `<project>_default`, and the stack file says so too. */
export const PROJECT_NETWORK = `${PROJECT}_default`;
export const SERVICE_LABEL = 'com.docker.compose.service';

/** Whether this engine is in a swarm, and a manager of it (only a manager can deploy or list nodes). */
export interface SwarmMembership {
  active: boolean;
  manager: boolean;
  nodeId: string;
}

export type DockerInfo = { ok: true; serverVersion: string; dockerRootDir: string; swarm: SwarmMembership } | { ok: false; reason: string };

const infoSchema = z.looseObject({
  ServerVersion: z.string().optional(),
  DockerRootDir: z.string().optional(),
  ServerErrors: z.array(z.string()).nullish(),
  Swarm: z
    .looseObject({ LocalNodeState: z.string().optional(), ControlAvailable: z.boolean().optional(), NodeID: z.string().optional() })
    .nullish(),
});

export async function dockerInfo(exec: Exec): Promise<DockerInfo> {
  const r = await exec('docker', ['info', '--format', '{{json .}}'], { timeoutMs: 20_000 });
  if (r.exitCode === 127) return { ok: false, reason: 'the docker command is not installed' };
  const parsed = infoSchema.safeParse(safeJson(r.stdout));
  const info = parsed.success ? parsed.data : undefined;
  if (r.exitCode !== 0 || !info?.ServerVersion) {
    const why = info?.ServerErrors?.join('; ') || r.stderr.trim() || 'no answer from the engine';
    return { ok: false, reason: `the Docker engine is not reachable (${firstLine(why)})` };
  }
  const swarm = {
    active: info.Swarm?.LocalNodeState === 'active',
    manager: info.Swarm?.ControlAvailable === true,
    nodeId: info.Swarm?.NodeID ?? '',
  };
  return { ok: true, serverVersion: info.ServerVersion, dockerRootDir: info.DockerRootDir ?? '', swarm };
}

const portBindingSchema = z.looseObject({ HostIp: z.string().optional(), HostPort: z.string().optional() });

export const containerInspectSchema = z.looseObject({
  Id: z.string(),
  Name: z.string(),
  State: z.looseObject({
    Status: z.string(),
    Health: z
      .looseObject({
        Status: z.string(),
        Log: z
          .array(z.looseObject({ End: z.string().optional(), ExitCode: z.number().optional(), Output: z.string().optional() }))
          .nullish(),
      })
      .nullish(),
    StartedAt: z.string().optional(),
    ExitCode: z.number().optional(),
    Restarting: z.boolean().optional(),
  }),
  Config: z.looseObject({ Labels: z.record(z.string(), z.string()).nullish() }),
  NetworkSettings: z.looseObject({
    Ports: z.record(z.string(), z.array(portBindingSchema).nullable()).nullish(),
    Networks: z.record(z.string(), z.unknown()).nullish(),
  }),
});
export type ContainerInspect = z.infer<typeof containerInspectSchema>;

/** `docker inspect` of containers by id or name; unknown names are simply absent from the result. */
export async function inspectContainers(exec: Exec, ids: readonly string[]): Promise<ContainerInspect[]> {
  if (ids.length === 0) return [];
  const r = await exec('docker', ['inspect', '--type', 'container', ...ids], { timeoutMs: 30_000 });
  // inspect exits 1 when one of several names is unknown but still prints the others.
  const parsed = z.array(containerInspectSchema).safeParse(safeJson(r.stdout));
  return parsed.success ? parsed.data : [];
}

/** Host ports a container publishes (both IPv4 and IPv6 bindings name the same port once). */
export function inspectPublishedPorts(c: ContainerInspect): number[] {
  const ports = new Set<number>();
  for (const bindings of Object.values(c.NetworkSettings.Ports ?? {})) {
    for (const b of bindings ?? []) {
      const port = Number(b.HostPort);
      if (Number.isInteger(port) && port > 0) ports.add(port);
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** Ids of the containers of the plexarr project (running only unless `all`); `label` STACK_NAMESPACE_LABEL for the Swarm stack's. */
export async function projectContainerIds(exec: Exec, opts: { all?: boolean; label?: string } = {}): Promise<string[] | undefined> {
  const args = ['ps', '-q', '--no-trunc', '--filter', `label=${opts.label ?? PROJECT_LABEL}=${PROJECT}`];
  if (opts.all) args.push('--all');
  const r = await exec('docker', args, { timeoutMs: 20_000 });
  if (r.exitCode !== 0) return undefined;
  return r.stdout
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Readiness of one container: with a healthcheck it is ready when `healthy`; without one, when
 * `running` (deploy then probes it itself). `unhealthy` is not final: an app that is slow on first
 * start can exhaust its retries and turn healthy later, so only an exited container fails at once.
 */
export type Readiness = 'ready' | 'starting' | 'unhealthy' | 'failed';

export function readiness(state: string, health: string | undefined): Readiness {
  if (state === 'exited' || state === 'dead') return 'failed';
  if (state !== 'running') return 'starting';
  if (health === undefined || health === '' || health === 'healthy') return 'ready';
  if (health === 'unhealthy') return 'unhealthy';
  return 'starting';
}

/**
 * When the current run of passing health checks began (Docker keeps the last five results), so
 * "how long after the last container became healthy" is measured from Docker's own clock.
 */
export function healthySince(c: ContainerInspect): number | undefined {
  const log = c.State.Health?.Log ?? [];
  let since: number | undefined;
  for (let i = log.length - 1; i >= 0 && log[i]?.ExitCode === 0; i--) {
    const end = Date.parse(log[i]?.End ?? '');
    if (!Number.isNaN(end)) since = end;
  }
  return since;
}

/** `docker pull`: the image's newest version for its tag. */
export async function pullImage(exec: Exec, image: string): Promise<{ ok: boolean; message: string }> {
  const r = await exec('docker', ['pull', image], { timeoutMs: 30 * 60_000 });
  return { ok: r.exitCode === 0, message: firstLine(r.exitCode === 0 ? (r.stdout.split('\n').at(-1) ?? '') : r.stderr || r.stdout) };
}

/** The local image id (`sha256:…`) a name points at, or undefined when there is none. */
export async function imageId(exec: Exec, image: string): Promise<string | undefined> {
  const r = await exec('docker', ['image', 'inspect', '--format', '{{.Id}}', image], { timeoutMs: 30_000 });
  return r.exitCode === 0 && r.stdout.trim().startsWith('sha256:') ? r.stdout.trim() : undefined;
}

/** Points a name at an image id again (the rollback of an update). */
export async function tagImage(exec: Exec, id: string, image: string): Promise<boolean> {
  return (await exec('docker', ['tag', id, image], { timeoutMs: 30_000 })).exitCode === 0;
}

/** The image id each named container runs, by container name. */
export async function containerImages(exec: Exec, names: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const c of await inspectContainers(exec, names)) {
    const image = (c as { Image?: unknown }).Image;
    if (typeof image === 'string') out[c.Name.replace(/^\//, '')] = image;
  }
  return out;
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The docker CLI's own words when the engine is stopped: then no container can be running here. */
export function engineStopped(message: string): boolean {
  return /cannot connect to the docker daemon/i.test(message);
}

export function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}
