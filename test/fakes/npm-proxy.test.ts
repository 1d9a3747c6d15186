import { describe, expect, test } from '@jest/globals';
import { startNpmProxy } from './npm-proxy.js';
import { trackAfterEach } from './cleanup.js';

const track = trackAfterEach();

interface Answer {
  error?: { code: number; message: string };
  [key: string]: unknown;
}

async function call(url: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: Answer }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Answer };
}

const ADMIN = { INITIAL_ADMIN_EMAIL: 'admin@example.com', INITIAL_ADMIN_PASSWORD: 'initial-secret-1' };
const host = (domain: string, port = 7878) => ({
  domain_names: [domain],
  forward_scheme: 'http',
  forward_host: 'radarr',
  forward_port: port,
});

async function loggedIn(env: Record<string, string> = ADMIN) {
  const fake = await track(startNpmProxy({ env }));
  const login = await call(fake.url, 'POST', '/api/tokens', { identity: 'admin@example.com', secret: 'initial-secret-1' });
  expect(login.status).toBe(200);
  return { fake, token: String(login.body.token) };
}

describe('Nginx Proxy Manager fake', () => {
  test('the env admin is created at start, and the password is logged in plain text', async () => {
    const fake = await track(startNpmProxy({ env: ADMIN }));
    expect((await call(fake.url, 'GET', '/api/')).body).toEqual({
      status: 'OK',
      setup: true,
      version: { major: 2, minor: 15, revision: 1 },
    });
    expect(fake.state.containerLog.join('\n')).toContain('Creating a new user: admin@example.com with password: initial-secret-1');
  });

  test('without the env, the first POST /api/users makes an admin (nothing secret logged); the next one needs a login', async () => {
    const fake = await track(startNpmProxy({ env: { INITIAL_ADMIN_EMAIL: 'admin@example.com' } }));
    expect((await call(fake.url, 'GET', '/api/')).body.setup).toBe(false);
    const first = await call(fake.url, 'POST', '/api/users', {
      name: 'A',
      nickname: 'A',
      email: 'admin@example.com',
      auth: { type: 'password', secret: 'api-secret-1' },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ email: 'admin@example.com', roles: ['admin'], is_disabled: false });
    expect(first.body).not.toHaveProperty('auth');
    expect(fake.state.containerLog.join('\n')).not.toContain('api-secret-1');
    const second = await call(fake.url, 'POST', '/api/users', { name: 'B', nickname: 'B', email: 'b@example.com' });
    expect(second).toEqual({ status: 404, body: { error: { code: 404, message: 'Not Found - /users' } } });
  });

  test('the e-mail is kept as given but lower-cased at login, so a capital never logs in', async () => {
    const fake = await track(startNpmProxy({ env: { ...ADMIN, INITIAL_ADMIN_EMAIL: 'Admin@Example.com' } }));
    for (const identity of ['Admin@Example.com', 'admin@example.com']) {
      const r = await call(fake.url, 'POST', '/api/tokens', { identity, secret: 'initial-secret-1' });
      expect(r).toEqual({ status: 400, body: { error: { code: 400, message: 'Invalid email or password' } } });
    }
  });

  test('login: wrong password 400, unknown field 400 from the validator, 2FA a challenge instead of a token', async () => {
    const fake = await track(startNpmProxy({ env: ADMIN }));
    expect((await call(fake.url, 'POST', '/api/tokens', { identity: 'admin@example.com', secret: 'nope' })).status).toBe(400);
    const extra = await call(fake.url, 'POST', '/api/tokens', {
      identity: 'admin@example.com',
      secret: 'initial-secret-1',
      remember: true,
    });
    expect(extra.body.error?.message).toBe('data must NOT have additional properties');
    fake.state.users[0].twoFactor = true;
    const challenge = await call(fake.url, 'POST', '/api/tokens', { identity: ' ADMIN@example.com', secret: 'initial-secret-1' });
    expect(challenge.status).toBe(200);
    expect(challenge.body).toEqual({ requires_2fa: true, challenge_token: expect.any(String) });
    expect((await call(fake.url, 'GET', '/api/nginx/proxy-hosts', undefined, String(challenge.body.challenge_token))).status).toBe(404);
  });

  test('a token it cannot verify is 500 "Internal Error"; no token or no permission is 404', async () => {
    const { fake, token } = await loggedIn();
    expect(await call(fake.url, 'GET', '/api/nginx/proxy-hosts', undefined, 'not-a-jwt')).toEqual({
      status: 500,
      body: { error: { code: 500, message: 'Internal Error' } },
    });
    expect(await call(fake.url, 'GET', '/api/nginx/proxy-hosts')).toEqual({
      status: 404,
      body: { error: { code: 404, message: 'Not Found - /nginx/proxy-hosts' } },
    });
    expect((await call(fake.url, 'GET', '/api/nginx/proxy-hosts', undefined, token)).status).toBe(200);
    Object.assign(fake.state.users[0], { roles: [] });
    fake.state.users[0].permissions.proxy_hosts = 'view';
    expect((await call(fake.url, 'GET', '/api/nginx/proxy-hosts', undefined, token)).status).toBe(200);
    expect((await call(fake.url, 'POST', '/api/nginx/proxy-hosts', host('a.example.com'), token)).status).toBe(404);
    fake.state.users[0].permissions.proxy_hosts = 'hidden';
    expect((await call(fake.url, 'GET', '/api/nginx/proxy-hosts', undefined, token)).status).toBe(404);
  });

  test('proxy hosts: validated, stored with the defaults, a domain held by any host kind is refused, PUT changes only what it sends', async () => {
    const { fake, token } = await loggedIn();
    const bad = await call(fake.url, 'POST', '/api/nginx/proxy-hosts', { ...host('a.example.com'), websockets: true }, token);
    expect(bad).toEqual({ status: 400, body: { error: { code: 400, message: 'data must NOT have additional properties' } } });
    expect(
      (await call(fake.url, 'POST', '/api/nginx/proxy-hosts', { ...host('a.example.com'), forward_port: 0 }, token)).body.error?.message,
    ).toBe('data/forward_port must be >= 1');
    const made = await call(fake.url, 'POST', '/api/nginx/proxy-hosts', { ...host('a.example.com'), forward_port: '7878' }, token);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      forward_port: 7878,
      enabled: true,
      block_exploits: false,
      allow_websocket_upgrade: false,
      ssl_forced: false,
      certificate_id: 0,
      owner: { email: 'admin@example.com' },
    });
    expect((await call(fake.url, 'POST', '/api/nginx/dead-hosts', { domain_names: ['b.example.com'] }, token)).status).toBe(201);
    const redirect = {
      domain_names: ['c.example.com'],
      forward_domain_name: 'example.org',
      forward_scheme: 'auto',
      forward_http_code: 301,
    };
    expect((await call(fake.url, 'POST', '/api/nginx/redirection-hosts', redirect, token)).status).toBe(201);
    for (const domain of ['A.example.com', 'b.example.com', 'c.example.com']) {
      expect(await call(fake.url, 'POST', '/api/nginx/proxy-hosts', host(domain), token)).toEqual({
        status: 400,
        body: { error: { code: 400, message: `${domain} is already in use` } },
      });
    }
    const id = Number(made.body.id);
    await call(fake.url, 'PUT', `/api/nginx/proxy-hosts/${id}`, { ssl_forced: true }, token);
    const put = await call(fake.url, 'PUT', `/api/nginx/proxy-hosts/${id}`, { forward_port: 9000 }, token);
    expect(put.body).toMatchObject({ forward_port: 9000, ssl_forced: true, domain_names: ['a.example.com'] });
    expect(
      (await call(fake.url, 'PUT', `/api/nginx/proxy-hosts/${id}`, { domain_names: ['b.example.com'] }, token)).body.error?.message,
    ).toBe('b.example.com is already in use');
  });
});
