import type { ArrApp, ArrClient, NewRootFolder, Profile } from '../../clients/arr.js';
import { ARR_APPS } from './apps.js';
import { disabledReason, pending, unchanged, type StackHookup } from './shared.js';
import { plexarrCommand } from '../../ui/invocation.js';

/**
 * The media root folder of Radarr/Sonarr/Lidarr. A root folder is identified by
 * its path; there is nothing to update once it exists. Lidarr also needs a name and existing
 * quality and metadata profile ids, looked up by name: quality `Any` (accepts every release, like
 * the first profile of Radarr and Sonarr), else `Standard`, else the first; metadata `Standard`.
 */

const LIDARR_QUALITY_PROFILES = ['Any', 'Standard'];
const LIDARR_METADATA_PROFILES = ['Standard'];

function pickProfile(profiles: readonly Profile[], preferred: readonly string[], what: string): Profile {
  for (const name of preferred) {
    const found = profiles.find((p) => p.name.toLowerCase() === name.toLowerCase());
    if (found) return found;
  }
  const first = profiles.find((p) => p.name !== 'None');
  if (!first)
    throw new Error(
      `Lidarr has no ${what} profile to give the root folder; create one in Lidarr, then run \`${plexarrCommand('coordinate --retry')}\`.`,
    );
  return first;
}

async function newFolder(client: ArrClient, path: string): Promise<NewRootFolder> {
  if (client.app !== 'lidarr') return { path };
  const [quality, metadata] = await Promise.all([client.qualityProfiles(), client.metadataProfiles()]);
  return {
    name: 'Music',
    path,
    defaultQualityProfileId: pickProfile(quality, LIDARR_QUALITY_PROFILES, 'quality').id,
    defaultMetadataProfileId: pickProfile(metadata, LIDARR_METADATA_PROFILES, 'metadata').id,
    defaultMonitorOption: 'all',
    defaultNewItemMonitorOption: 'all',
    defaultTags: [],
  };
}

export function arrRootFolder(app: ArrApp): StackHookup {
  const facts = ARR_APPS[app];
  const target = `root folder ${facts.rootFolder} in ${facts.label}`;
  return {
    id: `${app}.root-folder`,
    title: `${facts.label}: root folder ${facts.rootFolder}`,
    services: [app],
    dependsOn: [`wait.${app}`],
    skipReason: (config) => disabledReason(config, [app]),
    async plan(ctx) {
      const client = ctx.clients[app];
      const folders = await client.rootFolders();
      if (folders.some((f) => f.path.replace(/\/+$/, '') === facts.rootFolder)) return [unchanged(target)];
      return [{ kind: 'create', target, data: await newFolder(client, facts.rootFolder) }];
    },
    async apply(ctx, plan) {
      for (const change of pending(plan)) await ctx.clients[app].addRootFolder(change.data as NewRootFolder);
    },
  };
}
