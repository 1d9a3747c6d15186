import { join } from 'node:path';
import { portKey, type Answers } from './answers.js';
import { DEFAULT_ENABLED, DEFAULT_PORTS, SERVICE_IDS, type ServiceId, type StackConfig } from './schema.js';

/** What plexarr learns about the host before asking anything (injected in tests). */
export interface HostFacts {
  puid: number;
  pgid: number;
  /** puid/pgid are 0 only because plexarr runs as root without sudo: not a default to offer. */
  root?: boolean;
  tz: string;
  hostAddress: string;
}

/**
 * The answer to every question nobody answered. Optional answers (admin password: generated;
 * Plex token: asked for later; domain: none) have no default. The NPM e-mail defaults from the
 * domain at build time (`admin@<domain>`), so it is not fixed here.
 */
export function defaultAnswers(home: string, host: HostFacts): Answers {
  return {
    mediaRoot: join(home, 'data'),
    configRoot: join(home, 'appdata'),
    puid: host.puid,
    pgid: host.pgid,
    tz: host.tz,
    hostAddress: host.hostAddress,
    services: [...DEFAULT_ENABLED],
    ports: {},
    requestManager: 'seerr',
    adminUser: 'admin',
    wireguardPeers: '1',
    wireguardServerUrl: 'auto',
    qualityProfile: 'hd',
  };
}

/** A saved configuration read back as answers, so a re-run offers it as the defaults. */
export function answersFromConfig(config: StackConfig): Answers {
  const ports: Record<string, number> = {};
  for (const id of SERVICE_IDS) {
    for (const [role, port] of Object.entries(config.services[id].ports)) ports[portKey(id, role)] = port;
  }
  return {
    mediaRoot: config.mediaRoot,
    configRoot: config.configRoot,
    puid: config.puid,
    pgid: config.pgid,
    tz: config.tz,
    hostAddress: config.hostAddress,
    services: SERVICE_IDS.filter((id) => config.services[id].enabled),
    ports,
    requestManager: config.requestManager,
    adminUser: config.adminUser,
    wireguardPeers: config.wireguard.peers,
    wireguardServerUrl: config.wireguard.serverUrl,
    npmEmail: config.npm.email,
    qualityProfile: config.qualityProfile,
    ...(config.npm.domain ? { domain: config.npm.domain } : {}),
    ...(config.engine ? { engine: config.engine } : {}),
    ...(config.placements ? { place: config.placements } : {}),
  };
}

export function defaultNpmEmail(domain: string | undefined): string {
  return `admin@${domain ?? 'example.com'}`;
}

/** The host port of a service role under the given answers (an answer, else the default). */
export function answeredPort(answers: Pick<Answers, 'ports'>, id: ServiceId, role: string): number {
  return answers.ports?.[portKey(id, role)] ?? (DEFAULT_PORTS[id] as Record<string, number>)[role] ?? 0;
}
