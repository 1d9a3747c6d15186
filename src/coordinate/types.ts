import type { Secrets, ServiceId, StackConfig } from '../config/schema.js';

/**
 * A hookup is one cross-service connection (e.g. "Radarr → NZBGet download client").
 * Each one reads the current state, plans only what differs, applies it, and the runner
 * verifies by planning again (a verified hookup plans nothing but `unchanged`).
 */

export type ChangeKind = 'create' | 'update' | 'delete' | 'unchanged';

export interface PlannedChange {
  kind: ChangeKind;
  /** What is changed, in words a person knows: "NZBGet download client 'NZBGet' in Radarr". */
  target: string;
  /** For `update`: the fields that differ (names only; values are never shown for secrets). */
  fields?: string[];
  /** Opaque data the hookup's own `apply` needs (ids, the desired body). Never printed. */
  data?: unknown;
}

export interface HookupLog {
  (message: string): void;
}

/**
 * What plexarr last applied of each secret an app masks on read (the *arr apps' passwords and
 * keys), as salted fingerprints in SQLite. Targets are `<hookup id>#<field>`.
 */
export interface AppliedSecrets {
  /** True when `secret` is what was last recorded for `target`. */
  matches(target: string, secret: string): boolean;
  /** After the app accepted `secret` for `target`. A no-op in read-only views (`status --live`). */
  record(target: string, secret: string): void;
}

/** What a hookup may use. Tests build this by hand; there is no module mocking. */
export interface HookupContext<Clients = unknown> {
  config: StackConfig;
  secrets: Secrets;
  clients: Clients;
  applied: AppliedSecrets;
  dryRun: boolean;
  signal: AbortSignal;
  log: HookupLog;
}

export interface Hookup<Clients = unknown> {
  /** Stable, glob-able id (`--only 'radarr.*'`), e.g. `radarr.download-client.nzbget`. */
  id: string;
  title: string;
  /** The services this hookup configures or depends on (for the status dashboard). */
  services: ServiceId[];
  /**
   * Services that must be off for this hookup to exist: it removes what plexarr made in other
   * apps for one of them (the graph leaves it out while they are on, the dashboard always).
   */
  whenOff?: ServiceId[];
  /** Ids of hookups (or `wait.<service>` readiness nodes) that must finish first. */
  dependsOn: string[];
  /** null when the hookup applies; otherwise the reason it is skipped, with what to do. */
  skipReason(config: StackConfig, secrets: Secrets): string | null;
  /** GET requests only (NPM's one exception: a `POST /api/tokens` login, as it answers reads only with a token). */
  plan(ctx: HookupContext<Clients>): Promise<PlannedChange[]>;
  /** Only called with a plan that holds something other than `unchanged`, and never in dry-run. */
  apply(ctx: HookupContext<Clients>, plan: PlannedChange[]): Promise<void>;
}
