import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClients } from '../../src/clients/index.js';
import { npmAdmin, npmProxyHosts } from '../../src/coordinate/hookups/npm.js';
import type { HookupContext } from '../../src/coordinate/types.js';
import type { Clients } from '../../src/clients/index.js';
import { baseConfig, converge, kinds, stackSecrets } from './hookups-stack.js';
import { memoryApplied } from './helpers.js';

/**
 * Nginx Proxy Manager is not among the fakes, so this stand-in serves the few endpoints of
 * API-NOTES §7 the hookups use: `GET /api/` (setup), the first user while not set up, the token
 * login, and proxy hosts behind the bearer token.
 */
interface ProxyHost {
  id: number;
  domain_names: string[];
  forward_scheme: string;
  forward_host: string;
  forward_port: number;
}
const npm = { users: [] as { email: string; secret: string }[], hosts: [] as ProxyHost[], token: 'tok-npm-session', log: [] as string[] };
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += String(c)));
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : undefined;
      const send = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      const path = (req.url ?? '').split('?')[0];
      npm.log.push(`${req.method} ${path}`);
      if (req.method === 'GET' && path === '/api/') return send(200, { status: 'OK', setup: npm.users.length > 0, version: { major: 2, minor: 15, revision: 1 } });
      if (req.method === 'POST' && path === '/api/users' && npm.users.length === 0) {
        npm.users.push({ email: body.email, secret: body.auth.secret });
        return send(201, { id: 1, email: body.email });
      }
      if (req.method === 'POST' && path === '/api/tokens') {
        const ok = npm.users.some((u) => u.email === body.identity && u.secret === body.secret);
        return ok ? send(200, { token: npm.token, expires: '2099-01-01' }) : send(401, { error: { code: 401, message: 'Invalid email or password' } });
      }
      if (req.headers.authorization !== `Bearer ${npm.token}`) return send(401, { error: { code: 401, message: 'Permission Denied' } });
      if (req.method === 'GET' && path === '/api/nginx/proxy-hosts') return send(200, npm.hosts);
      if (req.method === 'POST' && path === '/api/nginx/proxy-hosts') {
        const host = { ...body, id: npm.hosts.length + 1 };
        npm.hosts.push(host);
        return send(201, host);
      }
      const id = Number(/^\/api\/nginx\/proxy-hosts\/(\d+)$/.exec(path ?? '')?.[1]);
      const index = npm.hosts.findIndex((h) => h.id === id);
      if (req.method === 'PUT' && index >= 0) {
        npm.hosts[index] = { ...npm.hosts[index], ...body, id };
        return send(200, npm.hosts[index]);
      }
      return send(404, { error: { code: 404, message: 'Not Found' } });
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
});

function ctx(): HookupContext<Clients> {
  const config = baseConfig(['npm', 'radarr', 'sonarr', 'requests']);
  config.services.npm.ports.web = port;
  config.npm.domain = 'media.example.com';
  const secrets = stackSecrets({ NPM_ADMIN_PASSWORD: 'npm-admin-password-1' });
  return { config, secrets, clients: createClients({ config, secrets }), applied: memoryApplied(), dryRun: false, signal: new AbortController().signal, log: () => undefined };
}

describe('Nginx Proxy Manager hookups (against a loopback stand-in)', () => {
  test('npm.admin creates the first user only while NPM is not set up', async () => {
    const { first, second } = await converge(npmAdmin(), ctx());
    expect(kinds(first)).toEqual(['create']);
    expect(kinds(second)).toEqual(['unchanged']);
    expect(npm.users).toEqual([{ email: 'admin@example.com', secret: 'npm-admin-password-1' }]);
  });

  test('npm.proxy-hosts: one host per enabled web service, then unchanged', async () => {
    const { first, second } = await converge(npmProxyHosts(), ctx());
    expect(kinds(first)).toEqual(['create', 'create', 'create']);
    expect(second.every((c) => c.kind === 'unchanged')).toBe(true);
    expect(npm.hosts.map((h) => [h.domain_names[0], h.forward_host, h.forward_port])).toEqual([
      ['radarr.media.example.com', 'radarr', 7878],
      ['sonarr.media.example.com', 'sonarr', 8989],
      ['requests.media.example.com', 'seerr', 5055],
    ]);
  });

  test('a proxy host pointed elsewhere is put back, not duplicated', async () => {
    npm.hosts[0]!.forward_port = 1234;
    const { first, second } = await converge(npmProxyHosts(), ctx());
    expect(first[0]).toMatchObject({ kind: 'update', fields: ['forward_port'] });
    expect(second.every((c) => c.kind === 'unchanged')).toBe(true);
    expect(npm.hosts).toHaveLength(3);
  });
});
