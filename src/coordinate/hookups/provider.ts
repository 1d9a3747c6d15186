import { isApiError } from '../../clients/errors.js';
import type { ProviderApi, ProviderBody, ProviderField, ProviderResource } from '../../clients/servarr.js';
import type { PlannedChange } from '../types.js';
import { differing, sameValue, type Ctx } from './shared.js';

/**
 * The *arr provider contract (download clients, Prowlarr applications; API-NOTES §1.4) as one
 * desired-state routine. Secret fields come back masked, so they cannot be compared: outside a dry
 * run, an entry whose visible settings already match is checked with the app's own `test`
 * (which changes nothing), and a failing test (a rotated password or key) plans an update that
 * sends the current secret.
 */

export interface ProviderSpec {
  target: string;
  api: ProviderApi;
  /** Finds plexarr's own entry among the app's. */
  match(resource: ProviderResource): boolean;
  /** Top-level properties (name, enable, priority, …); omitted ones would default to false/0 (trap 3). */
  top: Record<string, unknown>;
  /** Settings fields, secrets included (always sent: trap 5). */
  fields: Record<string, unknown>;
  secretFields: readonly string[];
  /** Only on create: implementation, configContract, tags. */
  identity: { implementation: string; configContract: string; tags?: number[] };
}

interface ProviderData {
  id?: number;
  body: ProviderBody;
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

async function secretRejected(api: ProviderApi, existing: ProviderResource): Promise<boolean> {
  try {
    await api.test(existing);
    return false;
  } catch (error) {
    // 4xx = the app ran the test and it failed; anything else (unreachable, 5xx) is not an answer.
    if (isApiError(error) && error.status !== undefined && error.status >= 400 && error.status < 500) return true;
    throw error;
  }
}

export async function planProvider(ctx: Pick<Ctx, 'dryRun'>, spec: ProviderSpec): Promise<PlannedChange[]> {
  const existing = (await spec.api.list()).find((r) => spec.match(r));
  if (!existing) {
    const body: ProviderBody = { ...spec.identity, tags: spec.identity.tags ?? [], ...spec.top, fields: withFields([], spec.fields) } as ProviderBody;
    return [{ kind: 'create', target: spec.target, data: { body } satisfies ProviderData }];
  }
  const fields = [...differing(existing, spec.top), ...fieldDiff(existing, spec.fields, spec.secretFields)];
  if (fields.length === 0 && !ctx.dryRun && (await secretRejected(spec.api, existing))) fields.push(...spec.secretFields);
  if (fields.length === 0) return [{ kind: 'unchanged', target: spec.target }];
  const { id, ...rest } = existing;
  const body: ProviderBody = { ...rest, ...spec.top, fields: withFields(existing.fields, spec.fields) } as ProviderBody;
  return [{ kind: 'update', target: spec.target, fields, data: { id, body } satisfies ProviderData }];
}

export async function applyProvider(api: ProviderApi, plan: readonly PlannedChange[]): Promise<void> {
  for (const change of plan) {
    if (change.kind === 'unchanged') continue;
    const { id, body } = change.data as ProviderData;
    if (id === undefined) await api.create(body);
    else await api.update(id, body);
  }
}
