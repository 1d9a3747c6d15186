import { CATALOG, enabledServices, hasWebPort, internalUrl, SERVICE_IDS } from '../../catalog/index.js';
import type { OtherHost, ProxyHostBody, ProxyHostFields } from '../../clients/npm.js';
import type { ServiceId } from '../../config/schema.js';
import { WorkError } from '../../errors.js';
import type { PlannedChange } from '../types.js';
import {
  differing,
  disabledReason,
  firstReason,
  label,
  pending,
  secret,
  unchanged,
  updateOrUnchanged,
  type Ctx,
  type StackHookup,
} from './shared.js';
import { plexarrCommand } from '../../ui/invocation.js';

/**
 * Nginx Proxy Manager: the first admin (only when NPM has none; it is created through the API, as
 * NPM writes a password given by INITIAL_ADMIN_PASSWORD into its log), then one proxy host per web
 * service, `<service>.<domain>` → `<container>:<port>` on the stack network. NPM answers reads
 * only with a login token, so these plans make one `POST /api/tokens` (a login, which changes
 * nothing). Certificates are left to the user: Let's Encrypt needs public DNS that plexarr cannot check.
 *
 * What plexarr owns on a proxy host it finds by domain: forward scheme, host and port, `enabled`,
 * `allow_websocket_upgrade` (the web UIs use websockets) and `block_exploits`; a hand change to any
 * of them is put back. Everything else — further domain names, certificate and TLS settings
 * (ssl_forced, http2_support, hsts_*), access list, caching, custom locations, advanced config —
 * is the user's: it is never compared, and an update sends only the owned fields, which NPM
 * leaves the rest alone for. A domain held by a redirection or 404 host is the user's too: NPM
 * refuses a proxy host for it, so the run fails naming that host rather than replacing it.
 */

/** Every service with a web UI gets a proxy host, except NPM itself. */
const PROXIED: readonly ServiceId[] = SERVICE_IDS.filter((id) => id !== 'npm' && hasWebPort(id));

function noDomain(ctx: { npm: { domain?: string } }): string | null {
  return ctx.npm.domain
    ? null
    : `Nginx Proxy Manager has no domain — run \`${plexarrCommand('init')}\` again and give one to get proxy hosts`;
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
        enabled: true,
        allow_websocket_upgrade: true,
        block_exploits: true,
      },
    };
  });
}

const login = (ctx: Ctx) => ctx.clients.npm.login(ctx.config.npm.email, secret(ctx.secrets, 'NPM_ADMIN_PASSWORD'));
const holds = (host: { domain_names: string[] }, domain: string) => host.domain_names.some((d) => d.toLowerCase() === domain.toLowerCase());

/** NPM refuses a proxy host whose domain another kind of host already uses. */
function conflictError(conflicts: { domain: string; kind: string; host: OtherHost }[]): WorkError {
  const named = conflicts.map((c) => `${c.domain} is already used by ${c.kind} #${c.host.id} (${c.host.domain_names.join(', ')})`);
  return new WorkError(
    `${named.join('; ')} — delete that host or change its domains in ${CATALOG.npm.label}, then run \`${plexarrCommand('coordinate --retry')}\``,
  );
}

export function npmProxyHosts(): StackHookup {
  return {
    id: 'npm.proxy-hosts',
    title: 'Nginx Proxy Manager: a proxy host per web service',
    services: ['npm'],
    dependsOn: ['npm.admin'],
    skipReason: (config) => firstReason(disabledReason(config, ['npm']), noDomain(config)),
    async plan(ctx) {
      const session = await login(ctx);
      const [proxies, redirections, dead] = await Promise.all([session.proxyHosts(), session.redirectionHosts(), session.deadHosts()]);
      const conflicts: { domain: string; kind: string; host: OtherHost }[] = [];
      const plan = desiredHosts(ctx).map(({ service, body }): PlannedChange => {
        const domain = body.domain_names[0] ?? '';
        const target = `proxy host ${domain} → ${label(service, ctx.config)}`;
        const found = proxies.find((h) => holds(h, domain));
        if (found) {
          const { domain_names: _names, ...owned } = body;
          const fields = differing(found, owned);
          return updateOrUnchanged(target, fields, { id: found.id, body } satisfies HostData);
        }
        const other = [
          ...redirections.map((host) => ({ kind: 'redirection host', host })),
          ...dead.map((host) => ({ kind: '404 host', host })),
        ].find((o) => holds(o.host, domain));
        if (other) conflicts.push({ domain, ...other });
        return { kind: 'create', target, data: { body } satisfies HostData };
      });
      if (conflicts.length > 0) throw conflictError(conflicts);
      return plan;
    },
    async apply(ctx, plan) {
      const changes = pending(plan);
      if (changes.length === 0) return;
      const session = await login(ctx);
      for (const change of changes) {
        const { id, body } = change.data as HostData;
        if (id === undefined) await session.createProxyHost(body);
        else await session.updateProxyHost(id, Object.fromEntries((change.fields ?? []).map((f) => [f, body[f as keyof ProxyHostFields]])));
      }
    },
  };
}
