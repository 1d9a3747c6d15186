import { isApiError } from '../../clients/errors.js';
import type { NewSection, PlexSection } from '../../clients/plex.js';
import { disabledReason, firstReason, MEDIA_DIRS, pending, plexTokenReason, unchanged, type StackHookup } from './shared.js';
import type { PlannedChange } from '../types.js';
import { plexarrCommand } from '../../ui/invocation.js';

/**
 * Plex libraries Movies, TV Shows and Music on the media folders with the current Plex agents.
 * A library counts as present when a section of the same type already covers
 * the folder (whatever the user renamed it to); nothing is ever changed or removed.
 */

export const PLEX_LIBRARIES: readonly NewSection[] = [
  { name: 'Movies', type: 'movie', agent: 'tv.plex.agents.movie', scanner: 'Plex Movie', language: 'en-US', location: MEDIA_DIRS.movies },
  { name: 'TV Shows', type: 'show', agent: 'tv.plex.agents.series', scanner: 'Plex TV Series', language: 'en-US', location: MEDIA_DIRS.tv },
  { name: 'Music', type: 'artist', agent: 'tv.plex.agents.music', scanner: 'Plex Music', language: 'en-US', location: MEDIA_DIRS.music },
];

/** A section of the same type already on the folder counts as that library, whatever its title. */
export const covers = (section: PlexSection, want: NewSection) =>
  section.type === want.type && (section.Location ?? []).some((l) => l.path.replace(/\/+$/, '') === want.location);

export function plexLibraries(): StackHookup {
  return {
    id: 'plex.libraries',
    title: 'Plex: libraries Movies, TV Shows, Music',
    services: ['plex'],
    dependsOn: ['wait.plex'],
    skipReason: (config, secrets) => firstReason(disabledReason(config, ['plex']), plexTokenReason(secrets)),
    async plan(ctx) {
      const sections = await ctx.clients.plex.sections().catch((error: unknown) => {
        if (!isApiError(error, 401)) throw error;
        throw new Error(
          `Plex refused the Plex account token: the server is not claimed by that account (the claim runs on first start, with PLEX_CLAIM) — claim it at http://<host>:32400/web, or give the owner's token with \`${plexarrCommand('coordinate --plex-token <token>')}\`.`,
          { cause: error },
        );
      });
      return PLEX_LIBRARIES.map((want): PlannedChange => {
        const target = `Plex library '${want.name}' on ${want.location}`;
        return sections.some((s) => covers(s, want)) ? unchanged(target) : { kind: 'create', target, data: want };
      });
    },
    async apply(ctx, plan) {
      for (const change of pending(plan)) await ctx.clients.plex.addSection(change.data as NewSection);
    },
  };
}
