import { expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderStack } from '../../src/compose/render.js';
import { writeStackFiles } from '../../src/compose/write.js';
import { DEFAULT_PORTS, SERVICE_IDS, type ServiceId, type StackConfig } from '../../src/config/schema.js';
import { generateSecrets } from '../../src/secrets.js';
import { PREFERENCES_RELATIVE } from './plex.js';
import { startPlexTv } from './plextv.js';
import { freePort } from './core/index.js';
import { startStack } from './run.js';
import { cleanupAfterEach } from './cleanup.js';
import { nzbgetMissing } from './nzbget.js';
import { describeNeeding } from '../helpers/tiers.js';

const { closers, dirs } = cleanupAfterEach();

const OWNER = 'owner-token-123456789';

/** Every service enabled, on free loopback ports, rooted in a temp dir. */
async function generatedConfig(home: string): Promise<StackConfig> {
  const services = {} as StackConfig['services'];
  for (const id of SERVICE_IDS) {
    const ports: Record<string, number> = {};
    for (const role of Object.keys(DEFAULT_PORTS[id])) ports[role] = await freePort();
    services[id as ServiceId] = { enabled: true, ports };
  }
  return {
    schemaVersion: 1,
    mediaRoot: join(home, 'media'),
    configRoot: join(home, 'appdata'),
    puid: 1000,
    pgid: 1000,
    tz: 'Etc/UTC',
    hostAddress: '127.0.0.1',
    requestManager: 'seerr',
    adminUser: 'admin',
    services,
    wireguard: { serverUrl: 'auto', peers: '1' },
    npm: { email: 'admin@example.com' },
    usenetServers: [],
    indexers: [],
    qualityProfile: 'hd',
  };
}

describeNeeding(nzbgetMissing())('run.js on the file plexarr generates', () => {
  it('brings up every faked service of a full stack and wires Plex, Seerr and Radarr by container name', async () => {
    const home = mkdtempSync(join(tmpdir(), 'plexarr-generated-'));
    dirs.push(home);
    const config = await generatedConfig(home);
    for (const d of ['media/movies', 'media/tv', 'media/music', 'downloads/incomplete'])
      mkdirSync(join(config.mediaRoot, d), { recursive: true });

    const tv = await startPlexTv({ accounts: [{ username: 'owner', token: OWNER }] });
    closers.push(() => tv.close());
    const claim = (
      (await (await fetch(`${tv.url}/api/claim/token.json`, { headers: { 'X-Plex-Token': OWNER } })).json()) as { token: string }
    ).token;
    const secrets = generateSecrets(config, {}, { PLEX_TOKEN: OWNER, PLEX_CLAIM: claim });
    const paths = writeStackFiles(home, renderStack(config, secrets));

    const stack = await startStack({ composeFile: paths.composeFile, envFile: paths.envFile, env: {}, plexTv: tv });
    closers.push(() => stack.close());
    expect([...stack.services.keys()].sort()).toEqual([
      'lidarr',
      'maintainerr',
      'npm',
      'nzbget',
      'nzbget2',
      'plex',
      'prowlarr',
      'radarr',
      'seerr',
      'sonarr',
    ]);
    expect(stack.skipped.map((s) => s.service).sort()).toEqual(['recyclarr', 'wireguard']);
    for (const [service, h] of stack.services)
      expect([service, h.port]).toEqual([service, config.services[service === 'seerr' ? 'requests' : (service as ServiceId)].ports.web]);

    // Plex claimed itself with the .env's PLEX_CLAIM; the arr apps took their keys from the env.
    expect(readFileSync(join(config.configRoot, 'plex', PREFERENCES_RELATIVE), 'utf8')).toContain('PlexOnlineToken=');
    const radarr = stack.services.get('radarr')?.url;
    expect((await fetch(`${radarr}/api/v3/system/status`, { headers: { 'X-Api-Key': secrets.RADARR_API_KEY ?? '' } })).status).toBe(200);

    // Seerr → Plex → library sync, all by container name.
    const seerr = `${stack.services.get('seerr')?.url}/api/v1`;
    const post = (path: string, body: unknown) =>
      fetch(`${seerr}${path}`, {
        method: 'POST',
        headers: { 'X-Api-Key': secrets.REQUESTS_API_KEY ?? '', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const plex = stack.services.get('plex')?.url;
    const section = new URLSearchParams({
      name: 'Movies',
      type: 'movie',
      agent: 'tv.plex.agents.movie',
      scanner: 'Plex Movie',
      language: 'en-US',
      location: '/data/media/movies',
    });
    expect((await fetch(`${plex}/library/sections?${section}`, { method: 'POST', headers: { 'X-Plex-Token': OWNER } })).status).toBe(200);
    expect((await post('/auth/plex', { authToken: OWNER })).status).toBe(200);
    expect((await post('/settings/plex', { ip: 'plex', port: 32400, useSsl: false })).status).toBe(200);
    const libs = await fetch(`${seerr}/settings/plex/library?sync=true&enable=1`, {
      headers: { 'X-Api-Key': secrets.REQUESTS_API_KEY ?? '' },
    });
    expect(await libs.json()).toEqual([{ id: '1', name: 'Movies', enabled: true, type: 'movie' }]);

    // Radarr reaches the real NZBGet as nzbget:6789 with NZBGET_USER/NZBGET_PASS from .env.
    const fields = [
      { name: 'host', value: 'nzbget' },
      { name: 'port', value: 6789 },
      { name: 'username', value: secrets.NZBGET_USER },
      { name: 'password', value: secrets.NZBGET_PASS },
      { name: 'movieCategory', value: 'Movies' },
    ];
    const client = {
      name: 'NZBGet',
      enable: true,
      protocol: 'usenet',
      priority: 1,
      implementation: 'Nzbget',
      configContract: 'NzbgetSettings',
      tags: [],
      fields,
    };
    const added = await fetch(`${radarr}/api/v3/downloadclient`, {
      method: 'POST',
      headers: { 'X-Api-Key': secrets.RADARR_API_KEY ?? '', 'content-type': 'application/json' },
      body: JSON.stringify(client),
    });
    expect(added.status).toBe(201);
  });
});
