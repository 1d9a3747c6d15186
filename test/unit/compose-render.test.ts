import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { catalogEntry, containerName, enabledServices, hostPort } from '../../src/catalog/index.js';
import { renderStack, type RenderedStack } from '../../src/compose/render.js';
import { validateCompose } from '../../src/compose/validate.js';
import { DEFAULT_ENABLED, SERVICE_IDS, type Secrets, type ServiceId, type StackConfig } from '../../src/config/schema.js';
import { generateSecrets } from '../../src/secrets.js';
import { FIXTURE_SECRETS, fixtureConfig } from './compose-fixtures.js';

const OPTIONAL: ServiceId[] = ['nzbget2', 'wireguard', 'npm'];

/** Drops a service and whatever cannot run without it, as the CLI's validation would demand. */
function without(enabled: readonly ServiceId[], off: ServiceId): ServiceId[] {
  const gone = new Set<ServiceId>([off]);
  for (const id of enabled) if (catalogEntry(id, { requestManager: 'seerr' }).requires.some((r) => gone.has(r))) gone.add(id);
  return enabled.filter((id) => !gone.has(id));
}

/** Every scenario we can enumerate: defaults, each optional on, each default off, variants, minimal, all. */
function scenarios(): [string, StackConfig][] {
  const list: [string, StackConfig][] = [];
  for (const requestManager of ['seerr', 'overseerr'] as const) {
    list.push([`defaults (${requestManager})`, fixtureConfig(DEFAULT_ENABLED, { requestManager })]);
    list.push([`everything (${requestManager})`, fixtureConfig(SERVICE_IDS, { requestManager })]);
  }
  for (const id of OPTIONAL) list.push([`defaults + ${id}`, fixtureConfig([...DEFAULT_ENABLED, id, ...(id === 'nzbget2' ? [] : [])])]);
  for (const id of DEFAULT_ENABLED) list.push([`defaults - ${id}`, fixtureConfig(without(DEFAULT_ENABLED, id))]);
  for (const id of SERVICE_IDS)
    list.push([`only ${id} (+ what it requires)`, fixtureConfig([id, ...catalogEntry(id, { requestManager: 'seerr' }).requires])]);
  list.push(['minimal without Plex', fixtureConfig(['radarr', 'prowlarr', 'nzbget'])]);
  list.push(['nothing enabled', fixtureConfig([])]);
  list.push([
    'everything on custom ports and awkward paths',
    fixtureConfig(SERVICE_IDS, {
      mediaRoot: '/mnt/my media/$HOME #1/ünïcödé/',
      configRoot: '/opt/plexarr app/',
      puid: 0,
      pgid: 4242,
      tz: 'America/Argentina/Buenos_Aires',
      wireguard: { serverUrl: 'vpn.example.org', peers: 'laptop,phone' },
      npm: { email: 'ops+media@example.org', domain: 'example.org' },
      services: Object.fromEntries(
        SERVICE_IDS.map((id, i) => [
          id,
          {
            enabled: true,
            ports: Object.fromEntries(Object.keys(fixtureConfig().services[id].ports).map((role, j) => [role, 20000 + i * 10 + j])),
          },
        ]),
      ) as unknown as StackConfig['services'],
    }),
  ]);
  return list;
}

function envVars(envFile: string): Map<string, string> {
  return new Map(
    envFile
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

function checkInvariants(config: StackConfig, secrets: Secrets, rendered: RenderedStack): void {
  const { compose, composeYaml, envFile } = rendered;
  expect(validateCompose(compose)).toEqual([]);
  // No top-level `name:` (Compose v1 rejects it) and nothing else but services.
  expect(Object.keys(compose)).toEqual(['services']);
  // The YAML text means exactly the object, also under YAML 1.1 (PyYAML, Compose v1).
  expect(parse(composeYaml, { version: '1.1' })).toEqual(compose);
  expect(parse(composeYaml)).toEqual(compose);
  expect(Object.keys(compose.services)).toEqual(enabledServices(config).map((id) => containerName(id, config)));

  // User names are not secret (the NZBGet default one equals the container name).
  for (const [name, value] of Object.entries(secrets)) if (value && !name.endsWith('_USER')) expect(composeYaml).not.toContain(value);
  const referenced = new Set([...composeYaml.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]));
  const defined = envVars(envFile);
  expect([...defined.keys()].sort()).toEqual([...referenced].sort());

  for (const id of enabledServices(config)) {
    const entry = catalogEntry(id, config);
    const svc = compose.services[entry.container] as Record<string, unknown> & {
      environment: Record<string, string>;
      volumes: string[];
      ports: string[];
    };
    expect(svc.container_name).toBe(entry.container);
    expect(svc.restart).toBe('unless-stopped');
    expect(svc.image).toBe(entry.image);
    if (entry.linuxserver) {
      expect(svc.environment).toMatchObject({ PUID: String(config.puid), PGID: String(config.pgid), TZ: config.tz });
    } else {
      expect(svc.environment?.PUID).toBeUndefined();
      expect(svc.environment?.PGID).toBeUndefined();
    }
    const esc = (p: string) => p.split('$').join('$$');
    const configDir = esc(`${config.configRoot.replace(/\/$/, '')}/${entry.container}`);
    if (entry.configSubMounts) {
      for (const m of entry.configSubMounts) expect(svc.volumes).toContain(`${configDir}/${m.subdir}:${m.target}`);
    } else {
      expect(svc.volumes).toContain(`${configDir}:${entry.configMount}`);
    }
    expect(svc.volumes.includes(`${esc(config.mediaRoot.replace(/(.)\/+$/, '$1'))}:/data`)).toBe(entry.mediaAtData);
    // A service without ports (Recyclarr) has no `ports:` key at all.
    expect(svc.ports ?? []).toEqual(
      entry.ports.map((p) => `${hostPort(config, id, p.role)}:${p.internal}${p.protocol === 'udp' ? '/udp' : ''}`),
    );
    expect((svc.healthcheck as { test?: string[] } | undefined)?.test).toEqual(entry.healthcheck);
  }
}

describe('renderStack, every scenario', () => {
  test.each(scenarios())('%s: valid Compose, no secret literal, every ${VAR} in .env', (_name, config) => {
    checkInvariants(config, FIXTURE_SECRETS, renderStack(config, FIXTURE_SECRETS));
    const generated = generateSecrets(config, {}, {});
    checkInvariants(config, generated, renderStack(config, generated));
  });
});

describe('renderStack, service specifics', () => {
  const all = renderStack(fixtureConfig(SERVICE_IDS), FIXTURE_SECRETS).compose.services;
  const overseerr = renderStack(fixtureConfig(SERVICE_IDS, { requestManager: 'overseerr' }), FIXTURE_SECRETS).compose.services;

  test('Seerr: init, API_KEY from .env, no PUID/PGID, wget health check', () => {
    expect(all.seerr).toMatchObject({
      init: true,
      environment: { API_KEY: '${REQUESTS_API_KEY}', TZ: 'Europe/Berlin', PORT: '5055' },
      volumes: ['/srv/plexarr/appdata/seerr:/app/config'],
      depends_on: ['plex'],
      healthcheck: { test: ['CMD', 'wget', '--no-verbose', '--tries=1', '--spider', 'http://localhost:5055/api/v1/status'] },
    });
    expect(all.overseerr).toBeUndefined();
  });

  test('Overseerr: linuxserver image, no key variable (deploy pre-seeds settings.json)', () => {
    expect(overseerr.seerr).toBeUndefined();
    expect(overseerr.overseerr).toMatchObject({
      environment: { PUID: '1000', PGID: '1000', TZ: 'Europe/Berlin' },
      volumes: ['/srv/plexarr/appdata/overseerr:/config'],
    });
    expect(Object.keys(overseerr.overseerr!.environment as object)).toEqual(['PUID', 'PGID', 'TZ']);
    expect(overseerr.overseerr!.init).toBeUndefined();
  });

  test('Maintainerr runs as PUID:PGID with no compose health check', () => {
    expect(all.maintainerr).toMatchObject({ user: '1000:1000', environment: { TZ: 'Europe/Berlin' } });
    expect(all.maintainerr!.healthcheck).toBeUndefined();
  });

  test('the *arr apps get their API keys from .env', () => {
    for (const app of ['radarr', 'sonarr', 'lidarr', 'prowlarr']) {
      const prefix = app.toUpperCase();
      expect((all[app]!.environment as Record<string, string>)[`${prefix}__AUTH__APIKEY`]).toBe(`\${${prefix}_API_KEY}`);
      expect(all[app]!.healthcheck).toMatchObject({
        test: ['CMD', 'curl', '-fsS', `http://localhost:${all[app]!.ports && String((all[app]!.ports as string[])[0]).split(':')[1]}/ping`],
      });
    }
  });

  test('NZBGet 2 publishes 6790 onto 6789 and has its own credentials', () => {
    expect(all.nzbget2).toMatchObject({
      ports: ['6790:6789'],
      environment: { NZBGET_USER: '${NZBGET2_USER}', NZBGET_PASS: '${NZBGET2_PASS}' },
    });
  });

  test('WireGuard: NET_ADMIN, src_valid_mark, UDP, SERVERPORT is the published port', () => {
    const config = fixtureConfig(['wireguard']);
    config.services.wireguard.ports.vpn = 51999;
    const wg = renderStack(config, FIXTURE_SECRETS).compose.services.wireguard!;
    expect(wg).toMatchObject({
      cap_add: ['NET_ADMIN'],
      sysctls: { 'net.ipv4.conf.all.src_valid_mark': 1 },
      ports: ['51999:51820/udp'],
      environment: { PEERS: '2', SERVERURL: 'auto', SERVERPORT: '51999' },
    });
    expect(wg.healthcheck).toBeUndefined();
  });

  test('NPM: three ports, data and certificates mounted apart, no admin in its environment (it would log the password)', () => {
    expect(all.npm).toMatchObject({
      ports: ['80:80', '443:443', '81:81'],
      volumes: ['/srv/plexarr/appdata/npm/data:/data', '/srv/plexarr/appdata/npm/letsencrypt:/etc/letsencrypt'],
      healthcheck: { test: ['CMD', '/usr/bin/check-health'] },
    });
    expect(all.npm).not.toHaveProperty('environment');
  });

  test('Plex: VERSION=docker and the claim from .env, which may still be empty', () => {
    const { compose, envFile } = renderStack(fixtureConfig(['plex']), {});
    expect(compose.services.plex!.environment).toMatchObject({ VERSION: 'docker', PLEX_CLAIM: '${PLEX_CLAIM}' });
    expect(envFile).toContain('\nPLEX_CLAIM=\n');
  });

  test('a literal $ in a path is escaped so Compose does not interpolate it', () => {
    const { compose } = renderStack(fixtureConfig(['radarr'], { mediaRoot: '/srv/$USER/media' }), FIXTURE_SECRETS);
    expect(compose.services.radarr!.volumes).toContain('/srv/$$USER/media:/data');
  });

  test('a missing secret is a programming error that names it, not the value', () => {
    expect(() => renderStack(fixtureConfig(['radarr']), {})).toThrow('secret RADARR_API_KEY is missing');
  });
});
