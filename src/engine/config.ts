import { z } from 'zod';
import { SERVICE_IDS, type ServiceId } from '../catalog/ids.js';

/**
 * Which engine runs the stack: Docker Compose on this host (the default), or Docker Swarm across
 * nodes (`docker stack deploy`). A config without `engine` is a Compose stack, so every
 * configuration saved before Swarm existed reads back unchanged.
 */
export const ENGINES = ['compose', 'swarm'] as const;
export type Engine = (typeof ENGINES)[number];
export const engineSchema = z.enum(ENGINES, { error: `must be one of: ${ENGINES.join(', ')}` });

/**
 * One Swarm placement constraint, as `docker service create --constraint` takes it: a node
 * attribute or label, `==` or `!=`, a value. Checked here so a typo fails at init, not as a task
 * that stays pending forever because no node matches.
 */
const CONSTRAINT =
  /^(node\.(id|hostname|role|platform\.os|platform\.arch)|(node|engine)\.labels\.[A-Za-z0-9][A-Za-z0-9._-]*)\s*(==|!=)\s*[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const constraintSchema = z
  .string()
  .regex(CONSTRAINT, 'must look like node.labels.<label>==<value>, node.hostname==<name> or node.role==manager (operators == and !=)');

/** `--place plex=node.labels.gpu==true`: per service, one constraint or a list (all must hold). */
export const placementsSchema = z.partialRecord(z.enum(SERVICE_IDS), z.array(constraintSchema).min(1, 'must name at least one constraint'));
export type Placements = z.infer<typeof placementsSchema>;

/** The answers-file form also takes a single constraint as a string. */
export const placeAnswerSchema = z.record(
  z.string(),
  z.union([constraintSchema, z.array(constraintSchema).min(1, 'must name at least one constraint')]),
);

export function engineOf(config: { engine?: Engine | undefined }): Engine {
  return config.engine ?? 'compose';
}

export function constraintsOf(config: { placements?: Placements | undefined }, id: ServiceId): string[] {
  return config.placements?.[id] ?? [];
}

/** The labels (`node.labels.gpu`) the constraints use, for doctor to look for on the nodes. */
export function labelsUsed(placements: Placements | undefined): string[] {
  const labels = Object.values(placements ?? {}).flatMap((list) =>
    list.map((c) => /^node\.labels\.([^=!\s]+)/.exec(c)?.[1]).filter((l): l is string => l !== undefined),
  );
  return [...new Set(labels)].sort();
}
