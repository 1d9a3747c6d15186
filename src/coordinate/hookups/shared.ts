import { catalogEntry, CONTAINER_PATHS } from '../../catalog/index.js';
import type { Clients } from '../../clients/index.js';
import type { Secrets, ServiceId, StackConfig } from '../../config/schema.js';
import type { Hookup, HookupContext, PlannedChange } from '../types.js';
import { plexarrCommand } from '../../ui/invocation.js';

/** What every hookup file shares: the context type, skip reasons and field diffing. */

export type Ctx = HookupContext<Clients>;
export type StackHookup = Hookup<Clients>;

export const NO_PLEX_TOKEN = `no Plex account token — run \`${plexarrCommand('coordinate --plex-token <token>')}\` (stored for next time)`;

export function label(id: ServiceId, config: Pick<StackConfig, 'requestManager'>): string {
  return catalogEntry(id, config).label;
}

/** The first service of `ids` that is not enabled, as a skip reason. */
export function disabledReason(config: StackConfig, ids: readonly ServiceId[]): string | null {
  const off = ids.find((id) => !config.services[id].enabled);
  return off === undefined ? null : `${label(off, config)} is not enabled in this stack`;
}

export function plexTokenReason(secrets: Secrets): string | null {
  return secrets.PLEX_TOKEN ? null : NO_PLEX_TOKEN;
}

export function firstReason(...reasons: (string | null)[]): string | null {
  return reasons.find((r) => r !== null) ?? null;
}

export function secret(secrets: Secrets, name: keyof Secrets): string {
  const value = secrets[name];
  if (!value) throw new Error(`The secret ${name} is missing; run \`${plexarrCommand('init')}\` again to generate it.`);
  return value;
}

/**
 * Apps may echo numbers as strings and nulls as empty strings, so compare as text; case matters
 * (NZBGet categories are matched case-sensitively).
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
  return String(a ?? '') === String(b ?? '');
}

/** The names of the desired properties whose current value differs. */
export function differing(current: Record<string, unknown>, desired: Record<string, unknown>): string[] {
  return Object.keys(desired).filter((k) => !sameValue(current[k], desired[k]));
}

export function unchanged(target: string): PlannedChange {
  return { kind: 'unchanged', target };
}

/** A plan of one change: `update` with the differing fields, or `unchanged` when there are none. */
export function updateOrUnchanged(target: string, fields: string[], data?: unknown): PlannedChange {
  return fields.length === 0 ? unchanged(target) : { kind: 'update', target, fields, data };
}

export function pending(plan: readonly PlannedChange[]): PlannedChange[] {
  return plan.filter((c) => c.kind !== 'unchanged');
}

/** The libraries, as the apps see them inside the containers. */
export const MEDIA_DIRS = CONTAINER_PATHS.library;
