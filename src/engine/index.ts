import { existsSync } from 'node:fs';
import { catalogEntry, SERVICE_IDS } from '../catalog/index.js';
import type { StackConfig } from '../config/schema.js';
import {
  composeCommand,
  composeDown,
  composePs,
  composeRecreate,
  composeStart,
  composeStop,
  composeUp,
  detectCompose,
  imageList,
  serviceImages,
  stackPorts,
  UP_ARGS,
  type ContainerInfo,
} from '../docker/compose.js';
import type { ContainerInspect } from '../docker/docker.js';
import { containerImages, imageId, inspectContainers, PROJECT } from '../docker/docker.js';
import { commandLine, type Exec } from '../docker/exec.js';
import { stackPaths } from '../home.js';
import { latestConfig } from '../state/configs.js';
import { openState } from '../state/db.js';
import {
  deployArgs,
  stackConfig,
  stackDeploy,
  stackRemove,
  stackTasks,
  swarmStackPorts,
  tasksAsContainers,
  type SwarmTask,
} from '../swarm/docker.js';
import { currentTaskId, localTaskImages, pinnedRef, serviceScale, serviceUpdate, waitReplaced, waitStopped } from '../swarm/service.js';
import { engineOf, type Engine } from './config.js';
import { parse as parseYaml } from 'yaml';
import { WorkError } from '../errors.js';

/**
 * What deploy, down, status and coordinate ask of the engine that runs the stack. Compose is the
 * default; Swarm runs the same services through `docker stack`. Each command asks `openEngine`
 * and never calls Compose or Swarm directly, so both engines share one code path.
 */
export interface StackEngine {
  kind: Engine;
  /** How status and deploy name it: `Compose v2 2.24.5`, `Swarm`. */
  label: string;
  /** What `ps` calls the flavour: Compose's `v2`/`v1`, or `swarm`. */
  flavour: 'v2' | 'v1' | 'swarm';
  version: string;
  upCommand(stackFile: string): string;
  /** The argv of `down`, for --json output. */
  downCommand(stackFile: string): string[];
  /** How `replace` runs, for update's dry run. */
  replaceCommand(stackFile: string): string;
  up(stackFile: string): Promise<void>;
  /** `removeOrphans` also removes containers of services no longer in the file (uninstall). */
  down(stackFile: string, opts?: { removeOrphans?: boolean }): Promise<void>;
  ps(stackFile: string): Promise<ContainerInfo[]>;
  /** Image names the file uses, as the engine itself resolves the file (it fails on a bad one). */
  images(stackFile: string): Promise<string[]>;
  /** Each service's image name, by container name, as the engine resolves the file. */
  serviceImages(stackFile: string): Promise<Record<string, string>>;
  /**
   * The image id each named container runs. Swarm: a task on another node cannot be inspected
   * here, so the id its image name has on this host stands in (what the stack was deployed with).
   */
  imageIds(stackFile: string, containers: readonly string[]): Promise<Record<string, string>>;
  /** Runs one service on image `id`, which `ref` names on this host now, leaving the others running. */
  replace(stackFile: string, container: string, image: { ref: string; id: string }): Promise<void>;
  /** Stops the named services and waits until they are, keeping them so that `start` brings them back as they were. */
  stop(stackFile: string, containers: readonly string[]): Promise<void>;
  start(stackFile: string, containers: readonly string[]): Promise<void>;
  /** What the health wait reads for each container name of the catalog. */
  inspect(containers: readonly string[]): Promise<ContainerInspect[]>;
  /** How a person reads a service's logs (named in the health wait's messages). */
  logsCommand(container: string): string;
  /** Host ports this stack's own containers hold here (not "in use by another program"). */
  ownPorts(exec: Exec): Promise<Set<number>>;
}

export interface EngineDeps {
  exec: Exec;
  sleep?(ms: number): Promise<void>;
}

export type EngineConfig = Partial<Pick<StackConfig, 'engine' | 'requestManager'>>;

export async function openEngine(deps: EngineDeps, config: EngineConfig): Promise<StackEngine> {
  return engineOf(config) === 'swarm' ? swarmEngine(deps, config.requestManager ?? 'seerr') : composeEngine(deps.exec);
}

/** The engine part of the last saved configuration, for commands that need nothing else from it (down). */
export function savedEngineConfig(home: string): EngineConfig {
  if (!existsSync(stackPaths(home).db)) return {};
  const state = openState(home, { readonly: true });
  try {
    const config = latestConfig(state.db);
    return config ? { engine: engineOf(config), requestManager: config.requestManager } : {};
  } finally {
    state.close();
  }
}

async function composeEngine(exec: Exec): Promise<StackEngine> {
  const compose = await detectCompose(exec);
  const line = (file: string, args: readonly string[]) => {
    const c = composeCommand(compose, file, args);
    return commandLine(c.file, c.args);
  };
  return {
    kind: 'compose',
    label: `Compose ${compose.kind} ${compose.version}`,
    flavour: compose.kind,
    version: compose.version,
    upCommand: (file) => line(file, UP_ARGS),
    downCommand: (file) => {
      const c = composeCommand(compose, file, ['down']);
      return [c.file, ...c.args];
    },
    replaceCommand: (file) => line(file, ['up', '-d', '--no-deps', '<service>']),
    up: (file) => composeUp(exec, compose, file),
    down: (file, opts) => composeDown(exec, compose, file, opts),
    ps: (file) => composePs(exec, compose, file),
    images: (file) => imageList(exec, compose, file),
    serviceImages: (file) => serviceImages(exec, compose, file),
    imageIds: (_file, names) => containerImages(exec, names),
    // Compose reads the image from the file, and the name now points at `id` on this host.
    replace: (file, container) => composeRecreate(exec, compose, file, [container]),
    stop: (file, names) => composeStop(exec, compose, file, { services: names }),
    start: (file, names) => composeStart(exec, compose, file, { services: names }),
    inspect: (names) => inspectContainers(exec, names),
    logsCommand: (container) => `docker logs ${container}`,
    ownPorts: stackPorts,
  };
}

function swarmEngine(deps: EngineDeps, requestManager: StackConfig['requestManager']): StackEngine {
  const { exec } = deps;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // The request manager's health check differs by variant: read through catalogEntry.
  const healthChecked = (service: string) =>
    SERVICE_IDS.some((id) => {
      const entry = catalogEntry(id, { requestManager });
      return entry.container === service && entry.healthcheck !== undefined;
    });
  const images = async (file: string): Promise<Record<string, string>> => {
    const doc = parseYaml(await stackConfig(exec, file)) as { services?: Record<string, { image?: unknown }> } | null;
    return Object.fromEntries(
      Object.entries(doc?.services ?? {}).flatMap(([name, svc]) => (typeof svc.image === 'string' ? [[name, svc.image]] : [])),
    );
  };
  const tasks = async (): Promise<SwarmTask[]> => {
    const r = await stackTasks(exec);
    if ('error' in r) throw new WorkError(`docker stack ps failed: ${r.error}`);
    return r.tasks;
  };
  return {
    kind: 'swarm',
    label: 'Swarm',
    flavour: 'swarm',
    version: '',
    upCommand: (file) => commandLine('docker', deployArgs(file)),
    downCommand: () => ['docker', 'stack', 'rm', PROJECT],
    up: (file) => stackDeploy(exec, file),
    down: () => stackRemove(exec, { sleep }),
    ps: async () => tasksAsContainers(await tasks(), healthChecked),
    replaceCommand: () => `docker service update --detach --no-resolve-image --image <image> --force ${PROJECT}_<service>`,
    images: async (file) => [...new Set(Object.values(await images(file)))].sort(),
    serviceImages: (file) => images(file),
    imageIds: async (file, names) => {
      const local = await localTaskImages(exec);
      const refs = names.every((n) => local[n]) ? {} : await images(file);
      const out: Record<string, string> = {};
      for (const n of names) {
        const id = local[n] ?? (refs[n] ? await imageId(exec, refs[n]) : undefined);
        if (id) out[n] = id;
      }
      return out;
    },
    replace: async (_file, service, image) => {
      const old = await currentTaskId(exec, service);
      await serviceUpdate(exec, service, await pinnedRef(exec, image.id, image.ref));
      if (old) await waitReplaced(exec, service, old, { sleep });
    },
    stop: async (_file, services) => {
      await serviceScale(exec, services, 0);
      await waitStopped(exec, services, { sleep });
    },
    // The stack file runs one task per service.
    start: (_file, services) => serviceScale(exec, services, 1),
    inspect: async (names) => {
      const byService = new Map((await tasks()).map((t) => [t.service, t]));
      return names.flatMap((name) => {
        const t = byService.get(name);
        return t ? [taskAsInspect(name, t, healthChecked(name))] : [];
      });
    },
    logsCommand: (service) => `docker service logs ${PROJECT}_${service}`,
    ownPorts: swarmStackPorts,
  };
}

/**
 * A task in the shape the health wait reads. Swarm reports a task `starting` until its health check
 * passes, on any node, so a `running` task of a checked service is healthy; a task Swarm cannot
 * place (`pending`) or that failed carries Swarm's reason as the last check's output.
 */
function taskAsInspect(name: string, t: SwarmTask, checked: boolean): ContainerInspect {
  const running = t.state === 'running' || t.state === 'starting';
  const health = t.state === 'starting' || t.error ? 'starting' : checked && running ? 'healthy' : undefined;
  return {
    Id: t.name,
    Name: `/${name}`,
    State: {
      Status: running ? 'running' : t.state,
      ...(health ? { Health: { Status: health, Log: t.error ? [{ Output: `${t.error}${t.node ? ` (node ${t.node})` : ''}` }] : [] } } : {}),
    },
    Config: {},
    NetworkSettings: {},
  };
}
