#!/usr/bin/env node
// Brings a generated compose stack up on loopback with fakes in place of the containers:
//   node test/fakes/run.js --compose generated-config/docker-compose.yml [--env-file <.env>] [--plex-tv-port N] [--json]
// Each service's fake gets the service's environment (after .env interpolation), its config
// bind mount as configDir, its volumes as pathMap, and listens on 127.0.0.1:<published port>.
// `http://<container>:<internal port>` resolves to that loopback port. A plex.tv fake runs too.
// Prints one JSON line per service ({service, url} or {service, skipped}) and {"ready":true},
// then runs until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { pathMapFor, readCompose } from './compose-read.js';
import { ALL_APPS, NOT_FAKED, appForImage } from './registry.js';
import { startPlexTv } from './plextv.js';

/** Nothing listens on the discard port: a call there fails like one to a missing container. */
const REFUSED = 'http://127.0.0.1:9';

/**
 * @typedef {import('./core/server.js').FakeHandle} FakeHandle
 * @typedef {object} Stack
 * @property {Map<string, FakeHandle>} services by compose service name
 * @property {Awaited<ReturnType<typeof startPlexTv>>} plexTv
 * @property {{ service: string, reason: string }[]} skipped
 * @property {(url: string) => string} resolve container-name URL → loopback URL (unknown names → a refused port)
 * @property {() => Promise<void>} close
 */

/**
 * @param {{
 *   composeFile: string, envFile?: string, env?: Record<string, string | undefined>,
 *   host?: string, plexTvPort?: number, plexTv?: Awaited<ReturnType<typeof startPlexTv>>,
 *   accounts?: { username?: string, email?: string, token?: string }[],
 *   faults?: Record<string, import('./core/faults.js').Faults>,
 *   hosts?: Record<string, string>,
 * }} options `env` stands for the shell environment (default process.env); `faults` by service name;
 *   `hosts`: more names on the compose network ("name:port" → loopback base URL), such as an indexer
 *   the apps reach by a host name;
 *   `plexTv` reuses a running plex.tv fake (e.g. one that already issued the .env's PLEX_CLAIM; not closed by close())
 * @returns {Promise<Stack>}
 */
export async function startStack(options) {
  const host = options.host ?? '127.0.0.1';
  const { services, vars } = readCompose(options);

  // Known before anything starts, so a fake can resolve a peer that is still starting.
  /** @type {Map<string, string>} "name:internalPort" → loopback base URL */
  const routes = new Map(Object.entries(options.hosts ?? {}));
  /**
   * How a URL looks from inside one container: another service by name, or the container itself
   * as localhost. Anything else (an unknown name, the host's loopback ports) does not exist on
   * the compose network, so it goes to a port where nothing listens — and no DNS lookup leaves
   * the machine.
   * @param {string | undefined} self the service the caller runs as (undefined: the host)
   */
  const resolverFor = (self) => (/** @type {string} */ url) => {
    const m = /^(https?):\/\/(\[[^\]]*\]|[^/:?#]+)(?::(\d+))?(.*)$/.exec(url);
    if (!m) return url;
    const name = /** @type {string} */ (m[2]).toLowerCase();
    const port = m[3] ?? (m[1] === 'https' ? '443' : '80');
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(name);
    const target = routes.get(`${local && self ? self : name}:${port}`);
    return `${target ?? REFUSED}${m[4]}`;
  };
  const resolve = resolverFor(undefined);
  /** @param {{ service: string, container: string }} s @param {number} internal @param {number} port */
  const route = (s, internal, port) => {
    for (const name of new Set([s.container, s.service])) routes.set(`${name.toLowerCase()}:${internal}`, `http://${host}:${port}`);
  };

  const ownPlexTv = !options.plexTv;
  const plexTv = options.plexTv ?? (await startPlexTv({ host, port: options.plexTvPort ?? 0 }));
  for (const a of options.accounts ?? []) plexTv.addAccount(a);
  // The .env's PLEX_TOKEN is the plex.tv account token plexarr uses: the fake must know it.
  if (vars.PLEX_TOKEN && !plexTv.accountFor(vars.PLEX_TOKEN)) plexTv.addAccount({ username: 'plexarr-owner', token: vars.PLEX_TOKEN });

  /** @type {{ service: string, reason: string }[]} */
  const skipped = [];
  const plan = [];
  for (const s of services) {
    const entry = appForImage(ALL_APPS, s.image);
    if (!entry) {
      skipped.push({ service: s.service, reason: NOT_FAKED.find((n) => n.image.test(s.image))?.reason ?? `no fake for image ${s.image}` });
      continue;
    }
    const published = s.ports.find((p) => p.protocol === 'tcp' && p.target === entry.internalPort)?.published;
    for (const p of s.ports) if (p.protocol === 'tcp' && p.published) route(s, p.target, p.published);
    const configVolume = entry.configMounts.map((m) => s.volumes.find((v) => v.target === m)).find(Boolean);
    plan.push({ s, entry, published, configDir: configVolume?.source });
  }

  /** @type {Map<string, FakeHandle>} */
  const started = new Map();
  const closeAll = async () => {
    await Promise.all([...started.values(), ...(ownPlexTv ? [plexTv] : [])].map((h) => h.close()));
  };
  // allSettled, not all: when one fake fails to start, the others still starting must be
  // waited for, or they would be left listening after closeAll.
  const results = await Promise.allSettled(
    plan.map(async ({ s, entry, published, configDir }) => {
      const handle = await entry.start({
        host,
        port: published ?? 0,
        env: s.environment,
        configDir,
        pathMap: pathMapFor(s.volumes),
        resolve: resolverFor(s.service.toLowerCase()),
        plexTvUrl: plexTv.url,
        faults: options.faults?.[s.service],
      });
      if (!published) route(s, entry.internalPort, handle.port);
      started.set(s.service, handle);
    }),
  );
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    await closeAll();
    throw failed.reason;
  }
  const ordered = new Map(
    services.filter((s) => started.has(s.service)).map((s) => [s.service, /** @type {FakeHandle} */ (started.get(s.service))]),
  );
  return { services: ordered, plexTv, skipped, resolve, close: closeAll };
}

async function main() {
  const { values } = parseArgs({
    options: {
      compose: { type: 'string' },
      'env-file': { type: 'string' },
      'plex-tv-port': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.compose) {
    process.stderr.write('usage: node test/fakes/run.js --compose <docker-compose.yml> [--env-file <.env>] [--plex-tv-port N] [--json]\n');
    process.exit(2);
  }
  const stack = await startStack({
    composeFile: values.compose,
    envFile: values['env-file'],
    plexTvPort: values['plex-tv-port'] ? Number(values['plex-tv-port']) : undefined,
  });
  const line = (/** @type {unknown} */ o) => process.stdout.write(`${JSON.stringify(o)}\n`);
  line({ service: 'plex.tv', url: stack.plexTv.url });
  for (const [service, h] of stack.services) line({ service, url: h.url });
  for (const s of stack.skipped) line({ service: s.service, skipped: s.reason });
  line({ ready: true });
  if (!values.json) process.stderr.write(`fakes up; export PLEXARR_PLEX_TV_URL=${stack.plexTv.url}; Ctrl-C stops them\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    stack.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    process.stderr.write(`run.js: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
