import { indexerApiKeySecret, internalUrl } from '../../catalog/index.js';
import type { ArrApp } from '../../clients/arr.js';
import { isApiError } from '../../clients/errors.js';
import type { IndexerTemplate } from '../../clients/prowlarr.js';
import type { ProviderBody, ProviderField, ProviderResource } from '../../clients/servarr.js';
import type { Indexer } from '../../config/schema.js';
import type { PlannedChange } from '../types.js';
import { ARR_APPS } from './apps.js';
import { fieldValue } from './provider.js';
import { plexarrCommand } from '../../ui/invocation.js';
import { disabledReason, firstReason, pending, sameValue, secret, type Ctx, type StackHookup } from './shared.js';

/**
 * The indexers of the answers in Prowlarr. Each is built from Prowlarr's own template for it
 * (`/indexer/schema` lists one per preset, and "Generic Newznab"), with the first app sync profile,
 * so every setting the app expects is there. Prowlarr tests an indexer when it is saved and refuses
 * one that fails; each indexer is sent on its own, so one refused indexer does not keep the others
 * out, and the hookup then fails with Prowlarr's words for each refused one. The API key comes back
 * masked: a changed key is found by its applied-secret fingerprint.
 */

export const NO_INDEXER = `no indexer in the answers — add one: \`${plexarrCommand("init --indexer 'Name=https://indexer.example,<api key>'")}\` (or a Prowlarr preset: \`--indexer 'NZBgeek,<api key>'\`), then \`${plexarrCommand('coordinate')}\``;
export const GENERIC_NEWZNAB = 'Generic Newznab';

interface IndexerChange {
  id?: number;
  body: ProviderBody;
  fingerprint: [string, string];
}

const keyTarget = (index: number) => `prowlarr.indexers#${index + 1}`;

function withValues(fields: readonly ProviderField[], values: Record<string, unknown>): ProviderField[] {
  return fields.map((f) => (f.name in values ? { ...f, value: values[f.name] } : { ...f }));
}

function templateFor(templates: readonly IndexerTemplate[], indexer: Indexer): IndexerTemplate {
  const wanted = indexer.preset ?? GENERIC_NEWZNAB;
  const template = templates.find((t) => t.name.toLowerCase() === wanted.toLowerCase());
  if (template) return template;
  const known = templates.map((t) => t.name).join(', ');
  throw new Error(
    `Prowlarr has no indexer preset '${wanted}' (indexer '${indexer.name}'); presets it knows: ${known}. Give its Newznab URL instead: --indexer '${indexer.name}=https://…,<api key>'.`,
  );
}

/** The URL the indexer is searched at: the answered one, else the preset's. */
const baseUrlOf = (indexer: Indexer, template: IndexerTemplate) => indexer.url ?? fieldValue(template, 'baseUrl');

export async function planIndexers(ctx: Ctx): Promise<PlannedChange[]> {
  const prowlarr = ctx.clients.prowlarr;
  const [templates, profiles, existing] = await Promise.all([prowlarr.indexerSchema(), prowlarr.appProfiles(), prowlarr.indexers.list()]);
  const profileId = profiles[0]?.id;
  if (profileId === undefined)
    throw new Error('Prowlarr has no app sync profile to give the indexers; add one under Settings → Apps → Sync Profiles.');
  return ctx.config.indexers.map((indexer, i): PlannedChange => {
    const template = templateFor(templates, indexer);
    const apiKey = secret(ctx.secrets, indexerApiKeySecret(i));
    const values = { baseUrl: baseUrlOf(indexer, template), apiKey };
    const target = `indexer '${indexer.name}' in Prowlarr`;
    const fingerprint: [string, string] = [keyTarget(i), apiKey];
    const found = existing.find((r) => r.name.toLowerCase() === indexer.name.toLowerCase());
    if (!found) {
      const { id: _id, ...rest } = template as IndexerTemplate & { id?: number };
      const body = {
        ...rest,
        name: indexer.name,
        enable: true,
        redirect: true,
        priority: (template as { priority?: number }).priority ?? 25,
        appProfileId: profileId,
        tags: [],
        fields: withValues(template.fields, values),
      };
      return { kind: 'create', target, data: { body, fingerprint } satisfies IndexerChange };
    }
    const fields = [
      ...(found.enable === true ? [] : ['enable']),
      ...(sameValue(fieldValue(found, 'baseUrl'), values.baseUrl) ? [] : ['baseUrl']),
      ...(ctx.applied.matches(...fingerprint) ? [] : ['apiKey']),
    ];
    if (fields.length === 0) return { kind: 'unchanged', target };
    const { id, ...rest } = found as ProviderResource;
    const body = { ...rest, enable: true, redirect: true, fields: withValues(found.fields, values) } as ProviderBody;
    return { kind: 'update', target, fields, data: { id, body, fingerprint } satisfies IndexerChange };
  });
}

export function prowlarrIndexers(): StackHookup {
  return {
    id: 'prowlarr.indexers',
    title: 'Prowlarr: indexers',
    services: ['prowlarr'],
    dependsOn: ['wait.prowlarr'],
    skipReason: (config) => firstReason(disabledReason(config, ['prowlarr']), config.indexers.length === 0 ? NO_INDEXER : null),
    plan: planIndexers,
    async apply(ctx, plan) {
      const api = ctx.clients.prowlarr.indexers;
      const refused: string[] = [];
      for (const change of pending(plan)) {
        const { id, body, fingerprint } = change.data as IndexerChange;
        try {
          if (id === undefined) await api.create(body);
          else await api.update(id, body);
          ctx.applied.record(...fingerprint);
        } catch (error) {
          // A refusal (4xx) is about this indexer; anything else is worth the runner's retry.
          if (!isApiError(error) || error.transient) throw error;
          refused.push(`Prowlarr refused indexer '${body.name}': ${error.appMessage}`);
        }
      }
      if (refused.length > 0) throw new Error(refused.join('\n'));
    },
  };
}

const SYNC_COMMAND = 'ApplicationIndexerSync';
const SYNC_TIMEOUT_MS = 60_000;
const POLL_MS = 250;

/** The category ids an indexer offers, parents and subcategories. */
function offeredCategories(resource: ProviderResource): Set<number> {
  const caps = (resource as { capabilities?: { categories?: { id: number; subCategories?: { id: number }[] }[] } }).capabilities;
  return new Set((caps?.categories ?? []).flatMap((c) => [c.id, ...(c.subCategories ?? []).map((s) => s.id)]));
}

/**
 * Radarr/Sonarr/Lidarr get the indexers through Prowlarr's application sync, as
 * `<name> (Prowlarr)` pointing at `<prowlarr>/<id>/`, and only those offering one of the app's
 * sync categories. Prowlarr syncs on its own when an indexer or an application is saved; when one
 * is still missing the hookup asks for a sync (`ApplicationIndexerSync`) and waits for it.
 */
export function arrIndexers(app: ArrApp): StackHookup {
  const facts = ARR_APPS[app];
  return {
    id: `${app}.indexers`,
    title: `${facts.label}: indexers from Prowlarr`,
    services: ['prowlarr', app],
    dependsOn: ['prowlarr.indexers', `prowlarr.app.${app}`, `wait.${app}`],
    skipReason: (config) => firstReason(disabledReason(config, ['prowlarr', app]), config.indexers.length === 0 ? NO_INDEXER : null),
    async plan(ctx) {
      const [ours, applications, remote] = await Promise.all([
        ctx.clients.prowlarr.indexers.list(),
        ctx.clients.prowlarr.applications.list(),
        ctx.clients[app].indexers.list(),
      ]);
      const application = applications.find((a) => a.implementation === facts.implementation);
      const wanted = new Set(((fieldValue(application ?? { fields: [] }, 'syncCategories') as number[] | undefined) ?? []).map(Number));
      const prowlarrUrl = internalUrl('prowlarr', ctx.config);
      return ctx.config.indexers.flatMap((indexer): PlannedChange[] => {
        const mine = ours.find((r) => r.name.toLowerCase() === indexer.name.toLowerCase() && r.enable === true);
        if (!mine || ![...offeredCategories(mine)].some((c) => wanted.has(c))) return [];
        const target = `indexer '${mine.name} (Prowlarr)' in ${facts.label}`;
        const synced = remote.some((r) => String(fieldValue(r, 'baseUrl') ?? '').replace(/\/+$/, '') === `${prowlarrUrl}/${mine.id}`);
        return [synced ? { kind: 'unchanged', target } : { kind: 'create', target, fields: [SYNC_COMMAND] }];
      });
    },
    async apply(ctx) {
      const prowlarr = ctx.clients.prowlarr;
      const started = await prowlarr.runCommand(SYNC_COMMAND);
      const deadline = Date.now() + SYNC_TIMEOUT_MS;
      for (let command = started; ; command = await prowlarr.command(started.id)) {
        if (command.status === 'completed') return;
        if (command.status === 'failed' || command.status === 'aborted')
          throw new Error(`Prowlarr's indexer sync ${command.status}: ${command.message ?? 'no message'}`);
        if (Date.now() > deadline) throw new Error(`Prowlarr's indexer sync did not finish within ${SYNC_TIMEOUT_MS / 1000} s`);
        ctx.signal.throwIfAborted();
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    },
  };
}
