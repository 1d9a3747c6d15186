import type { SecretName, ServiceId, StackConfig } from '../config/schema.js';

/** A port a service listens on inside the stack network; `role` keys `config.services[id].ports`. */
export interface InternalPort {
  role: string;
  internal: number;
  protocol: 'tcp' | 'udp';
}

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
  /** Mounts the media root at `/data`, so imports are renames/hardlinks (DESIGN.md, storage). */
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
  /** The secret holding this service's API key, for the services that have one. */
  apiKeySecret?: SecretName;
  /** The password of the admin plexarr creates through the app's API; never handed to the container. */
  loginSecret?: SecretName;
}
