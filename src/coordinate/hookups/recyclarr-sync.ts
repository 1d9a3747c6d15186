import { recyclarrYaml } from '../../catalog/recyclarr.js';
import { plexarrCommand } from '../../ui/invocation.js';
import { disabledReason, pending, updateOrUnchanged, type StackHookup } from './shared.js';

/**
 * `recyclarr sync` once Radarr and Sonarr answer, so the TRaSH quality definitions, profile and
 * custom formats of recyclarr.yml are in the apps from day one (the image repeats it on its own
 * schedule afterwards). Whether a sync is due cannot be read from the apps, so the plan compares
 * the file with the fingerprint of the one last synced: a new quality profile plans a sync, an
 * unchanged file plans nothing. Recyclarr fetches the guides from the internet; when that fails the
 * hookup fails once with Recyclarr's words (a retry would meet the same network).
 */

const TARGET = 'recyclarr.sync#recyclarr.yml';

export function recyclarrSyncHookup(): StackHookup {
  return {
    id: 'recyclarr.sync',
    title: 'Recyclarr: TRaSH quality profiles in Radarr and Sonarr',
    services: ['recyclarr'],
    dependsOn: ['wait.recyclarr', 'wait.radarr', 'wait.sonarr'],
    skipReason: (config) => disabledReason(config, ['recyclarr']),
    async plan(ctx) {
      const synced = ctx.applied.matches(TARGET, recyclarrYaml(ctx.config));
      return [
        updateOrUnchanged(`Recyclarr sync of the ${ctx.config.qualityProfile.toUpperCase()} profile`, synced ? [] : ['recyclarr sync']),
      ];
    },
    async apply(ctx, plan) {
      if (pending(plan).length === 0) return;
      try {
        await ctx.clients.recyclarr.sync();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw Object.assign(
          new Error(
            `${reason}\nRecyclarr needs internet access to the TRaSH guides; fix that, then run \`${plexarrCommand('coordinate --retry')}\`.`,
            { cause: error },
          ),
          { transient: false },
        );
      }
      ctx.applied.record(TARGET, recyclarrYaml(ctx.config));
    },
  };
}
