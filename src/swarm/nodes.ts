import { z } from 'zod';
import { dockerInfo, safeJson, type SwarmMembership } from '../docker/docker.js';
import type { Exec } from '../docker/exec.js';

/** The Swarm facts plexarr asks Docker for: this node's role and the nodes with their labels. */

export interface SwarmNode {
  id: string;
  hostname: string;
  /** `ready`, `down`, `unknown` as `docker node ls` reports them, lower-cased. */
  status: string;
  /** `active`, `pause` or `drain`: only an active node takes new tasks. */
  availability: string;
  manager: boolean;
  labels: Record<string, string>;
}

export type SwarmState = ({ ok: true } & SwarmMembership) | { ok: false; reason: string };

/** Whether this engine is in a swarm and a manager (only a manager can deploy or list nodes): `docker info`'s Swarm part. */
export async function swarmState(exec: Exec): Promise<SwarmState> {
  const info = await dockerInfo(exec);
  return info.ok ? { ok: true, ...info.swarm } : info;
}

const nodeInspectSchema = z.looseObject({
  ID: z.string(),
  Spec: z.looseObject({
    Labels: z.record(z.string(), z.string()).nullish(),
    Availability: z.string().optional(),
    Role: z.string().optional(),
  }),
  Description: z.looseObject({ Hostname: z.string().optional() }).optional(),
  Status: z.looseObject({ State: z.string().optional() }).optional(),
});

/**
 * Every node of the swarm with its labels: `docker node ls -q`, then `docker node inspect` (the
 * listing has no labels). Undefined when this engine cannot tell (not a manager, no engine).
 */
export async function swarmNodes(exec: Exec): Promise<SwarmNode[] | undefined> {
  const ls = await exec('docker', ['node', 'ls', '-q'], { timeoutMs: 20_000 });
  if (ls.exitCode !== 0) return undefined;
  const ids = ls.stdout
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) return [];
  const r = await exec('docker', ['node', 'inspect', ...ids], { timeoutMs: 20_000 });
  const parsed = z.array(nodeInspectSchema).safeParse(safeJson(r.stdout));
  if (r.exitCode !== 0 || !parsed.success) return undefined;
  return parsed.data
    .map((n) => ({
      id: n.ID,
      hostname: n.Description?.Hostname ?? n.ID,
      status: (n.Status?.State ?? 'unknown').toLowerCase(),
      availability: (n.Spec.Availability ?? 'unknown').toLowerCase(),
      manager: n.Spec.Role === 'manager',
      labels: n.Spec.Labels ?? {},
    }))
    .sort((a, b) => a.hostname.localeCompare(b.hostname));
}
