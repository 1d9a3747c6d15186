import type { ServiceId } from '../config/schema.js';

/**
 * The dashboard's data. The text table and `--json` are two renderings of this one value, so
 * they cannot disagree; nothing in it is a secret (errors are redacted before they get here).
 */

export type HookupState = 'linked' | 'failed' | 'pending' | 'skipped';

export interface HookupStatus {
  id: string;
  title: string;
  services: ServiceId[];
  state: HookupState;
  /** failed: the app's reason; skipped: why and what to do; pending: why it has not run. */
  reason?: string;
  finishedAt?: string;
  /** Only with `--live`: what SQLite said, and what the running apps say differs from it. */
  recorded?: HookupState;
  drift?: string[];
}

/** `missing`: enabled but no container; `unknown`: Docker could not be asked. */
export type ContainerState = 'running' | 'restarting' | 'paused' | 'created' | 'exited' | 'dead' | 'missing' | 'unknown' | (string & {});

export interface ServiceStatus {
  service: ServiceId;
  label: string;
  container: string;
  /** Swarm only: the node its task runs on (a host-mode port answers there). */
  node?: string;
  state: ContainerState;
  health?: string;
  url?: string;
  /** Ids of the hookups that configure or use this service (details in `StatusReport.hookups`). */
  hookups: string[];
  counts: Record<HookupState, number>;
  up: boolean;
  /** The image id `plexarr update` last recorded for it, and when an update last changed it. */
  image?: { id: string; updatedAt?: string };
}

export interface StatusReport {
  home: string;
  /** The engine that runs the stack: Compose `v2`/`v1` with its version, or `swarm`. */
  compose?: { kind: 'v2' | 'v1' | 'swarm'; version: string };
  /** Why containers could not be listed (Docker missing, daemon down, permission denied). */
  dockerError?: string;
  live: boolean;
  services: ServiceStatus[];
  hookups: HookupStatus[];
  summary: {
    services: number;
    up: number;
    linked: number;
    failed: number;
    pending: number;
    skipped: number;
    drifted: number;
  };
  /** One line: what to do next. */
  next: string;
  ok: boolean;
}
