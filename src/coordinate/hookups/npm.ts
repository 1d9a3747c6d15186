import { enabledServices, hasWebPort, internalUrl, SERVICE_IDS } from '../../catalog/index.js';
import type { ProxyHostBody } from '../../clients/npm.js';
import type { ServiceId } from '../../config/schema.js';
import type { PlannedChange } from '../types.js';
import { disabledReason, firstReason, label, pending, secret, unchanged, type Ctx, type StackHookup } from './shared.js';
import { plexarrCommand } from '../../ui/invocation.js';

/**
 * Nginx Proxy Manager: the first admin (only when NPM has none: ≥ 2.13 creates it
 * from INITIAL_ADMIN_* at start), then one proxy host per web service, `<service>.<domain>` →
 * `<container>:<port>` on the stack network. NPM answers reads only with a login token, so these
 * plans make one `POST /api/tokens` (a login, which changes nothing). Certificates are left to the
 * user: Let's Encrypt needs public DNS that plexarr cannot check.
 */

/** Every service with a web UI gets a proxy host, except NPM itself. */
const PROXIED: readonly ServiceId[] = SERVICE_IDS.filter((id) => id !== 'npm' && hasWebPort(id));

function noDomain(ctx: { npm: { domain?: string } }): string | null {
  return ctx.npm.domain ? null : `Nginx Proxy Manager has no domain — run \`${plexarrCommand('init')}\` again and give one to get proxy hosts`;
}

export function npmAdmin(): StackHookup {
  return {
    id: 'npm.admin',
    title: 'Nginx Proxy Manager: admin user',
    services: ['npm'],
    dependsOn: ['wait.npm'],
    skipReason: (config) => disabledReason(config, ['npm']),
    async plan(ctx) {
      const target = `Nginx Proxy Manager admin ${ctx.config.npm.email}`;
      const { setup } = await ctx.clients.npm.status();
      return [setup === false ? { kind: 'create', target } : unchanged(target)];
    },
    async apply(ctx, plan) {
      if (pending(plan).length === 0) return;
      const password = secret(ctx.secrets, 'NPM_ADMIN_PASSWORD');
      await ctx.clients.npm.createFirstUser({ name: 'Administrator', nickname: 'Admin', email: ctx.config.npm.email, password });
    },
  };
}

interface HostData {
  id?: number;
  body: ProxyHostBody;
}

function desiredHosts(ctx: Pick<Ctx, 'config'>): { service: ServiceId; body: ProxyHostBody }[] {
  const on = new Set(enabledServices(ctx.config));
  return PROXIED.filter((s) => on.has(s)).map((service) => {
    const url = new URL(internalUrl(service, ctx.config));
    return {
      service,
      body: {
        domain_names: [`${service}.${ctx.config.npm.domain ?? ''}`],
        forward_scheme: 'http',
        forward_host: url.hostname,
        forward_port: Number(url.port),
        block_exploits: true,
        allow_websocket_upgrade: true,
      },
    };
  });
}

const login = (ctx: Ctx) => ctx.clients.npm.login(ctx.config.npm.email, secret(ctx.secrets, 'NPM_ADMIN_PASSWORD'));

export function npmProxyHosts(): StackHookup {
  return {
    id: 'npm.proxy-hosts',
    title: 'Nginx Proxy Manager: a proxy host per web service',
    services: ['npm'],
    dependsOn: ['npm.admin'],
    skipReason: (config) => firstReason(disabledReason(config, ['npm']), noDomain(config)),
    async plan(ctx) {
      const existing = await (await login(ctx)).proxyHosts();
      return desiredHosts(ctx).map(({ service, body }): PlannedChange => {
        const domain = body.domain_names[0] ?? '';
        const target = `proxy host ${domain} → ${label(service, ctx.config)}`;
        const found = existing.find((h) => h.domain_names.some((d) => d.toLowerCase() === domain.toLowerCase()));
        if (!found) return { kind: 'create', target, data: { body } satisfies HostData };
        const fields = (['forward_scheme', 'forward_host', 'forward_port'] as const).filter((k) => String(found[k]) !== String(body[k]));
        if (fields.length === 0) return unchanged(target);
        return { kind: 'update', target, fields, data: { id: found.id, body: { ...body, domain_names: found.domain_names } } satisfies HostData };
      });
    },
    async apply(ctx, plan) {
      const changes = pending(plan);
      if (changes.length === 0) return;
      const session = await login(ctx);
      for (const change of changes) {
        const { id, body } = change.data as HostData;
        if (id === undefined) await session.createProxyHost(body);
        else await session.updateProxyHost(id, body);
      }
    },
  };
}
