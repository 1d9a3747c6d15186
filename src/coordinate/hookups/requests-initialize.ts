import { requestsSkip } from './requests-shared.js';
import { label, pending, unchanged, type StackHookup } from './shared.js';

/** Marks the request manager's setup as finished, so its UI opens on the app, not the wizard. */
export function requestsInitialize(): StackHookup {
  return {
    id: 'requests.initialize',
    title: 'Request manager: finish setup',
    services: ['requests'],
    dependsOn: ['requests.plex', 'requests.libraries', 'requests.radarr', 'requests.sonarr'],
    skipReason: (config, secrets) => requestsSkip(config, secrets),
    async plan(ctx) {
      const target = `${label('requests', ctx.config)} setup finished`;
      const { initialized } = await ctx.clients.requests.publicSettings();
      return [initialized ? unchanged(target) : { kind: 'create', target }];
    },
    async apply(ctx, plan) {
      if (pending(plan).length > 0) await ctx.clients.requests.initialize();
    },
  };
}
