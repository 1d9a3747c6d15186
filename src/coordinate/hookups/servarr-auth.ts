import { CATALOG } from '../../catalog/index.js';
import type { HostConfig } from '../../clients/servarr.js';
import { disabledReason, pending, secret, updateOrUnchanged, type StackHookup } from './shared.js';

/**
 * Forms login for the stack's admin user in the *arr web UI: GET `config/host`,
 * then PUT the full resource back with the method, user and password. `basic` is never used
 * (Radarr v6 and Prowlarr v2 reject it). The app never returns the password itself (masked or
 * hashed), so a password changed inside the app is not detected; method and user name are.
 */

type ServarrApp = 'radarr' | 'sonarr' | 'lidarr' | 'prowlarr';

export function servarrAuth(app: ServarrApp): StackHookup {
  const target = `Forms login for the admin user in ${CATALOG[app].label}`;
  return {
    id: `${app}.auth`,
    title: `${CATALOG[app].label}: web UI login (Forms)`,
    services: [app],
    dependsOn: [`wait.${app}`],
    skipReason: (config) => disabledReason(config, [app]),
    async plan(ctx) {
      const host = await ctx.clients[app].hostConfig();
      const fields: string[] = [];
      if (host.authenticationMethod?.toLowerCase() !== 'forms') fields.push('authenticationMethod');
      // The apps store user names lower-cased.
      if (host.username?.toLowerCase() !== ctx.config.adminUser.toLowerCase()) fields.push('username');
      const password = secret(ctx.secrets, 'ADMIN_PASSWORD');
      const body: HostConfig = {
        ...host,
        authenticationMethod: 'forms',
        authenticationRequired: host.authenticationRequired ?? 'enabled',
        username: ctx.config.adminUser,
        password,
        passwordConfirmation: password,
      };
      return [updateOrUnchanged(target, fields, body)];
    },
    async apply(ctx, plan) {
      for (const change of pending(plan)) await ctx.clients[app].saveHostConfig(change.data as HostConfig);
    },
  };
}
