import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAINTAINERR_VERSION, startMaintainerr } from './maintainerr.js';
import { startPlex } from './plex.js';
import { startPlexTv } from './plextv.js';
import { startSeerr } from './seerr.js';
import { cleanupAfterEach } from './cleanup.js';

const { closers, dirs } = cleanupAfterEach();

const OWNER = 'owner-token-123456789';

async function stack() {
  const tv = await startPlexTv({ accounts: [{ username: 'owner', token: OWNER }] });
  closers.push(() => tv.close());
  const claim = ((await (await fetch(`${tv.url}/api/claim/token.json`, { headers: { 'X-Plex-Token': OWNER } })).json()) as { token: string }).token;
  const root = mkdtempSync(join(tmpdir(), 'plexarr-maint-'));
  dirs.push(root);
  mkdirSync(join(root, 'plex'));
  const plex = await startPlex({ env: { PLEX_CLAIM: claim }, configDir: join(root, 'plex'), plexTvUrl: tv.url });
  closers.push(() => plex.close());
  const seerr = await startSeerr({ env: { API_KEY: 'seerr-key' }, plexTvUrl: tv.url });
  closers.push(() => seerr.close());
  const peers: Record<string, string> = { 'http://plex:32400': plex.url, 'http://seerr:5055': seerr.url };
  const resolve = (url: string) => {
    const peer = Object.keys(peers).find((p) => url.startsWith(p));
    return peer ? url.replace(peer, peers[peer] ?? '') : `http://127.0.0.1:9${new URL(url).pathname}`;
  };
  const m = await startMaintainerr({ configDir: join(root, 'maintainerr'), plexTvUrl: tv.url, resolve });
  closers.push(() => m.close());
  return { tv, plex, seerr, m, root };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked by shape
async function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // plain-text answers (the version) stay strings
  }
  return { status: res.status, body: parsed };
}

describe('Maintainerr fake', () => {
  it('is ready without auth and reports its version as a bare string', async () => {
    const { m } = await stack();
    expect((await call(m.url, 'GET', '/api/health/ready')).status).toBe(200);
    expect(await call(m.url, 'GET', '/api/settings/version')).toEqual({ status: 200, body: MAINTAINERR_VERSION });
    expect((await call(m.url, 'GET', '/api/nothing')).status).toBe(404);
  });

  it('reports failures as NOK inside a 2xx and follows the v3 Plex setup order (trap 12)', async () => {
    const { m, plex } = await stack();
    const early = await call(m.url, 'PATCH', '/api/settings', { plex_hostname: 'plex', plex_port: 32400, plex_name: 'plex' });
    expect(early).toEqual({ status: 200, body: { status: 'NOK', code: 0, message: 'Authenticate with Plex before saving Plex server settings.' } });
    expect((await call(m.url, 'GET', '/api/settings/test/plex')).body).toMatchObject({ status: 'NOK', code: 0 });

    // Token and server saved, but Plex never selected as the media server: its client never starts.
    await call(m.url, 'POST', '/api/settings/plex/token', { plex_auth_token: OWNER });
    expect((await call(m.url, 'PATCH', '/api/settings', { plex_hostname: 'plex', plex_port: 32400, plex_name: 'plex' })).body.code).toBe(1);
    expect((await call(m.url, 'GET', '/api/settings/test/plex')).body).toEqual({ status: 'NOK', code: 0, message: 'Failure' });
    await call(m.url, 'DELETE', '/api/settings/plex/auth');

    expect((await call(m.url, 'POST', '/api/settings/media-server/switch', { targetServerType: 'plexx' })).status).toBe(400);
    expect(await call(m.url, 'POST', '/api/settings/media-server/switch', { targetServerType: 'plex' })).toEqual({ status: 201, body: expect.objectContaining({ status: 'OK', code: 1 }) });
    expect((await call(m.url, 'POST', '/api/settings/media-server/switch', { targetServerType: 'plex' })).body).toEqual({ status: 'NOK', code: 0, message: 'Already using plex as media server' });

    expect((await call(m.url, 'POST', '/api/settings/plex/token', {})).status).toBe(400);
    expect((await call(m.url, 'POST', '/api/settings/plex/token', { plex_auth_token: OWNER })).body.code).toBe(1);
    const saved = await call(m.url, 'PATCH', '/api/settings', { plex_hostname: 'HTTP://Plex', plex_port: 32400, plex_name: 'plex', unknown_key: 1 });
    expect(saved).toEqual({ status: 200, body: { status: 'OK', code: 1, message: 'Success' } });
    const settings = (await call(m.url, 'GET', '/api/settings')).body;
    expect(settings).toMatchObject({ plex_hostname: 'plex', plex_ssl: 0, media_server_type: 'plex' });
    expect(settings.unknown_key).toBeUndefined();

    const test = await call(m.url, 'GET', '/api/settings/test/plex');
    expect(test).toEqual({ status: 200, body: { status: 'OK', code: 1, message: expect.stringMatching(/^1\.\d+/) } });
    expect(plex.log.filter((e) => e.path === '/')).toHaveLength(1);
    expect((await call(m.url, 'GET', '/api/settings/test/plex/auth')).body.code).toBe(1);
    const servers = (await call(m.url, 'GET', '/api/settings/plex/devices/servers')).body;
    expect(servers).toEqual([expect.objectContaining({ clientIdentifier: plex.state.preferences.ProcessedMachineIdentifier, owned: true })]);

    await call(m.url, 'POST', '/api/settings/plex/token', { plex_auth_token: 'revoked-token-000000' });
    expect((await call(m.url, 'GET', '/api/settings/test/plex')).body).toEqual({ status: 'NOK', code: 0, message: 'Failure' });
    expect((await call(m.url, 'GET', '/api/settings/test/plex/auth')).body.message).toMatch(/invalid/);
  });

  it('keeps several Radarr/Sonarr servers with no de-duplication; PUT replaces, DELETE removes', async () => {
    const { m } = await stack();
    const body = { serverName: 'Radarr', url: 'http://Radarr:7878/', apiKey: 'k1' };
    expect((await call(m.url, 'POST', '/api/settings/radarr', { ...body, url: 'radarr:7878' })).status).toBe(400);
    expect((await call(m.url, 'POST', '/api/settings/radarr', { serverName: 'Radarr', url: 'http://radarr:7878' })).status).toBe(400);
    const first = await call(m.url, 'POST', '/api/settings/radarr', body);
    expect(first).toEqual({ status: 201, body: { status: 'OK', code: 1, message: 'Success', data: { id: 1, serverName: 'Radarr', url: 'http://radarr:7878', apiKey: 'k1' } } });
    expect((await call(m.url, 'POST', '/api/settings/radarr', body)).body.data.id).toBe(2);
    expect((await call(m.url, 'GET', '/api/settings/radarr')).body).toHaveLength(2);

    const put = await call(m.url, 'PUT', '/api/settings/radarr/2', { serverName: 'Radarr 4K', url: 'http://radarr4k:7878', apiKey: 'k2' });
    expect(put.body.data).toEqual({ id: 2, serverName: 'Radarr 4K', url: 'http://radarr4k:7878', apiKey: 'k2' });
    expect((await call(m.url, 'PUT', '/api/settings/radarr/x', body)).status).toBe(400);
    expect((await call(m.url, 'DELETE', '/api/settings/radarr/1')).body).toEqual({ status: 'OK', code: 1, message: 'Success' });
    expect((await call(m.url, 'DELETE', '/api/settings/radarr/1')).body).toMatchObject({ status: 'NOK', code: 0 });
    expect((await call(m.url, 'GET', '/api/settings/radarr')).body.map((r: { id: number }) => r.id)).toEqual([2]);
    expect((await call(m.url, 'POST', '/api/settings/sonarr', { serverName: 'Sonarr', url: 'http://sonarr:8989', apiKey: 's' })).status).toBe(201);

    const unreachable = await call(m.url, 'POST', '/api/settings/test/radarr', { serverName: 'x', url: 'http://127.0.0.1:9', apiKey: 'k' });
    expect(unreachable).toEqual({ status: 201, body: { status: 'NOK', code: 0, message: 'Failure' } });
  });

  it('stores Seerr settings under all three aliases and tests them against the Seerr fake', async () => {
    const { m, seerr } = await stack();
    expect((await call(m.url, 'POST', '/api/settings/seerr', { url: 'http://seerr:5055' })).status).toBe(400);
    expect((await call(m.url, 'POST', '/api/settings/overseerr', { url: 'http://Seerr:5055/', api_key: 'seerr-key' })).status).toBe(201);
    expect((await call(m.url, 'GET', '/api/settings/seerr')).body).toEqual({ url: 'http://seerr:5055', api_key: 'seerr-key' });

    // Seerr refuses its own key until the first Plex login created user 1.
    const before = await call(m.url, 'POST', '/api/settings/test/seerr', { url: 'http://seerr:5055', api_key: 'seerr-key' });
    expect(before.body).toEqual({ status: 'NOK', code: 0, message: 'Invalid API key' });
    await fetch(`${seerr.url}/api/v1/auth/plex`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ authToken: OWNER }) });
    const after = await call(m.url, 'POST', '/api/settings/test/seerr', { url: 'http://seerr:5055', api_key: 'seerr-key' });
    expect(after).toEqual({ status: 201, body: { status: 'OK', code: 1, message: '3.1.0' } });

    expect((await call(m.url, 'DELETE', '/api/settings/jellyseerr')).body.code).toBe(1);
    expect((await call(m.url, 'GET', '/api/settings/seerr')).body).toEqual({ url: null, api_key: null });
  });
});
