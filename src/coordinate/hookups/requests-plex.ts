import { containerName } from '../../catalog/index.js';
import { planAfterAdmin, requestsSkip } from './requests-shared.js';
import { differing, label, pending, updateOrUnchanged, type Ctx, type StackHookup } from './shared.js';

/**
 * The Plex server in the request manager, by container name (`plex:32400`). The app connects to
 * Plex when saving and fills in the server's name and machine id; an empty machine id means it has
 * never connected. Only `ip`, `port` and `useSsl` are sent (the rest is read-only).
 */

const PLEX_PORT = 32400;

function desired(ctx: Pick<Ctx, 'config'>) {
  return { ip: containerName('plex', ctx.config), port: PLEX_PORT, useSsl: false };
}

export function requestsPlex(): StackHookup {
  return {
    id: 'requests.plex',
    title: 'Request manager: Plex server',
    services: ['requests', 'plex'],
    dependsOn: ['requests.admin', 'wait.plex'],
    skipReason: (config, secrets) => requestsSkip(config, secrets, ['plex']),
    plan(ctx) {
      const want = desired(ctx);
      const target = `Plex server ${want.ip}:${want.port} in ${label('requests', ctx.config)}`;
      return planAfterAdmin(ctx, target, async () => {
        const current = await ctx.clients.requests.plexSettings();
        const fields = differing(current, want);
        if (!current.machineId) fields.push('machineId');
        return [updateOrUnchanged(target, fields)];
      });
    },
    async apply(ctx, plan) {
      if (pending(plan).length > 0) await ctx.clients.requests.savePlexSettings(desired(ctx));
    },
  };
}
