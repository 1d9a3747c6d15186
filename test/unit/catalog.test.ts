import { describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  apiKeySecret,
  CATALOG,
  catalogEntry,
  containerName,
  enabledServices,
  hostUrl,
  internalUrl,
  publishedPorts,
  referencedSecrets,
} from '../../src/catalog/index.js';
import { REQUEST_MANAGER_ENTRIES } from '../../src/catalog/services.js';
import { PACKAGE_ROOT } from '../../src/compose/paths.js';
import { DEFAULT_PORTS, SECRET_NAMES, SERVICE_IDS } from '../../src/config/schema.js';
import { fixtureConfig } from './compose-fixtures.js';

const allEntries = [...SERVICE_IDS.map((id) => CATALOG[id]), ...Object.values(REQUEST_MANAGER_ENTRIES)];

describe('catalog entries', () => {
  test.each(allEntries.map((e) => [e.container, e] as const))('%s has a template and consistent ports', (_name, entry) => {
    expect(existsSync(join(PACKAGE_ROOT, 'templates', 'services', `${entry.template}.yml`))).toBe(true);
    expect(entry.ports.map((p) => p.role).sort()).toEqual(Object.keys(DEFAULT_PORTS[entry.id]).sort());
    for (const dep of [...entry.requires, ...entry.dependsOn]) expect(SERVICE_IDS).toContain(dep);
    expect(entry.configMount.startsWith('/')).toBe(true);
  });

  test('requirements the CLI validates: nzbget2 needs nzbget; requests and maintainerr need plex', () => {
    const required = Object.fromEntries(SERVICE_IDS.map((id) => [id, CATALOG[id].requires]));
    expect(required).toEqual({
      plex: [],
      radarr: [],
      sonarr: [],
      lidarr: [],
      prowlarr: [],
      requests: ['plex'],
      maintainerr: ['plex'],
      nzbget: [],
      nzbget2: ['nzbget'],
      wireguard: [],
      npm: [],
      recyclarr: [],
    });
  });

  test('a service only starts after what it needs (depends_on ⊆ requires)', () => {
    for (const id of SERVICE_IDS) for (const dep of CATALOG[id].dependsOn) expect(CATALOG[id].requires).toContain(dep);
  });

  test('media root is mounted in exactly the services that touch media', () => {
    expect(SERVICE_IDS.filter((id) => CATALOG[id].mediaAtData)).toEqual(['plex', 'radarr', 'sonarr', 'lidarr', 'nzbget', 'nzbget2']);
  });

  test('only Seerr runs as a fixed user (its config dir must belong to 1000:1000)', () => {
    expect(allEntries.filter((e) => e.runsAs).map((e) => [e.container, e.runsAs])).toEqual([
      ['seerr', { uid: 1000, gid: 1000 }],
      ['seerr', { uid: 1000, gid: 1000 }],
    ]);
  });

  test('every secret an environment references is a known secret name', () => {
    const config = fixtureConfig(SERVICE_IDS);
    for (const id of SERVICE_IDS) for (const name of referencedSecrets(id, config)) expect(SECRET_NAMES).toContain(name);
  });
});

describe('lookups', () => {
  const seerr = fixtureConfig();
  const overseerr = fixtureConfig(undefined, { requestManager: 'overseerr' });

  test('the request manager container follows the variant', () => {
    expect(containerName('requests', seerr)).toBe('seerr');
    expect(containerName('requests', overseerr)).toBe('overseerr');
    expect(catalogEntry('requests', overseerr).image).toBe('lscr.io/linuxserver/overseerr:latest');
    expect(catalogEntry('requests', seerr).image).toBe('ghcr.io/seerr-team/seerr:latest');
    expect(containerName('radarr', overseerr)).toBe('radarr');
  });

  test('internal URLs use container names and internal ports', () => {
    expect(internalUrl('radarr', seerr)).toBe('http://radarr:7878');
    expect(internalUrl('requests', overseerr)).toBe('http://overseerr:5055');
    expect(internalUrl('nzbget2', seerr)).toBe('http://nzbget2:6789');
    expect(internalUrl('npm', seerr)).toBe('http://npm:81');
    expect(() => internalUrl('wireguard', seerr)).toThrow(/no web port/);
  });

  test('host URLs use the published port and bracket IPv6 hosts', () => {
    const config = fixtureConfig(SERVICE_IDS);
    config.services.radarr.ports.web = 17878;
    expect(hostUrl('radarr', config)).toBe('http://127.0.0.1:17878');
    expect(hostUrl('nzbget2', config, 'media.lan')).toBe('http://media.lan:6790');
    expect(hostUrl('plex', config, '::1')).toBe('http://[::1]:32400');
  });

  test('a port left out of the config falls back to the default', () => {
    const config = fixtureConfig();
    config.services.sonarr.ports = {};
    expect(hostUrl('sonarr', config)).toBe('http://127.0.0.1:8989');
  });

  test('published ports list only enabled services, with protocol', () => {
    const config = fixtureConfig(['plex', 'wireguard', 'npm']);
    expect(publishedPorts(config)).toEqual([
      { service: 'plex', role: 'web', port: 32400, protocol: 'tcp' },
      { service: 'wireguard', role: 'vpn', port: 51820, protocol: 'udp' },
      { service: 'npm', role: 'http', port: 80, protocol: 'tcp' },
      { service: 'npm', role: 'https', port: 443, protocol: 'tcp' },
      { service: 'npm', role: 'web', port: 81, protocol: 'tcp' },
    ]);
  });

  test('enabled services come in catalog order', () => {
    expect(enabledServices(fixtureConfig(['npm', 'plex', 'radarr']))).toEqual(['plex', 'radarr', 'npm']);
  });

  test('API key secrets', () => {
    expect(Object.fromEntries(SERVICE_IDS.map((id) => [id, apiKeySecret(id)]).filter(([, v]) => v))).toEqual({
      radarr: 'RADARR_API_KEY',
      sonarr: 'SONARR_API_KEY',
      lidarr: 'LIDARR_API_KEY',
      prowlarr: 'PROWLARR_API_KEY',
      requests: 'REQUESTS_API_KEY',
    });
  });

  test('referenced secrets per service', () => {
    expect(referencedSecrets('nzbget2', seerr)).toEqual(['NZBGET2_USER', 'NZBGET2_PASS']);
    expect(referencedSecrets('requests', seerr)).toEqual(['REQUESTS_API_KEY']);
    expect(referencedSecrets('requests', overseerr)).toEqual([]);
    expect(referencedSecrets('plex', seerr)).toEqual(['PLEX_CLAIM']);
  });
});
