import { describe, expect, test } from '@jest/globals';
import { AdvisedApiError } from '../../src/clients/errors.js';
import { createClients, type Clients } from '../../src/clients/index.js';
import { isTransient } from '../../src/coordinate/errors.js';
import { npmAdmin, npmProxyHosts } from '../../src/coordinate/hookups/npm.js';
import { adviceFor } from '../../src/coordinate/summary.js';
import type { HookupContext } from '../../src/coordinate/types.js';
import { trackAfterEach } from '../fakes/cleanup.js';
import { startNpmProxy } from '../fakes/npm-proxy.js';
import { baseConfig, converge, kinds, mutations, stackSecrets } from './hookups-stack.js';
import { memoryApplied } from './helpers.js';
import { plexarrCommand } from '../../src/ui/invocation.js';

/** The hookups against the Nginx Proxy Manager fake (test/fakes/npm-proxy.js). */
const track = trackAfterEach();
const PASSWORD = 'npm-admin-password-1';
const NODE = { kind: 'hookup' as const, services: ['npm' as const] };

function ctx(port: number): HookupContext<Clients> {
  const config = baseConfig(['npm', 'radarr', 'sonarr', 'requests']);
  config.services.npm.ports.web = port;
  config.npm.domain = 'media.example.com';
  const secrets = stackSecrets({ NPM_ADMIN_PASSWORD: PASSWORD });
  return {
    config,
    secrets,
    clients: createClients({ config, secrets }),
    applied: memoryApplied(),
    dryRun: false,
    signal: new AbortController().signal,
    log: () => undefined,
  };
}

interface StoredHost {
  domain_names: string[];
  [field: string]: unknown;
}

/** A fake with plexarr's admin already there, and the proxy hosts plexarr made. */
async function wired() {
  const fake = await track(startNpmProxy({ env: { INITIAL_ADMIN_EMAIL: 'admin@example.com', INITIAL_ADMIN_PASSWORD: PASSWORD } }));
  const c = ctx(fake.port);
  await converge(npmProxyHosts(), c);
  return { fake, c, hosts: fake.state.proxyHosts as StoredHost[] };
}

async function planError(c: HookupContext<Clients>): Promise<AdvisedApiError> {
  const err = await npmProxyHosts()
    .plan(c)
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AdvisedApiError);
  expect(isTransient(err)).toBe(false);
  return err as AdvisedApiError;
}

describe('Nginx Proxy Manager hookups', () => {
  test('npm.admin creates the first user through the API (so no password reaches the log), then is unchanged', async () => {
    const fake = await track(startNpmProxy({ env: {} }));
    const { first, second } = await converge(npmAdmin(), ctx(fake.port));
    expect(kinds(first)).toEqual(['create']);
    expect(kinds(second)).toEqual(['unchanged']);
    expect(fake.state.users).toMatchObject([{ email: 'admin@example.com', roles: ['admin'], secret: PASSWORD }]);
    expect(fake.state.containerLog.join('\n')).not.toContain(PASSWORD);
  });

  test('npm.proxy-hosts: one host per enabled web service; a second run sends only the login', async () => {
    const { fake, c, hosts } = await wired();
    expect(
      hosts.map((h) => [h.domain_names[0], h.forward_host, h.forward_port, h.enabled, h.allow_websocket_upgrade, h.block_exploits]),
    ).toEqual([
      ['radarr.media.example.com', 'radarr', 7878, true, true, true],
      ['sonarr.media.example.com', 'sonarr', 8989, true, true, true],
      ['requests.media.example.com', 'seerr', 5055, true, true, true],
    ]);
    fake.log.splice(0);
    const { first } = await converge(npmProxyHosts(), c);
    expect(kinds(first)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(mutations(fake)).toEqual(['POST /api/tokens', 'POST /api/tokens']);
  });

  test('hand edits to what plexarr owns are put back; what it does not own is left alone', async () => {
    const { c, hosts } = await wired();
    Object.assign(hosts[0]!, {
      forward_port: 1234,
      enabled: false,
      ssl_forced: true,
      certificate_id: 7,
      domain_names: ['movies.example.net', 'radarr.media.example.com'],
    });
    Object.assign(hosts[1]!, {
      allow_websocket_upgrade: false,
      block_exploits: false,
      forward_scheme: 'https',
      advanced_config: 'client_max_body_size 0;',
    });
    const { first, second } = await converge(npmProxyHosts(), c);
    expect(first.map((p) => [p.kind, p.fields])).toEqual([
      ['update', ['forward_port', 'enabled']],
      ['update', ['forward_scheme', 'allow_websocket_upgrade', 'block_exploits']],
      ['unchanged', undefined],
    ]);
    expect(kinds(second)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(hosts[0]).toMatchObject({
      forward_port: 7878,
      enabled: true,
      ssl_forced: true,
      certificate_id: 7,
      domain_names: ['movies.example.net', 'radarr.media.example.com'],
    });
    expect(hosts[1]).toMatchObject({
      forward_scheme: 'http',
      allow_websocket_upgrade: true,
      block_exploits: true,
      advanced_config: 'client_max_body_size 0;',
    });
    expect(hosts).toHaveLength(3);
  });

  test('a domain held by a redirection or 404 host fails the plan, naming that host, before anything is created', async () => {
    const fake = await track(startNpmProxy({ env: { INITIAL_ADMIN_EMAIL: 'admin@example.com', INITIAL_ADMIN_PASSWORD: PASSWORD } }));
    fake.state.deadHosts.push({ id: 4, domain_names: ['Sonarr.media.example.com'] });
    fake.state.redirectionHosts.push({ id: 9, domain_names: ['requests.media.example.com', 'r.example.com'] });
    const err = await npmProxyHosts()
      .plan(ctx(fake.port))
      .catch((e: unknown) => e);
    expect(String((err as Error).message)).toBe(
      'sonarr.media.example.com is already used by 404 host #4 (Sonarr.media.example.com); requests.media.example.com is already used by redirection host #9 (requests.media.example.com, r.example.com) — delete that host or change its domains in Nginx Proxy Manager, then run `' +
        plexarrCommand('coordinate --retry') +
        '`',
    );
    expect(fake.state.proxyHosts).toEqual([]);
  });

  test('a refused login (400) gets the credentials advice and is not retried', async () => {
    const fake = await track(
      startNpmProxy({ env: { INITIAL_ADMIN_EMAIL: 'admin@example.com', INITIAL_ADMIN_PASSWORD: 'changed-by-hand-1' } }),
    );
    const err = await planError(ctx(fake.port));
    expect(err.message).toBe(
      'Nginx Proxy Manager answered HTTP 400 on POST /api/tokens: Invalid email or password (the login for admin@example.com)',
    );
    expect(adviceFor(err, NODE, false)).toContain(`compare the Nginx Proxy Manager login with \`${plexarrCommand('credentials')}\``);
    expect(err.message).not.toContain(PASSWORD);
  });

  test('two-factor login on for the user: a sentence saying plexarr cannot log in', async () => {
    const fake = await track(startNpmProxy({ env: { INITIAL_ADMIN_EMAIL: 'admin@example.com', INITIAL_ADMIN_PASSWORD: PASSWORD } }));
    fake.state.users[0].twoFactor = true;
    const err = await planError(ctx(fake.port));
    expect(err.message).toContain('plexarr cannot log in as admin@example.com while two-factor authentication is on for that user');
    expect(adviceFor(err, NODE, false)).toMatch(/^turn two-factor authentication off for admin@example\.com/);
  });

  test('a token NPM cannot verify (500) is one clear error, asked once', async () => {
    const fake = await track(startNpmProxy({ env: { INITIAL_ADMIN_EMAIL: 'admin@example.com', INITIAL_ADMIN_PASSWORD: PASSWORD } }));
    const session = await ctx(fake.port).clients.npm.login('admin@example.com', PASSWORD);
    // As after a restart with new signing keys: the token it issued no longer verifies.
    for (const token of Object.keys(fake.state.tokens)) delete fake.state.tokens[token];
    const err = await session.proxyHosts().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdvisedApiError);
    expect(isTransient(err)).toBe(false);
    expect((err as Error).message).toContain(
      'HTTP 500 on GET /api/nginx/proxy-hosts: Internal Error — Nginx Proxy Manager answers so when it cannot verify the login token it issued',
    );
    expect(fake.log.filter((e) => e.path === '/api/nginx/proxy-hosts')).toHaveLength(1);
  });

  test('a failed permission check (404) names the permission to give', async () => {
    const fake = await track(startNpmProxy({ env: { INITIAL_ADMIN_EMAIL: 'admin@example.com', INITIAL_ADMIN_PASSWORD: PASSWORD } }));
    Object.assign(fake.state.users[0], { roles: [], permissions: { ...fake.state.users[0].permissions, proxy_hosts: 'hidden' } });
    const err = await planError(ctx(fake.port));
    expect(err.message).toContain(
      'HTTP 404 on GET /api/nginx/proxy-hosts: Not Found - /nginx/proxy-hosts — Nginx Proxy Manager answers so when admin@example.com lacks the permission',
    );
    expect(adviceFor(err, NODE, false)).toMatch(/^give admin@example\.com the admin role/);
  });
});
