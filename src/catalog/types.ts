import type { Secrets, StackConfig } from '../config/schema.js';
import type { FileChange } from '../deploy/changes.js';
import type { SecretName, ServiceId } from './ids.js';

/**
 * A port a service listens on inside the stack network; `role` keys `config.services[id].ports`,
 * `host` is the host port it is published on unless the user picks another.
 */
export interface InternalPort {
  role: string;
  internal: number;
  protocol: 'tcp' | 'udp';
  host: number;
}

/**
 * A value plexarr keeps in the `secrets` table and hands over through `.env`. `username` values
 * are fixed identifiers (NZBGet's control user is `nzbget`, which is also a host name), so they
 * are never masked; every other kind is masked wherever plexarr prints or stores text.
 */
export type SecretSpec =
  { name: SecretName; kind: 'apiKey' | 'password' | 'token' } | { name: SecretName; kind: 'username'; value: string };

/**
 * How plexarr asks a service whether it is ready: one GET on its published `role` port (default
 * `web`), `ok` checking the body. `login`: the request carries the service's own username and
 * password secrets as basic auth, and a 401 is final.
 */
export interface ProbeSpec {
  path: string;
  login?: true;
  role?: string;
  ok?: (body: string) => boolean;
}

/** Files an app reads only on its first start, written by deploy before it into its config folder. */
export interface PreseedPlan {
  changes: FileChange[];
  /** Secrets the user's existing files already hold, which plexarr adopts instead of its own. */
  adopt: Secrets;
  notes: string[];
}
export type Preseed = (config: StackConfig, secrets: Secrets, configDir: string) => PreseedPlan;

/**
 * A web login `plexarr credentials` prints: `stack` means the stack admin (`adminUser` /
 * `ADMIN_PASSWORD`); `own` a login of the service's own, titled `<label> <what>`.
 */
export type LoginSpec =
  | { kind: 'stack' }
  | { kind: 'own'; what?: string; user: (config: StackConfig, secrets: Secrets) => string | undefined; password: SecretName };

/**
 * A secret handed to a container as a `${VAR}` reference resolved from `.env`, so the compose file
 * never holds the value. Plain strings in an environment are literals.
 */
export interface SecretRef {
  secret: SecretName;
}
export type EnvValue = string | SecretRef;

export function secretRef(secret: SecretName): SecretRef {
  return { secret };
}

/** Extra bind mounts below the service's config dir (npm keeps certificates apart from its data). */
export interface ConfigSubMount {
  subdir: string;
  target: string;
}

export interface CatalogEntry {
  id: ServiceId;
  label: string;
  /** How a sentence names the service when its label does not fit there ("the request manager"). */
  prose?: string;
  /** Shown beside the label in the wizard's service list. */
  note?: string;
  /** On in a new stack unless the user chooses otherwise. */
  defaultEnabled: boolean;
  /** Compose service key and container name; also the host name other services use. */
  container: string;
  image: string;
  /** The template in `templates/services/` that gives this service's compose shape. */
  template: string;
  ports: InternalPort[];
  /**
   * Where `<configRoot>/<container>` is mounted. When `configSubMounts` is set, the config dir is
   * not mounted whole: each subdirectory is mounted at its own target instead.
   */
  configMount: string;
  configSubMounts?: ConfigSubMount[];
  /** Mounts the media root at `/data`, so imports are renames/hardlinks. */
  mediaAtData: boolean;
  /** linuxserver.io images take PUID/PGID/TZ; others run as a fixed user or via `user:`. */
  linuxserver: boolean;
  /**
   * The uid:gid an image always runs as, whatever PUID/PGID say; its config dir must be owned by
   * it. Absent: the service runs as PUID:PGID.
   */
  runsAs?: { uid: number; gid: number };
  environment: (config: StackConfig) => Record<string, EnvValue>;
  /** Compose `healthcheck.test` in exec form; absent when the image has its own or none fits. */
  healthcheck?: string[];
  /** Services that must be enabled too (validated by `init`). */
  requires: ServiceId[];
  /** Compose `depends_on` (start order only), rendered for the enabled ones. */
  dependsOn: ServiceId[];
  /** Every secret the service owns, in the order `.env` lists them. */
  secrets: SecretSpec[];
  /** `null`: the service has no HTTP API to ask (it counts as ready once its container runs). */
  probe: ProbeSpec | null;
  /** Written before the service's first start, for settings its image takes no variable for. */
  preseed?: Preseed;
  login?: LoginSpec;
}
