import { serviceName } from '../catalog/index.js';
import { SERVICE_IDS } from '../config/schema.js';
import type { WizardContext } from './context.js';

const ANY = '*';

/** What the wizard says once for a Swarm stack: tasks move between nodes, the data must not. */
export const SHARED_MEDIA_NOTE =
  'On Swarm the media root and the config root must be the same shared path on every node that runs a service (an NFS or SMB export mounted at the same place): imports are hardlinks, so movies, TV and downloads must be on one filesystem.';

/**
 * Swarm only: which node each chosen service runs on. The choices are the swarm's nodes by host
 * name (a constraint `node.hostname==<name>`); "any node" leaves the service unconstrained. Label
 * constraints (`node.labels.gpu==true`) are given with `--place` or the answers file.
 */
export async function placement(ctx: Pick<WizardContext, 'prompt' | 'answers' | 'defaults' | 'log' | 'swarmNodes'>): Promise<void> {
  const { prompt, answers, defaults, log } = ctx;
  if (answers.engine !== 'swarm') return;
  log.warn(SHARED_MEDIA_NOTE);
  const nodes = (await ctx.swarmNodes?.()) ?? [];
  if (nodes.length === 0) {
    log.info(
      'No Swarm nodes to choose from (this engine is not a swarm manager): every service may run on any node; use --place to pin one.',
    );
    return;
  }
  const place: Record<string, string | string[]> = { ...answers.place };
  for (const id of SERVICE_IDS.filter((s) => answers.services?.includes(s))) {
    if (place[id] !== undefined) continue;
    const saved = defaults.place?.[id];
    const savedHost = /^node\.hostname==(.+)$/.exec(typeof saved === 'string' ? saved : (saved?.[0] ?? ''))?.[1];
    const choice = await prompt.select<string>({
      name: `place.${id}`,
      message: `Node for ${serviceName(id)}`,
      choices: [{ value: ANY, name: 'any node' }, ...nodes.map((n) => ({ value: n, name: n }))],
      default: savedHost && nodes.includes(savedHost) ? savedHost : ANY,
    });
    if (choice !== ANY) place[id] = [`node.hostname==${choice}`];
  }
  if (Object.keys(place).length > 0) answers.place = place;
}
