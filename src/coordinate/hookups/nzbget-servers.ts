import { CATALOG, usenetPasswordSecret } from '../../catalog/index.js';
import type { NzbgetOption } from '../../clients/nzbget.js';
import type { Secrets, StackConfig, UsenetServer } from '../../config/schema.js';
import type { NzbgetInstance } from './apps.js';
import { plexarrCommand } from '../../ui/invocation.js';
import { disabledReason, firstReason, label, pending, updateOrUnchanged, type StackHookup } from './shared.js';

/**
 * The news servers of the answers in NZBGet, as `ServerN.*` options written like the categories:
 * the whole option list goes back through `saveconfig` (options left out are deleted). NZBGet reads
 * servers from 1 upwards and stops at the first missing number, so the servers are renumbered
 * without gaps. A server plexarr wrote is named `<host> (plexarr)`; one with the same host is taken
 * over, the stock placeholder (`my.newsserver.com`) is removed, and every other server is kept as
 * it is, before plexarr's.
 */

export const NO_USENET_SERVER = `no Usenet server in the answers — add one: \`${plexarrCommand('init --usenet-server news.example.com:563 --usenet-user <user> --usenet-password <password>')}\`, then \`${plexarrCommand('coordinate')}\``;
const PLACEHOLDER_HOST = 'my.newsserver.com';
const OURS = / \(plexarr\)$/;
const SERVER_OPTION = /^Server(\d+)\.(.+)$/i;
const READY_TIMEOUT_MS = 60_000;

interface Server {
  props: NzbgetOption[];
}

const prop = (s: Server, name: string) => s.props.find((p) => p.Name.toLowerCase() === name.toLowerCase())?.Value;

/** The options one answered server sets (the rest of a taken-over server's options are kept). */
export function serverProps(server: UsenetServer, password: string): NzbgetOption[] {
  const yesNo = (v: boolean) => (v ? 'yes' : 'no');
  return Object.entries({
    Active: 'yes',
    Name: `${server.host} (plexarr)`,
    Level: String(server.level),
    Host: server.host,
    Port: String(server.port),
    Username: server.user ?? '',
    Password: password,
    Encryption: yesNo(server.tls),
    Connections: String(server.connections),
    Retention: String(server.retention),
  }).map(([Name, Value]) => ({ Name, Value }));
}

/** The option list with the answered servers in it, and the names of what changed. */
export function desiredServerOptions(
  options: readonly NzbgetOption[],
  config: Pick<StackConfig, 'usenetServers'>,
  secrets: Secrets,
): { options: NzbgetOption[]; fields: string[] } {
  const byIndex = new Map<number, Server>();
  const rest: NzbgetOption[] = [];
  let serversAt = -1;
  for (const option of options) {
    const m = SERVER_OPTION.exec(option.Name);
    if (!m) {
      rest.push({ ...option });
      continue;
    }
    if (serversAt < 0) serversAt = rest.length;
    const index = Number(m[1]);
    const server = byIndex.get(index) ?? { props: [] };
    server.props.push({ Name: m[2] ?? '', Value: option.Value });
    byIndex.set(index, server);
  }
  const existing = [...byIndex.entries()].sort(([a], [b]) => a - b);
  const fields: string[] = [];
  if (existing.some(([index], i) => index !== i + 1)) fields.push('server numbering');

  const wanted = config.usenetServers.map((server, i) => ({ server, props: serverProps(server, secrets[usenetPasswordSecret(i)] ?? '') }));
  const isWanted = (s: Server) => wanted.some((w) => w.server.host.toLowerCase() === (prop(s, 'Host') ?? '').toLowerCase());
  const kept: Server[] = [];
  for (const [, server] of existing) {
    if (isWanted(server)) continue;
    if ((prop(server, 'Host') ?? '').toLowerCase() === PLACEHOLDER_HOST) fields.push('placeholder server removed');
    else if (OURS.test(prop(server, 'Name') ?? '')) fields.push(`server ${prop(server, 'Host') ?? '?'} removed`);
    else kept.push(server);
  }
  const ours = wanted.map(({ server, props }) => {
    const found = existing.find(([, s]) => (prop(s, 'Host') ?? '').toLowerCase() === server.host.toLowerCase())?.[1];
    if (!found) {
      fields.push(`server ${server.host}`);
      return { props };
    }
    const merged = found.props.map((p) => ({ ...p }));
    for (const want of props) {
      const have = merged.find((p) => p.Name.toLowerCase() === want.Name.toLowerCase());
      if (have?.Value === want.Value) continue;
      // Names only: the password's value is never part of a plan.
      fields.push(`${server.host}.${want.Name}`);
      if (have) have.Value = want.Value;
      else merged.push({ ...want });
    }
    return { props: merged };
  });
  // Plexarr's servers keep their place after the user's own, so a re-run does not reorder them.
  const order = [...kept, ...ours];
  const before = existing.map(([, s]) => prop(s, 'Host')).filter((h) => (h ?? '').toLowerCase() !== PLACEHOLDER_HOST);
  if (fields.length === 0 && order.some((s, i) => prop(s, 'Host') !== before[i])) fields.push('server order');
  const serverOptions = order.flatMap((s, i) => s.props.map((p) => ({ Name: `Server${i + 1}.${p.Name}`, Value: p.Value })));
  const at = serversAt < 0 ? rest.length : serversAt;
  return { options: [...rest.slice(0, at), ...serverOptions, ...rest.slice(at)], fields };
}

export function nzbgetServers(instance: NzbgetInstance): StackHookup {
  return {
    id: `${instance}.servers`,
    title: `${CATALOG[instance].label}: Usenet news servers`,
    services: [instance],
    // After the categories: both rewrite the whole option list, so they must not overlap.
    dependsOn: [`wait.${instance}`, `${instance}.categories`],
    skipReason: (config) => firstReason(disabledReason(config, [instance]), config.usenetServers.length === 0 ? NO_USENET_SERVER : null),
    async plan(ctx) {
      const current = await ctx.clients[instance].loadConfig();
      const { options, fields } = desiredServerOptions(current, ctx.config, ctx.secrets);
      const hosts = ctx.config.usenetServers.map((s) => s.host).join(', ');
      return [updateOrUnchanged(`${label(instance, ctx.config)} news servers ${hosts}`, fields, options)];
    },
    async apply(ctx, plan) {
      const client = ctx.clients[instance];
      for (const change of pending(plan)) {
        await client.saveConfig(change.data as NzbgetOption[]);
        await client.reload(READY_TIMEOUT_MS, ctx.signal);
      }
    },
  };
}
