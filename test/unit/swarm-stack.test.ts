import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { renderStack } from '../../src/compose/render.js';
import { validateCompose } from '../../src/compose/validate.js';
import { hasWebPort, internalUrl } from '../../src/catalog/index.js';
import { DEFAULT_ENABLED, SERVICE_IDS, type StackConfig } from '../../src/config/schema.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { FIXTURE_SECRETS, fixtureConfig } from './compose-fixtures.js';

const temp = useTempDirs();
const golden = (name: string) => fileURLToPath(new URL(`../golden/${name}`, import.meta.url));
const swarm = (enabled = DEFAULT_ENABLED, extra: Partial<StackConfig> = {}) => fixtureConfig(enabled, { engine: 'swarm', ...extra });
type Service = Record<string, unknown> & { deploy: Record<string, unknown>; ports?: Record<string, unknown>[] };
const servicesOf = (config: StackConfig) => renderStack(config, FIXTURE_SECRETS).compose.services as Record<string, Service>;

/** Whether this machine has a docker CLI with `stack config` (a client-side check, no engine needed). */
function hasStackConfig(): boolean {
  try {
    execFileSync('docker', ['stack', 'config', '--help'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('swarm stack file', () => {
  test('golden: the default stack (review the diff, then UPDATE_GOLDEN=1)', () => {
    const rendered = renderStack(swarm(), FIXTURE_SECRETS);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden('stack-swarm-defaults.yml'), rendered.composeYaml);
    expect(rendered.composeYaml).toBe(readFileSync(golden('stack-swarm-defaults.yml'), 'utf8'));
    // The same secrets as the Compose stack: .env is unchanged, only how it reaches the engine differs.
    expect(rendered.envFile).toBe(renderStack(fixtureConfig(), FIXTURE_SECRETS).envFile);
  });

  test.each([
    ['defaults', DEFAULT_ENABLED, {}],
    [
      'everything, overseerr, placed',
      SERVICE_IDS,
      {
        requestManager: 'overseerr' as const,
        placements: { plex: ['node.labels.gpu==true'], nzbget: ['node.hostname==box2', 'node.role!=manager'] },
      },
    ],
  ])('%s: valid against the compose spec, no Compose-only keys', (_name, enabled, extra) => {
    const rendered = renderStack(swarm(enabled, extra), FIXTURE_SECRETS);
    expect(validateCompose(rendered.compose)).toEqual([]);
    for (const [name, svc] of Object.entries(rendered.compose.services)) {
      expect([name, Object.keys(svc).filter((k) => ['container_name', 'restart', 'depends_on'].includes(k))]).toEqual([name, []]);
    }
    for (const secret of Object.values(FIXTURE_SECRETS)) expect(rendered.composeYaml).not.toContain(secret);
  });

  test('placement constraints go to exactly the services they name', () => {
    const services = servicesOf(
      swarm(DEFAULT_ENABLED, { placements: { plex: ['node.labels.gpu==true'], nzbget: ['node.hostname==box2', 'node.role!=manager'] } }),
    );
    expect(services.plex?.deploy.placement).toEqual({ constraints: ['node.labels.gpu==true'] });
    expect(services.nzbget?.deploy.placement).toEqual({ constraints: ['node.hostname==box2', 'node.role!=manager'] });
    const unplaced = Object.entries(services)
      .filter(([, s]) => s.deploy.placement === undefined)
      .map(([n]) => n);
    expect(unplaced).toEqual(['radarr', 'sonarr', 'lidarr', 'prowlarr', 'seerr', 'maintainerr', 'recyclarr']);
  });

  test('one task per service, restarted on exit, dnsrr, host-mode ports as configured', () => {
    const services = servicesOf(
      swarm(SERVICE_IDS, { services: { ...swarm(SERVICE_IDS).services, radarr: { enabled: true, ports: { web: 17878 } } } }),
    );
    for (const svc of Object.values(services)) {
      expect(svc.deploy).toMatchObject({ mode: 'replicated', replicas: 1, endpoint_mode: 'dnsrr', restart_policy: { condition: 'any' } });
      for (const p of svc.ports ?? []) expect(p.mode).toBe('host');
    }
    expect(services.radarr?.ports).toEqual([{ target: 7878, published: 17878, protocol: 'tcp', mode: 'host' }]);
    expect(services.wireguard?.ports).toEqual([{ target: 51820, published: 51820, protocol: 'udp', mode: 'host' }]);
  });

  test('service keys are the host names the hookups call, on one attachable overlay network', () => {
    const config = swarm(SERVICE_IDS);
    const rendered = renderStack(config, FIXTURE_SECRETS);
    const hosts = SERVICE_IDS.filter(hasWebPort).map((id) => new URL(internalUrl(id, config)).hostname);
    expect(hosts.length).toBeGreaterThan(8);
    for (const host of hosts) expect(Object.keys(rendered.compose.services)).toContain(host);
    expect(rendered.compose.networks).toEqual({ default: { name: 'plexarr_default', driver: 'overlay', attachable: true } });
  });

  test('the compose engine renders no deploy key and no version', () => {
    const compose = renderStack(fixtureConfig(), FIXTURE_SECRETS).compose;
    expect(compose.version).toBeUndefined();
    expect(Object.values(compose.services).some((s) => 'deploy' in s)).toBe(false);
  });

  const withDocker = hasStackConfig() ? test : test.skip;
  withDocker('docker stack config accepts the file with .env in the environment (client-side, no engine)', () => {
    const dir = temp.make();
    const rendered = renderStack(swarm(SERVICE_IDS, { placements: { plex: ['node.labels.gpu==true'] } }), FIXTURE_SECRETS);
    const file = join(dir, 'docker-compose.yml');
    writeFileSync(file, rendered.composeYaml);
    const env = Object.fromEntries(
      rendered.envFile
        .split('\n')
        .filter((l) => /^[A-Z0-9_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const out = execFileSync('docker', ['stack', 'config', '-c', file], {
      env: { PATH: process.env.PATH, HOME: dir, DOCKER_HOST: `unix://${dir}/none.sock`, ...env },
      encoding: 'utf8',
    });
    const resolved = parse(out) as { services: Record<string, { environment?: Record<string, string>; deploy?: { placement?: unknown } }> };
    expect(resolved.services.radarr?.environment?.RADARR__AUTH__APIKEY).toBe(FIXTURE_SECRETS.RADARR_API_KEY);
    expect(resolved.services.plex?.deploy?.placement).toEqual({ constraints: ['node.labels.gpu==true'] });
    expect(Object.keys(resolved.services).sort()).toEqual(Object.keys(rendered.compose.services).sort());
  });
});
