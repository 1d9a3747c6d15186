import { DEFAULT_ENABLED, DEFAULT_PORTS, SERVICE_IDS, type Secrets, type ServiceId, type StackConfig } from '../../src/config/schema.js';

/** The default services without Recyclarr: the stack the recorded `docker compose ps`/`inspect` fixtures show. */
export const RECORDED_SERVICES: readonly ServiceId[] = DEFAULT_ENABLED.filter((id) => id !== 'recyclarr');

/** A fixed, valid config: golden files depend on every value here, so change them together. */
export function fixtureConfig(enabled: readonly ServiceId[] = DEFAULT_ENABLED, overrides: Partial<StackConfig> = {}): StackConfig {
  const services = Object.fromEntries(
    SERVICE_IDS.map((id) => [id, { enabled: enabled.includes(id), ports: { ...DEFAULT_PORTS[id] } }]),
  ) as unknown as StackConfig['services'];
  return {
    schemaVersion: 1,
    mediaRoot: '/srv/media',
    configRoot: '/srv/plexarr/appdata',
    puid: 1000,
    pgid: 1000,
    tz: 'Europe/Berlin',
    hostAddress: '192.168.1.10',
    requestManager: 'seerr',
    adminUser: 'admin',
    services,
    wireguard: { serverUrl: 'auto', peers: '2' },
    npm: { email: 'admin@example.com' },
    usenetServers: [],
    indexers: [],
    qualityProfile: 'hd',
    ...overrides,
  };
}

/** Recognisable fake secrets, so a test can search the compose text for every one of them. */
export const FIXTURE_SECRETS: Required<Secrets> = {
  ADMIN_PASSWORD: 'Adm1nPassw0rdFixture',
  PLEX_TOKEN: 'plexTokenFixture123',
  PLEX_CLAIM: 'claim-fixtureClaim42',
  RADARR_API_KEY: '0123456789abcdef0123456789abcdef',
  SONARR_API_KEY: '1123456789abcdef0123456789abcdef',
  LIDARR_API_KEY: '2123456789abcdef0123456789abcdef',
  PROWLARR_API_KEY: '3123456789abcdef0123456789abcdef',
  REQUESTS_API_KEY: '4123456789abcdef0123456789abcdef',
  NZBGET_USER: 'nzbgetFixtureUser',
  NZBGET_PASS: 'nzbgetFixturePass1',
  NZBGET2_USER: 'nzbget2FixtureUser',
  NZBGET2_PASS: 'nzbget2FixturePass2',
  NPM_ADMIN_PASSWORD: 'npmFixturePassword9',
};
