import type { ProviderApi, ProviderBody, ProviderField, ProviderResource } from '../../clients/servarr.js';
import type { PlannedChange } from '../types.js';
import { differing, sameValue, type Ctx } from './shared.js';

/**
 * The *arr provider contract (download clients, Prowlarr applications) as one
 * desired-state routine, GET only. Secret fields come back masked, so they cannot be compared with
 * the app: each is compared with the fingerprint of what plexarr last applied there
 * (`ctx.applied`). A rotated secret, or one plexarr never recorded (an entry made by hand or by an
 * older plexarr), plans an update that sends it; the fingerprint is recorded once the app took it.
 * A secret changed in the app's own UI is not seen (the app does not show it); the app's `test`
 * could, but it is a POST and plans must not mutate or slow the critical path.
 */

export interface ProviderSpec {
  target: string;
  /** The hookup id: applied-secret fingerprints are kept under `<key>#<field>`. */
  key: string;
  api: ProviderApi;
  /** Finds plexarr's own entry among the app's. */
  match(resource: ProviderResource): boolean;
  /** Top-level properties (name, enable, priority, …); omitted ones would default to false/0. */
  top: Record<string, unknown>;
  /** Settings fields, secrets included (always sent: Sonarr has no defaults for them). */
  fields: Record<string, unknown>;
  secretFields: readonly string[];
  /** Only on create: implementation, configContract, tags. */
  identity: { implementation: string; configContract: string; tags?: number[] };
}

interface ProviderData {
  id?: number;
  body: ProviderBody;
  /** Fingerprint target → secret, recorded once the app accepted the body. */
  secrets: [string, string][];
}

export function fieldValue(resource: Pick<ProviderResource, 'fields'>, name: string): unknown {
  return resource.fields.find((f) => f.name === name)?.value;
}

/** Replaces the values of the named fields and appends the ones the resource lacks. */
function withFields(fields: readonly ProviderField[], values: Record<string, unknown>): ProviderField[] {
  const out = fields.map((f) => (f.name in values ? { ...f, value: values[f.name] } : { ...f }));
  for (const [name, value] of Object.entries(values)) if (!out.some((f) => f.name === name)) out.push({ name, value });
  return out;
}

function fieldDiff(resource: ProviderResource, values: Record<string, unknown>, secrets: readonly string[]): string[] {
  return Object.entries(values)
    .filter(([name, value]) => !secrets.includes(name) && !sameValue(fieldValue(resource, name), value))
    .map(([name]) => name);
}

function appliedSecrets(spec: ProviderSpec): [string, string][] {
  return spec.secretFields.map((name) => [`${spec.key}#${name}`, String(spec.fields[name] ?? '')]);
}

export async function planProvider(ctx: Pick<Ctx, 'applied'>, spec: ProviderSpec): Promise<PlannedChange[]> {
  const existing = (await spec.api.list()).find((r) => spec.match(r));
  const secrets = appliedSecrets(spec);
  if (!existing) {
    const body: ProviderBody = {
      ...spec.identity,
      tags: spec.identity.tags ?? [],
      ...spec.top,
      fields: withFields([], spec.fields),
    } as ProviderBody;
    return [{ kind: 'create', target: spec.target, data: { body, secrets } satisfies ProviderData }];
  }
  const stale = spec.secretFields.filter((name, i) => !ctx.applied.matches(...secrets[i]!));
  const fields = [...differing(existing, spec.top), ...fieldDiff(existing, spec.fields, spec.secretFields), ...stale];
  if (fields.length === 0) return [{ kind: 'unchanged', target: spec.target }];
  const { id, ...rest } = existing;
  const body: ProviderBody = { ...rest, ...spec.top, fields: withFields(existing.fields, spec.fields) } as ProviderBody;
  return [{ kind: 'update', target: spec.target, fields, data: { id, body, secrets } satisfies ProviderData }];
}

export async function applyProvider(ctx: Pick<Ctx, 'applied'>, api: ProviderApi, plan: readonly PlannedChange[]): Promise<void> {
  for (const change of plan) {
    if (change.kind === 'unchanged') continue;
    const { id, body, secrets } = change.data as ProviderData;
    if (id === undefined) await api.create(body);
    else await api.update(id, body);
    for (const [target, value] of secrets) ctx.applied.record(target, value);
  }
}
