import { containerName, webPort } from '../../catalog/index.js';
import type { ArrApp } from '../../clients/arr.js';
import { ARR_APPS } from './apps.js';
import { applyProvider, planProvider, type ProviderSpec } from './provider.js';
import { disabledReason, firstReason, plexTokenReason, secret, updateOrUnchanged, type Ctx, type StackHookup } from './shared.js';

/**
 * Plex notices an import right away instead of at its next scheduled scan: it watches the library
 * folders ("scan my library automatically", scanning only the changed folder), and each *arr app
 * tells it about every import, upgrade and rename through a Plex Media Server notification.
 */

/** Plex's own setting ids; both default to off. */
export const PLEX_SCAN_PREFS = { FSEventLibraryUpdatesEnabled: '1', FSEventLibraryPartialScanEnabled: '1' } as const;

/** Plex answers booleans as true/false and takes 1/0. */
const isOn = (value: string | undefined) => value === '1' || value?.toLowerCase() === 'true';

export function plexScanPrefs(): StackHookup {
  return {
    id: 'plex.scan-settings',
    title: 'Plex: scan libraries when files change',
    services: ['plex'],
    dependsOn: ['wait.plex'],
    skipReason: (config, secrets) => firstReason(disabledReason(config, ['plex']), plexTokenReason(secrets)),
    async plan(ctx) {
      const prefs = await ctx.clients.plex.prefs();
      const fields = Object.keys(PLEX_SCAN_PREFS).filter((id) => !isOn(prefs[id]));
      return [updateOrUnchanged('Plex settings "scan my library automatically" and "partial scan"', fields)];
    },
    async apply(ctx) {
      await ctx.clients.plex.setPrefs({ ...PLEX_SCAN_PREFS });
    },
  };
}

/** Lidarr names its import event `onReleaseImport`; Radarr and Sonarr `onDownload`. */
const IMPORT_FLAG: Record<ArrApp, string> = { radarr: 'onDownload', sonarr: 'onDownload', lidarr: 'onReleaseImport' };

function notificationSpec(ctx: Ctx, app: ArrApp, key: string): ProviderSpec {
  const host = containerName('plex', ctx.config);
  return {
    target: `Plex Media Server notification in ${ARR_APPS[app].label}`,
    key,
    api: ctx.clients[app].notifications,
    match: (r) => r.implementation === 'PlexServer',
    top: { name: 'Plex', [IMPORT_FLAG[app]]: true, onUpgrade: true, onRename: true },
    fields: { host, port: webPort('plex').internal, useSsl: false, authToken: secret(ctx.secrets, 'PLEX_TOKEN'), updateLibrary: true },
    secretFields: ['authToken'],
    identity: { implementation: 'PlexServer', configContract: 'PlexServerSettings', tags: [] },
  };
}

export function arrPlexNotification(app: ArrApp): StackHookup {
  const id = `${app}.plex-notification`;
  return {
    id,
    title: `${ARR_APPS[app].label}: tell Plex about imports`,
    services: [app, 'plex'],
    // The app tests the notification on save, and that test needs a library of the app's kind.
    dependsOn: [`wait.${app}`, 'plex.libraries'],
    skipReason: (config, secrets) => firstReason(disabledReason(config, [app, 'plex']), plexTokenReason(secrets)),
    plan: (ctx) => planProvider(ctx, notificationSpec(ctx, app, id)),
    apply: (ctx, plan) => applyProvider(ctx, ctx.clients[app].notifications, plan),
  };
}
