import { labelsUsed } from '../engine/config.js';
import { swarmNodes, swarmState, type SwarmNode } from '../swarm/nodes.js';
import type { CheckResult, ConfiguredContext } from './types.js';
import { plexarrCommand } from '../ui/invocation.js';

/** Swarm stacks only: this engine can deploy, the nodes can take tasks, and every placement has a node. */

export async function swarmManager(ctx: Pick<ConfiguredContext, 'exec'>): Promise<CheckResult> {
  const s = await swarmState(ctx.exec);
  if (!s.ok)
    return {
      id: 'swarm.manager',
      status: 'fail',
      message: s.reason,
      fix: 'Start the engine (or set DOCKER_HOST to a manager) and check with `docker info`.',
    };
  if (!s.active)
    return {
      id: 'swarm.manager',
      status: 'fail',
      message: 'this engine is not in a swarm',
      fix: `Create one with \`docker swarm init\` (or \`docker swarm join\` an existing one), or use \`${plexarrCommand('init --engine compose')}\`.`,
    };
  if (!s.manager)
    return {
      id: 'swarm.manager',
      status: 'fail',
      message: 'this engine is a swarm worker: only a manager can deploy the stack',
      fix: 'Run plexarr on a manager node (`docker node ls` works there), or promote this one with `docker node promote`.',
    };
  return { id: 'swarm.manager', status: 'ok', message: 'this engine is a swarm manager' };
}

/** Which of a service's constraints no usable node satisfies (only `==` constraints can be proven unmet). */
function unmet(constraint: string, nodes: readonly SwarmNode[]): boolean {
  const match = /^(node\.hostname|node\.role|node\.labels\.([^=!\s]+))\s*==\s*(\S+)$/.exec(constraint);
  if (!match) return false;
  const [, attribute, label, value] = match;
  return !nodes.some((n) =>
    label !== undefined
      ? n.labels[label] === value
      : attribute === 'node.hostname'
        ? n.hostname === value
        : (n.manager ? 'manager' : 'worker') === value,
  );
}

export async function swarmNodesReady(ctx: Pick<ConfiguredContext, 'exec' | 'config'>): Promise<CheckResult> {
  const nodes = await swarmNodes(ctx.exec);
  if (!nodes)
    return {
      id: 'swarm.nodes',
      status: 'warn',
      message: 'could not list the swarm nodes (only a manager can)',
      fix: `Run \`${plexarrCommand('doctor')}\` on a manager node.`,
    };
  const usable = nodes.filter((n) => n.status === 'ready' && n.availability === 'active');
  const unusable = nodes.filter((n) => !usable.includes(n)).map((n) => `${n.hostname} (${n.status}, ${n.availability})`);
  const problems = Object.entries(ctx.config.placements ?? {}).flatMap(([id, constraints]) =>
    constraints.filter((c) => unmet(c, usable)).map((c) => `${id}: ${c}`),
  );
  const labels = labelsUsed(ctx.config.placements);
  const summary = `${usable.length} of ${nodes.length} nodes ready and active${labels.length > 0 ? `; labels used by placements: ${labels.join(', ')}` : ''}`;
  if (problems.length > 0) {
    const label = /node\.labels\.([^=!\s]+)\s*==\s*(\S+)$/.exec(problems[0] ?? '');
    return {
      id: 'swarm.nodes',
      status: 'fail',
      message: `no ready, active node satisfies ${problems.join('; ')} (${summary}); these services would stay pending`,
      fix: label
        ? `Label the node that should run it: \`docker node update --label-add ${label[1]}=${label[2]} <node>\`, or change the placement with \`${plexarrCommand('init --place …')}\`.`
        : `Change the placement with \`${plexarrCommand('init --place …')}\`, or bring the node back (\`docker node update --availability active <node>\`).`,
    };
  }
  if (unusable.length > 0)
    return {
      id: 'swarm.nodes',
      status: 'warn',
      message: `${summary}; not taking tasks: ${unusable.join(', ')}`,
      fix: 'Bring them back with `docker node update --availability active <node>` once they are ready.',
    };
  return { id: 'swarm.nodes', status: 'ok', message: summary };
}
