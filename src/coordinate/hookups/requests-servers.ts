import { containerName } from '../../catalog/index.js';
import type { RootFolder } from '../../clients/arr.js';
import type { ServerConnection, ServerSettings, ServerSettingsBody, ServerTestResult } from '../../clients/seerr.js';
import { ARR_APPS } from './apps.js';
import { planAfterAdmin, requestsSkip } from './requests-shared.js';
import { differing, label, pending, secret, updateOrUnchanged, type Ctx, type StackHookup } from './shared.js';
import { plexarrCommand } from '../../ui/invocation.js';

/**
 * Radarr / Sonarr as the default (non-4K) server of the request manager.
 * The app stores what it is sent with no test and no de-duplication, so plexarr finds
 * its own entry by hostname + port + is4k and replaces it, and runs the app's test first to pick
 * a real quality profile. The root folder is checked in Radarr/Sonarr itself: the request
 * manager caches its test answer per URL for an hour, so a folder created a moment ago may be
 * missing from it. What the user chose later (the entry's name, a profile) is kept.
 */

type Kind = 'radarr' | 'sonarr';
const PORTS: Record<Kind, number> = { radarr: 7878, sonarr: 8989 };
const PREFERRED_PROFILE = 'Any';

interface ServerData {
  existing?: ServerSettings;
}

function connection(ctx: Pick<Ctx, 'config' | 'secrets'>, kind: Kind): ServerConnection {
  return {
    hostname: containerName(kind, ctx.config),
    port: PORTS[kind],
    apiKey: secret(ctx.secrets, ARR_APPS[kind].apiKey),
    useSsl: false,
    baseUrl: '',
  };
}

const isOurs = (s: ServerSettings, c: ServerConnection) => s.hostname.toLowerCase() === c.hostname && s.port === c.port && !s.is4k;

function body(
  kind: Kind,
  c: ServerConnection,
  test: ServerTestResult,
  folders: readonly RootFolder[],
  existing: ServerSettings | undefined,
): ServerSettingsBody {
  const facts = ARR_APPS[kind];
  const profile =
    test.profiles.find((p) => p.id === existing?.activeProfileId) ??
    test.profiles.find((p) => p.name === PREFERRED_PROFILE) ??
    test.profiles[0];
  if (!profile)
    throw new Error(
      `${facts.label} has no quality profile to use for requests; create one in ${facts.label}, then run \`${plexarrCommand('coordinate --retry')}\`.`,
    );
  if (!folders.some((f) => f.path.replace(/\/+$/, '') === facts.rootFolder)) {
    throw new Error(
      `${facts.label} has no root folder ${facts.rootFolder} (hookup ${kind}.root-folder creates it); run \`${plexarrCommand('coordinate --retry')}\`.`,
    );
  }
  const { id: _id, ...kept } = existing ?? ({} as Partial<ServerSettings>);
  const common = {
    ...kept,
    name: existing?.name || facts.label,
    ...c,
    activeProfileId: profile.id,
    activeProfileName: profile.name,
    activeDirectory: facts.rootFolder,
    is4k: false,
    isDefault: true,
    externalUrl: existing?.externalUrl ?? '',
    syncEnabled: existing?.syncEnabled ?? false,
    preventSearch: existing?.preventSearch ?? false,
  };
  if (kind === 'radarr') return { ...common, minimumAvailability: existing?.minimumAvailability ?? 'released' };
  const language = existing?.activeLanguageProfileId ?? test.languageProfiles?.[0]?.id ?? 1;
  return {
    ...common,
    activeLanguageProfileId: language,
    activeAnimeProfileId: existing?.activeAnimeProfileId ?? profile.id,
    activeAnimeProfileName: existing?.activeAnimeProfileName ?? profile.name,
    activeAnimeDirectory: existing?.activeAnimeDirectory ?? facts.rootFolder,
    activeAnimeLanguageProfileId: existing?.activeAnimeLanguageProfileId ?? language,
    enableSeasonFolders: existing?.enableSeasonFolders ?? true,
  };
}

export function requestsServer(kind: Kind): StackHookup {
  const facts = ARR_APPS[kind];
  return {
    id: `requests.${kind}`,
    title: `Request manager: ${facts.label} as the default server`,
    services: ['requests', kind],
    dependsOn: ['requests.admin', `${kind}.root-folder`],
    skipReason: (config, secrets) => requestsSkip(config, secrets, [kind]),
    plan(ctx) {
      const c = connection(ctx, kind);
      const target = `${facts.label} server ${c.hostname}:${c.port} in ${label('requests', ctx.config)}`;
      return planAfterAdmin(ctx, target, async () => {
        const existing = (await ctx.clients.requests.servers(kind)).find((s) => isOurs(s, c));
        if (!existing) return [{ kind: 'create', target, data: {} satisfies ServerData }];
        const fields = differing(existing, {
          apiKey: c.apiKey,
          useSsl: c.useSsl,
          baseUrl: c.baseUrl,
          isDefault: true,
          activeDirectory: facts.rootFolder,
        });
        if (typeof existing.activeProfileId !== 'number') fields.push('activeProfileId');
        return [updateOrUnchanged(target, fields, { existing } satisfies ServerData)];
      });
    },
    async apply(ctx, plan) {
      const requests = ctx.clients.requests;
      for (const change of pending(plan)) {
        const c = connection(ctx, kind);
        const { existing } = (change.data ?? {}) as ServerData;
        const [test, folders] = await Promise.all([requests.testServer(kind, c), ctx.clients[kind].rootFolders()]);
        const settings = body(kind, c, test, folders, existing);
        if (existing) await requests.updateServer(kind, existing.id, settings);
        else await requests.createServer(kind, settings);
      }
    },
  };
}
