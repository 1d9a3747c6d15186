import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './core/index.js';
import { startStack } from './run.js';
import { cleanupAfterEach } from './cleanup.js';
import { nzbgetMissing } from './nzbget.js';
import { describeNeeding } from '../helpers/tiers.js';
import { seerrRadarrEntry } from './seerr-entries.js';

const { closers, dirs } = cleanupAfterEach();

const OWNER = 'owner-token-123456789';
const KEYS = {
  RADARR_API_KEY: 'a'.repeat(32),
  SONARR_API_KEY: 'b'.repeat(32),
  REQUESTS_API_KEY: 'c'.repeat(32),
  NZBGET_USER: 'plexarr',
  NZBGET_PASS: 'n0t-the-default',
};

/** Seerr, Maintainerr, Radarr, Sonarr (and the real NZBGet) as the generated compose file declares them. */
async function stack(faults: Record<string, Record<string, unknown>> = {}, withNzbget = false) {
  const home = mkdtempSync(join(tmpdir(), 'plexarr-run-arr-'));
  dirs.push(home);
  const media = join(home, 'media');
  mkdirSync(join(media, 'media', 'movies'), { recursive: true });
  mkdirSync(join(media, 'media', 'tv'), { recursive: true });
  const ports = {
    radarr: await freePort(),
    sonarr: await freePort(),
    seerr: await freePort(),
    maintainerr: await freePort(),
    nzbget: await freePort(),
  };
  const nzbget = `  nzbget:
    image: "lscr.io/linuxserver/nzbget:latest"
    container_name: "nzbget"
    environment:
      NZBGET_USER: \${NZBGET_USER}
      NZBGET_PASS: \${NZBGET_PASS}
    volumes:
      - "${home}/config/nzbget:/config"
      - "${media}:/data"
    ports:
      - "${ports.nzbget}:6789"
`;
  const arr = (name: string, internal: number, prefix: string) => `  ${name}:
    image: "lscr.io/linuxserver/${name}:latest"
    container_name: "${name}"
    environment:
      PUID: "1000"
      ${prefix}__AUTH__APIKEY: \${${prefix}_API_KEY}
    volumes:
      - "${home}/config/${name}:/config"
      - "${media}:/data"
    ports:
      - "${ports[name as 'radarr' | 'sonarr']}:${internal}"
`;
  writeFileSync(
    join(home, 'docker-compose.yml'),
    `services:
${arr('radarr', 7878, 'RADARR')}${arr('sonarr', 8989, 'SONARR')}${withNzbget ? nzbget : ''}  seerr:
    image: "ghcr.io/seerr-team/seerr:latest"
    container_name: "seerr"
    environment:
      API_KEY: \${REQUESTS_API_KEY}
    volumes:
      - "${home}/config/seerr:/app/config"
    ports:
      - "${ports.seerr}:5055"
  maintainerr:
    image: "ghcr.io/maintainerr/maintainerr:latest"
    container_name: "maintainerr"
    volumes:
      - "${home}/config/maintainerr:/opt/data"
    ports:
      - "${ports.maintainerr}:6246"
`,
  );
  writeFileSync(
    join(home, '.env'),
    `${Object.entries(KEYS)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\nPLEX_TOKEN=${OWNER}\n`,
  );
  const s = await startStack({ composeFile: join(home, 'docker-compose.yml'), env: {}, faults });
  closers.push(() => s.close());
  return s;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('run.js with the *arr fakes', () => {
  it('lets Seerr test Radarr and Sonarr by container name with the keys from .env', async () => {
    const s = await stack();
    const seerr = `${s.services.get('seerr')?.url}/api/v1`;
    const auth = { 'X-Api-Key': KEYS.REQUESTS_API_KEY };
    expect((await post(`${seerr}/auth/plex`, { authToken: OWNER })).status).toBe(200);
    const statusCalls = (app: string) =>
      (s.services.get(app)?.log ?? []).filter((e) => e.path === '/api/v3/system/status').map((e) => e.status);

    const radarr = await post(
      `${seerr}/settings/radarr/test`,
      { hostname: 'radarr', port: 7878, apiKey: KEYS.RADARR_API_KEY, useSsl: false },
      auth,
    );
    expect(radarr.status).toBe(200);
    expect(radarr.body).toMatchObject({ rootFolders: [], tags: [], urlBase: '' });
    expect(radarr.body.profiles.map((p: { name: string }) => p.name)).toContain('Any');
    expect(statusCalls('radarr')).toEqual([200]);
    // Seerr answers from its per-URL cache (an hour): Radarr is not asked again, whatever the key.
    const cached = await post(
      `${seerr}/settings/radarr/test`,
      { hostname: 'radarr', port: 7878, apiKey: KEYS.SONARR_API_KEY, useSsl: false },
      auth,
    );
    expect(cached).toEqual(radarr);
    expect(statusCalls('radarr')).toEqual([200]);

    const sonarr = await post(
      `${seerr}/settings/sonarr/test`,
      { hostname: 'sonarr', port: 8989, apiKey: KEYS.SONARR_API_KEY, useSsl: false },
      auth,
    );
    expect(sonarr.status).toBe(200);
    // Sonarr v4 has no language profiles for Seerr: it does not ask, and says null.
    expect(sonarr.body.languageProfiles).toBeNull();
    expect(statusCalls('sonarr')).toEqual([200]);

    // The entry is then saved as sent; /profiles asks Radarr again with the stored key.
    const saved = await post(`${seerr}/settings/radarr`, seerrRadarrEntry(KEYS.RADARR_API_KEY), auth);
    expect(saved.status).toBe(201);
    const profiles = await fetch(`${seerr}/settings/radarr/${saved.body.id}/profiles`, { headers: auth });
    expect(await profiles.json()).toEqual(expect.arrayContaining([{ id: 1, name: 'Any' }]));
  });

  it('lets Maintainerr test Radarr for real and tell Radarr from Sonarr', async () => {
    const s = await stack();
    const m = `${s.services.get('maintainerr')?.url}/api/settings`;
    const radarr = await post(`${m}/test/radarr`, { serverName: 'Radarr', url: 'http://radarr:7878', apiKey: KEYS.RADARR_API_KEY });
    expect(radarr).toEqual({ status: 201, body: { status: 'OK', code: 1, message: '6.0.3.10276' } });
    const badKey = await post(`${m}/test/radarr`, { serverName: 'Radarr', url: 'http://radarr:7878', apiKey: 'nope' });
    expect(badKey.body).toEqual({ status: 'NOK', code: 0, message: 'Failure' });
    const swapped = await post(`${m}/test/sonarr`, { serverName: 'Sonarr', url: 'http://radarr:7878', apiKey: KEYS.RADARR_API_KEY });
    expect(swapped.body).toEqual({ status: 'NOK', code: 0, message: 'Unexpected application name returned: Radarr' });
  });

  it('applies per-service faults from startStack options', async () => {
    const s = await stack({ seerr: { startupMs: 60_000, startupMode: '503' } });
    const res = await fetch(`${s.services.get('seerr')?.url}/api/v1/status`);
    expect(res.status).toBe(503);
    expect((await fetch(`${s.services.get('maintainerr')?.url}/api/health/ready`)).status).toBe(200);
  });
});

describeNeeding(nzbgetMissing())('run.js with the *arr fakes and the real NZBGet', () => {
  it('starts the real NZBGet for linuxserver/nzbget, reachable from Radarr as nzbget:6789 with the .env login', async () => {
    const s = await stack({}, true);
    const radarr = s.services.get('radarr');
    const client = (password: string) => ({
      name: 'NZBGet',
      enable: true,
      protocol: 'usenet',
      priority: 1,
      removeCompletedDownloads: true,
      removeFailedDownloads: true,
      implementation: 'Nzbget',
      configContract: 'NzbgetSettings',
      tags: [],
      fields: [
        { name: 'host', value: 'nzbget' },
        { name: 'port', value: 6789 },
        { name: 'username', value: KEYS.NZBGET_USER },
        { name: 'password', value: password },
        { name: 'movieCategory', value: 'Movies' },
      ],
    });
    const headers = { 'X-Api-Key': KEYS.RADARR_API_KEY };
    const bad = await post(`${radarr?.url}/api/v3/downloadclient`, client('wrong'), headers);
    expect([bad.status, bad.body[0]?.errorMessage]).toEqual([400, 'Authentication failed']);
    const good = await post(`${radarr?.url}/api/v3/downloadclient`, client(KEYS.NZBGET_PASS), headers);
    expect(good.status).toBe(201);
    expect(good.body.fields.find((f: { name: string }) => f.name === 'password').value).toBe('********');
  });
});
