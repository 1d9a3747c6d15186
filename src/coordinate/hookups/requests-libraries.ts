import type { RequestsLibrary } from '../../clients/seerr.js';
import { PLEX_LIBRARIES } from './plex-libraries.js';
import { planAfterAdmin, requestsSkip } from './requests-shared.js';
import { label, pending, updateOrUnchanged, type Ctx, type StackHookup } from './shared.js';

/**
 * The Movies and TV Shows libraries enabled in the request manager. Its library call enables the
 * listed ids and disables all others (trap 11), even a sync, so the plan reads the list from the
 * Plex settings, and every call sends the libraries already enabled plus ours.
 */

const WANTED = PLEX_LIBRARIES.filter((l) => l.type === 'movie' || l.type === 'show').map((l) => l.name);

const enabledIds = (list: readonly RequestsLibrary[]) => list.filter((l) => l.enabled).map((l) => l.id);

async function currentLibraries(ctx: Ctx): Promise<RequestsLibrary[]> {
  return (await ctx.clients.requests.plexSettings()).libraries ?? [];
}

export function requestsLibraries(): StackHookup {
  return {
    id: 'requests.libraries',
    title: 'Request manager: enable the Movies and TV Shows libraries',
    services: ['requests', 'plex'],
    dependsOn: ['requests.plex', 'plex.libraries'],
    skipReason: (config, secrets) => requestsSkip(config, secrets, ['plex']),
    plan(ctx) {
      const target = `libraries ${WANTED.join(', ')} in ${label('requests', ctx.config)}`;
      return planAfterAdmin(ctx, target, async () => {
        const list = await currentLibraries(ctx);
        const off = WANTED.filter((name) => !list.some((l) => l.name === name && l.enabled));
        return [updateOrUnchanged(target, off)];
      });
    },
    async apply(ctx, plan) {
      if (pending(plan).length === 0) return;
      const requests = ctx.clients.requests;
      let list = await currentLibraries(ctx);
      if (WANTED.some((name) => !list.some((l) => l.name === name))) list = await requests.setLibraries(enabledIds(list), { sync: true });
      const missing = WANTED.filter((name) => !list.some((l) => l.name === name));
      if (missing.length > 0) {
        throw new Error(
          `${label('requests', ctx.config)} sees no Plex library named ${missing.join(', ')} after a sync; check the Plex libraries (hookup plex.libraries), then run \`plexarr coordinate --retry\`.`,
        );
      }
      const ours = list.filter((l) => WANTED.includes(l.name)).map((l) => l.id);
      await requests.setLibraries([...new Set([...enabledIds(list), ...ours])]);
    },
  };
}
