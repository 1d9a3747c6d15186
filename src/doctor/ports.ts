import { portsInUse, publishedPorts } from '../catalog/index.js';
import type { CheckResult, ConfiguredContext } from './types.js';
import { plexarrCommand } from '../ui/invocation.js';

/**
 * Every host port the enabled services publish must be free — or already held by this stack's own
 * containers (after a deploy they are, and that is fine).
 */
export async function portsFree(ctx: Pick<ConfiguredContext, 'config' | 'exec' | 'isPortFree' | 'stackPorts'>): Promise<CheckResult> {
  const ports = publishedPorts(ctx.config);
  const busy = [...(await portsInUse(ports, async (port, protocol) => !(await ctx.isPortFree(port, protocol))))];
  if (busy.length === 0)
    return { id: 'ports', status: 'ok', message: `all ${ports.length} host ports are free (${ports.map((p) => p.port).join(', ')})` };

  const ours = await ctx.stackPorts(ctx.exec);
  const foreign = busy.filter((p) => !ours.has(p.port));
  if (foreign.length === 0) return { id: 'ports', status: 'ok', message: `all ${ports.length} host ports are free or held by this stack` };
  const list = foreign.map((p) => `${p.port}/${p.protocol} (${p.service} ${p.role})`).join(', ');
  return {
    id: 'ports',
    status: 'fail',
    message: `in use by another program: ${list}`,
    fix: `Stop what holds ${foreign.length === 1 ? 'it' : 'them'} (\`sudo ss -ltnup | grep ':${foreign[0]!.port}'\` shows who), or choose other ports with \`${plexarrCommand('init')}\`.`,
  };
}
