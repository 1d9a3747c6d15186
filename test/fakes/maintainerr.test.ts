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
  const claim = (
    (await (await fetch(`${tv.url}/api/claim/token.json`, { headers: { 'X-Plex-Token': OWNER } })).json()) as { token: string }
  ).token;
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
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
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
    expect((await call(m.url, 'GET', '/api/settings')).body).toMatchObject({
      media_server_type: null,
      plex_port: 32400,
      plex_ssl: null,
      plex_auth_token: null,
    });
    // No media server chosen yet: the address saves without a token.
    const early = await call(m.url, 'PATCH', '/api/settings', { plex_hostname: 'plex', plex_port: 32400, plex_name: 'plex' });
    expect(early).toEqual({ status: 200, body: { status: 'OK', code: 1, message: 'Success' } });
    expect((await call(m.url, 'GET', '/api/settings/test/plex')).body).toEqual({
      status: 'NOK',
      code: 0,
      message: 'Authenticate with Plex before testing the connection.',
    });

    // Token and server saved, but Plex never selected as the media server: its client never starts.
    await call(m.url, 'POST', '/api/settings/plex/token', { plex_auth_token: OWNER });
    expect((await call(m.url, 'GET', '/api/settings/test/plex')).body).toEqual({ status: 'NOK', code: 0, message: 'Failure' });
    await call(m.url, 'DELETE', '/api/settings/plex/auth');

    expect((await call(m.url, 'POST', '/api/settings/media-server/switch', { targetServerType: 'plexx' })).status).toBe(400);
    const switched = await call(m.url, 'POST', '/api/settings/media-server/switch', { targetServerType: 'plex' });
    expect(switched).toEqual({
      status: 201,
      body: expect.objectContaining({ status: 'OK', code: 1, message: 'Successfully set plex as media server' }),
    });
    expect((await call(m.url, 'POST', '/api/settings/media-server/switch', { targetServerType: 'plex' })).body).toEqual({
      status: 'NOK',
      code: 0,
      message: 'Already using plex as media server',
    });

    // Plex selected and no token: a new address is refused, the same one is not a change.
    const moved = await call(m.url, 'PATCH', '/api/settings', { plex_hostname: 'plex2', plex_port: 32400, plex_name: 'plex' });
    expect(moved).toEqual({
      status: 200,
      body: { status: 'NOK', code: 0, message: 'Authenticate with Plex before saving Plex server settings.' },
    });
    expect(
      (await call(m.url, 'PATCH', '/api/settings', { plex_hostname: 'HTTP://PLEX', plex_port: 32400, plex_name: 'plex' })).body.code,
    ).toBe(1);
    expect((await call(m.url, 'GET', '/api/settings')).body).toMatchObject({ plex_hostname: 'plex', plex_ssl: 0 });

    expect((await call(m.url, 'POST', '/api/settings/plex/token', {})).status).toBe(400);
    expect((await call(m.url, 'POST', '/api/settings/plex/token', { plex_auth_token: OWNER })).body.code).toBe(1);
    const saved = await call(m.url, 'PATCH', '/api/settings', {
      plex_hostname: 'HTTP://Plex',
      plex_port: 32400,
      plex_name: 'plex',
      unknown_key: 1,
    });
    expect(saved).toEqual({ status: 200, body: { status: 'OK', code: 1, message: 'Success' } });
    const settings = (await call(m.url, 'GET', '/api/settings')).body;
    expect(settings).toMatchObject({ plex_hostname: 'plex', plex_ssl: 0, media_server_type: 'plex' });
    expect(settings.unknown_key).toBeUndefined();

    const test = await call(m.url, 'GET', '/api/settings/test/plex');
    expect(test).toEqual({ status: 200, body: { status: 'OK', code: 1, message: expect.stringMatching(/^1\.\d+/) } });
    expect(plex.log.filter((e) => e.path === '/')).toHaveLength(1);
    expect((await call(m.url, 'GET', '/api/settings/test/plex/auth')).body.code).toBe(1);
    const servers = (await call(m.url, 'GET', '/api/settings/plex/devices/servers')).body;
    expect(servers).toEqual([
      expect.objectContaining({ clientIdentifier: plex.state.preferences.ProcessedMachineIdentifier, owned: true }),
    ]);

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
    expect(first).toEqual({
      status: 201,
      body: { status: 'OK', code: 1, message: 'Success', data: { id: 1, serverName: 'Radarr', url: 'http://radarr:7878', apiKey: 'k1' } },
    });
    expect((await call(m.url, 'POST', '/api/settings/radarr', body)).body.data.id).toBe(2);
    expect((await call(m.url, 'GET', '/api/settings/radarr')).body).toHaveLength(2);

    const put = await call(m.url, 'PUT', '/api/settings/radarr/2', { serverName: 'Radarr 4K', url: 'http://radarr4k:7878', apiKey: 'k2' });
    expect(put.body.data).toEqual({ id: 2, serverName: 'Radarr 4K', url: 'http://radarr4k:7878', apiKey: 'k2' });
    expect((await call(m.url, 'PUT', '/api/settings/radarr/x', body)).status).toBe(400);
    expect((await call(m.url, 'DELETE', '/api/settings/radarr/1')).body).toEqual({ status: 'OK', code: 1, message: 'Success' });
    expect((await call(m.url, 'DELETE', '/api/settings/radarr/1')).body).toMatchObject({ status: 'NOK', code: 0 });
    expect((await call(m.url, 'GET', '/api/settings/radarr')).body.map((r: { id: number }) => r.id)).toEqual([2]);
    expect(
      (await call(m.url, 'POST', '/api/settings/sonarr', { serverName: 'Sonarr', url: 'http://sonarr:8989', apiKey: 's' })).status,
    ).toBe(201);

    const unreachable = await call(m.url, 'POST', '/api/settings/test/radarr', { serverName: 'x', url: 'http://127.0.0.1:9', apiKey: 'k' });
    expect(unreachable).toEqual({ status: 201, body: { status: 'NOK', code: 0, message: 'Failure' } });
  });

  it('stores Seerr settings under all three aliases and tests them against the Seerr fake', async () => {
    const { m, seerr } = await stack();
    expect((await call(m.url, 'POST', '/api/settings/seerr', { url: 'http://seerr:5055' })).status).toBe(400);
    expect((await call(m.url, 'POST', '/api/settings/overseerr', { url: ' http://Seerr:5055/ ', api_key: 'seerr-key' })).status).toBe(201);
    // This route keeps the URL's case; only the trailing `/` goes.
    expect((await call(m.url, 'GET', '/api/settings/seerr')).body).toEqual({ url: 'http://Seerr:5055', api_key: 'seerr-key' });
    expect((await call(m.url, 'POST', '/api/settings/seerr', { url: 'http://seerr:5055', api_key: 'seerr-key' })).status).toBe(201);

    // Seerr refuses its own key until the first Plex login created user 1.
    const before = await call(m.url, 'POST', '/api/settings/test/seerr', { url: 'http://seerr:5055', api_key: 'seerr-key' });
    expect(before.body).toEqual({ status: 'NOK', code: 0, message: 'Invalid API key' });
    await fetch(`${seerr.url}/api/v1/auth/plex`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ authToken: OWNER }),
    });
    const after = await call(m.url, 'POST', '/api/settings/test/seerr', { url: 'http://seerr:5055', api_key: 'seerr-key' });
    expect(after).toEqual({ status: 201, body: { status: 'OK', code: 1, message: '3.1.0' } });

    expect((await call(m.url, 'DELETE', '/api/settings/jellyseerr')).body.code).toBe(1);
    expect((await call(m.url, 'GET', '/api/settings/seerr')).body).toEqual({ url: null, api_key: null });
  });

  it('masks the Plex token and the API keys in GET /api/settings, and only there', async () => {
    const { m } = await stack();
    await call(m.url, 'POST', '/api/settings/plex/token', { plex_auth_token: OWNER });
    await call(m.url, 'POST', '/api/settings/seerr', { url: 'http://seerr:5055', api_key: 'abc123' });
    await call(m.url, 'POST', '/api/settings/radarr', { serverName: 'Radarr', url: 'http://radarr:7878', apiKey: 'radarr-key-0123456789' });
    const settings = (await call(m.url, 'GET', '/api/settings')).body;
    // More than 6 characters: first 3 + "..." + last 3; 6 or fewer: "****"; never set: null.
    expect(settings).toMatchObject({ plex_auth_token: 'own...789', seerr_api_key: '****', tautulli_api_key: null });
    expect(JSON.stringify(settings)).not.toContain(OWNER);
    expect((await call(m.url, 'GET', '/api/settings/seerr')).body).toEqual({ url: 'http://seerr:5055', api_key: 'abc123' });
    expect((await call(m.url, 'GET', '/api/settings/radarr')).body[0].apiKey).toBe('radarr-key-0123456789');
  });

  it('checks the URL scheme case-sensitively and a port by type (400, nothing saved)', async () => {
    const { m } = await stack();
    const refused = { code: 'custom', message: 'Must start with http:// or https://' };
    const radarr = await call(m.url, 'POST', '/api/settings/radarr', { serverName: 'Radarr', url: 'HTTP://radarr:7878', apiKey: 'k' });
    expect(radarr).toEqual({
      status: 400,
      body: { statusCode: 400, message: 'Validation failed', errors: [{ ...refused, path: ['url'] }] },
    });
    expect((await call(m.url, 'POST', '/api/settings/seerr', { url: 'Https://seerr:5055', api_key: 'k' })).body.errors).toEqual([
      { ...refused, path: ['url'] },
    ]);
    expect((await call(m.url, 'POST', '/api/settings/seerr', { url: 'http://', api_key: 'k' })).status).toBe(400);
    expect((await call(m.url, 'PATCH', '/api/settings', { seerr_url: 'HTTP://seerr:5055' })).body.errors).toEqual([
      { ...refused, path: ['seerr_url'] },
    ]);
    const port = await call(m.url, 'PATCH', '/api/settings', { plex_hostname: 'plex', plex_port: '32400' });
    expect(port.status).toBe(400);
    expect(port.body.errors).toEqual([
      { code: 'invalid_type', expected: 'number', path: ['plex_port'], message: 'Invalid input: expected number, received string' },
    ]);
    expect((await call(m.url, 'GET', '/api/settings/radarr')).body).toEqual([]);
    expect((await call(m.url, 'GET', '/api/settings')).body).toMatchObject({ plex_hostname: null, seerr_url: null });

    // PATCH lower-cases the Seerr URL it accepts (unlike POST /api/settings/seerr).
    expect((await call(m.url, 'PATCH', '/api/settings', { seerr_url: 'http://Seerr:5055/' })).body.code).toBe(1);
    expect((await call(m.url, 'GET', '/api/settings/seerr')).body.url).toBe('http://seerr:5055');
  });

  it('answers a switch away from Plex with both servers named and clears the Plex settings', async () => {
    const { m } = await stack();
    await call(m.url, 'POST', '/api/settings/media-server/switch', { targetServerType: 'plex' });
    await call(m.url, 'POST', '/api/settings/plex/token', { plex_auth_token: OWNER });
    const away = await call(m.url, 'POST', '/api/settings/media-server/switch', { targetServerType: 'jellyfin' });
    expect(away.body).toMatchObject({ status: 'OK', code: 1, message: 'Successfully switched from plex to jellyfin' });
    expect((await call(m.url, 'GET', '/api/settings')).body).toMatchObject({
      media_server_type: 'jellyfin',
      plex_auth_token: null,
      plex_port: null,
    });
  });
});
