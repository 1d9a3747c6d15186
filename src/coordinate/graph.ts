import { serviceName } from '../catalog/index.js';
import { SERVICE_IDS, type Secrets, type ServiceId, type StackConfig } from '../config/schema.js';
import type { TaskState } from '../state/task-runs.js';
import type { Hookup } from './types.js';

/**
 * The task graph: one node per hookup plus one `wait.<service>` readiness node per enabled
 * service, edges from `dependsOn`. Built once per run and validated before anything is sent.
 */

export interface TaskNode<C = unknown> {
  id: string;
  title: string;
  kind: 'hookup' | 'wait';
  services: ServiceId[];
  /** Only edges to nodes that exist and will run (see `buildGraph`). */
  dependsOn: string[];
  skipReason: string | null;
  hookup?: Hookup<C>;
  /** Nodes on the longest chain from here to the end, this one included: run the tallest first. */
  height: number;
}

export interface TaskGraph<C = unknown> {
  nodes: ReadonlyMap<string, TaskNode<C>>;
  /** Topological order, stable with respect to the order hookups were given in. */
  order: readonly string[];
}

export class GraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraphError';
  }
}

function waitId(service: ServiceId): string {
  return `wait.${service}`;
}

function isServiceId(s: string): s is ServiceId {
  return (SERVICE_IDS as readonly string[]).includes(s);
}

/** The service a task id belongs to by its first segment (`radarr.root-folder` → radarr). */
function ownerService(taskId: string): ServiceId | undefined {
  const parts = taskId.split('.');
  const first = parts[0] === 'wait' ? parts[1] : parts[0];
  return first !== undefined && isServiceId(first) ? first : undefined;
}

/**
 * Validates and links the hookups. Hookups that touch a disabled service are left out, and so
 * are removals (`whenOff`) while the service they clean up after is on. A
 * dependency is dropped (treated as satisfied) only when it names a skipped hookup, or a task
 * absent because its service is disabled (`wait.nzbget2`, `nzbget2.categories` with NZBGet 2
 * off). Any other unknown id, a duplicate id or a cycle is a programming error and throws a
 * GraphError before anything runs.
 */
export function buildGraph<C>(hookups: readonly Hookup<C>[], config: StackConfig, secrets: Secrets): TaskGraph<C> {
  const enabled = new Set(SERVICE_IDS.filter((id) => config.services[id].enabled));
  const nodes = new Map<string, TaskNode<C>>();
  for (const service of enabled) {
    nodes.set(waitId(service), {
      id: waitId(service),
      title: `Wait for ${serviceName(service)} to answer`,
      kind: 'wait',
      services: [service],
      dependsOn: [],
      skipReason: null,
      height: 1,
    });
  }
  const seen = new Set<string>();
  /** Hookups that touch a disabled service are not part of this stack at all (not even as skipped). */
  const absent = new Set<string>();
  for (const h of hookups) {
    if (seen.has(h.id)) throw new GraphError(`Two tasks share the id '${h.id}'.`);
    seen.add(h.id);
    if (h.services.some((s) => !enabled.has(s)) || (h.whenOff ?? []).some((s) => enabled.has(s))) {
      absent.add(h.id);
      continue;
    }
    nodes.set(h.id, {
      id: h.id,
      title: h.title,
      kind: 'hookup',
      services: [...h.services],
      dependsOn: [...h.dependsOn],
      skipReason: h.skipReason(config, secrets),
      hookup: h,
      height: 1,
    });
  }
  for (const node of nodes.values()) {
    node.dependsOn = node.dependsOn.filter((dep) => {
      const target = nodes.get(dep);
      if (target) return target.skipReason === null;
      if (absent.has(dep)) return false;
      const owner = ownerService(dep);
      if (owner && !enabled.has(owner)) return false;
      throw new GraphError(`Task '${node.id}' depends on '${dep}', which is not a known task.`);
    });
  }
  const order = topologicalOrder(nodes);
  for (const id of [...order].reverse()) {
    const node = nodes.get(id)!;
    for (const dep of node.dependsOn) {
      const target = nodes.get(dep)!;
      target.height = Math.max(target.height, node.height + 1);
    }
  }
  return { nodes, order };
}

function topologicalOrder(nodes: ReadonlyMap<string, TaskNode<unknown>>): string[] {
  const indegree = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const node of nodes.values()) {
    indegree.set(node.id, node.dependsOn.length);
    for (const dep of node.dependsOn) dependents.set(dep, [...(dependents.get(dep) ?? []), node.id]);
  }
  const order: string[] = [];
  const ready = [...nodes.keys()].filter((id) => indegree.get(id) === 0);
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(id);
    for (const next of dependents.get(id) ?? []) {
      const left = indegree.get(next)! - 1;
      indegree.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (order.length < nodes.size)
    throw new GraphError(`The tasks depend on each other in a cycle: ${findCycle(nodes, new Set(order)).join(' → ')}.`);
  return order;
}

function findCycle(nodes: ReadonlyMap<string, TaskNode<unknown>>, acyclic: Set<string>): string[] {
  const start = [...nodes.keys()].find((id) => !acyclic.has(id))!;
  const path = [start];
  for (;;) {
    const last = nodes.get(path[path.length - 1]!)!;
    const next = last.dependsOn.find((dep) => !acyclic.has(dep))!;
    const seen = path.indexOf(next);
    if (seen >= 0) return [...path.slice(seen), next].reverse();
    path.push(next);
  }
}

/** `*` matches any run of characters (dots included), `?` one character; the whole id must match. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export interface Selection {
  /** Tasks this run attempts, in topological order. */
  tasks: string[];
  /** `--only` globs that matched no task (the command reports them as bad usage). */
  unmatched: string[];
}

/**
 * Which tasks a run attempts.
 * - No `--only`/`--retry`: all of them.
 * - `--retry`: the hookups whose latest state is not `done` (never ran, failed, interrupted, skipped).
 * - `--only <glob>…`: the matching tasks (intersected with the above when both are given).
 * Then, for either subset, dependencies are pulled in when their latest state is not `done`
 * (an unfinished prerequisite runs first; a finished one is trusted and not repeated), and the
 * readiness waits the chosen tasks depend on always run: readiness is about now, not history.
 */
export function selectTasks(
  graph: TaskGraph<unknown>,
  opts: { only?: readonly string[]; retry?: boolean; latest?: ReadonlyMap<string, Pick<TaskState, 'status'>> },
): Selection {
  const latest = opts.latest ?? new Map();
  const isDone = (id: string) => latest.get(id)?.status === 'done';
  let base = [...graph.order];
  if (opts.retry) base = base.filter((id) => graph.nodes.get(id)!.kind === 'hookup' && !isDone(id));
  const unmatched: string[] = [];
  if (opts.only && opts.only.length > 0) {
    const patterns = opts.only.map((g) => ({ glob: g, re: globToRegExp(g) }));
    for (const p of patterns) if (!graph.order.some((id) => p.re.test(id))) unmatched.push(p.glob);
    base = base.filter((id) => patterns.some((p) => p.re.test(id)));
  }
  const chosen = new Set<string>();
  const visit = (id: string) => {
    if (chosen.has(id)) return;
    chosen.add(id);
    for (const dep of graph.nodes.get(id)!.dependsOn) {
      if (graph.nodes.get(dep)!.kind === 'wait' || !isDone(dep)) visit(dep);
    }
  };
  base.forEach(visit);
  return { tasks: graph.order.filter((id) => chosen.has(id)), unmatched };
}
