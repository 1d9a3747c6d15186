import { covers, PLEX_LIBRARIES } from './plex-libraries.js';
import { planAfterAdmin, requestsSkip } from './requests-shared.js';
import { label, pending, updateOrUnchanged, type StackHookup } from './shared.js';
import { plexarrCommand } from '../../ui/invocation.js';

/**
 * The Movies and TV Shows libraries enabled in the request manager. Its library call enables the
 * listed ids and disables all others, even for a sync, so the plan reads the list from
 * the Plex settings and the one call it makes sends the libraries already enabled plus ours. Ours
 * are found in Plex by folder and type (their ids are Plex section keys), so a renamed library is
 * still recognised, and a sync in the same call brings in the ones the app has not seen yet.
 * The answer is checked: when the app cannot reach Plex, a sync answers 200 with an empty list
 * (and clears the libraries), which must not be reported as done.
 */

const WANTED = PLEX_LIBRARIES.filter((l) => l.type === 'movie' || l.type === 'show');

interface LibrariesData {
  ids: string[];
  /** Ours (Plex section keys): the ones the answer must show enabled. */
  ours: string[];
  sync: boolean;
}

export function requestsLibraries(): StackHookup {
  return {
    id: 'requests.libraries',
    title: 'Request manager: enable the Movies and TV Shows libraries',
    services: ['requests', 'plex'],
    dependsOn: ['requests.plex', 'plex.libraries'],
    skipReason: (config, secrets) => requestsSkip(config, secrets, ['plex']),
    plan(ctx) {
      const target = `libraries ${WANTED.map((l) => l.name).join(', ')} in ${label('requests', ctx.config)}`;
      return planAfterAdmin(ctx, target, async () => {
        const [settings, sections] = await Promise.all([ctx.clients.requests.plexSettings(), ctx.clients.plex.sections()]);
        const list = settings.libraries ?? [];
        const ours = WANTED.map((want) => ({ want, key: sections.find((s) => covers(s, want))?.key }));
        const missing = ours.filter((o) => o.key === undefined).map((o) => o.want.name);
        // Only a dry run gets here before plex.libraries has created them.
        if (missing.length > 0 && !ctx.dryRun) {
          throw new Error(
            `Plex has no library on ${missing.join(', ')}'s folder; run \`${plexarrCommand('coordinate --only plex.libraries')}\`, then \`${plexarrCommand('coordinate --retry')}\`.`,
          );
        }
        const off = ours.filter((o) => !list.some((l) => l.id === o.key && l.enabled));
        const keys = ours.flatMap((o) => (o.key === undefined ? [] : [o.key]));
        const data: LibrariesData = {
          ids: [...new Set([...list.filter((l) => l.enabled).map((l) => l.id), ...keys])],
          ours: keys,
          sync: keys.some((key) => !list.some((l) => l.id === key)),
        };
        return [
          updateOrUnchanged(
            target,
            off.map((o) => o.want.name),
            data,
          ),
        ];
      });
    },
    async apply(ctx, plan) {
      for (const change of pending(plan)) {
        const { ids, ours, sync } = change.data as LibrariesData;
        const after = await ctx.clients.requests.setLibraries(ids, { sync });
        const off = ours.filter((id) => !after.some((l) => l.id === id && l.enabled));
        if (off.length === 0) continue;
        const name = label('requests', ctx.config);
        const what = after.length === 0 ? 'no libraries at all' : `without Plex library ${off.join(', ')} enabled`;
        throw new Error(
          `${name} answered the library update with ${what}: it could not read them from Plex. Check that ${name} reaches Plex (hookup requests.plex), then run \`${plexarrCommand('coordinate --retry')}\`.`,
        );
      }
    },
  };
}
