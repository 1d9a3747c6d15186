#!/usr/bin/env node
// One fake as one process, the way a container runs its app (used inside the deploy tests'
// Docker images): `node test/fakes/serve.js <app> [--port N] [--host H] [--config-dir D]`.
// Defaults: 0.0.0.0, $PORT or the real container's port, its config mount (/config, /app/config,
// /opt/data), the process environment, container paths as they are, peers by container name,
// plex.tv at $PLEXARR_PLEX_TV_URL. Prints one JSON line {service, url} once listening.
import { parseArgs } from 'node:util';
import { ALL_APPS } from './registry.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { port: { type: 'string' }, host: { type: 'string' }, 'config-dir': { type: 'string' } },
});
const entry = ALL_APPS.find((a) => a.app === positionals[0]);
if (!entry) {
  process.stderr.write(
    `usage: node test/fakes/serve.js <app> [--port N] [--host H] [--config-dir D]\napps: ${ALL_APPS.map((a) => a.app).join(', ')}\n`,
  );
  process.exit(2);
}
/** @type {Record<string, string>} */
const env = Object.fromEntries(
  Object.entries(process.env)
    .filter((kv) => kv[1] !== undefined)
    .map(([k, v]) => [k, String(v)]),
);
const handle = await entry.start({
  host: values.host ?? '0.0.0.0',
  // PORT is Seerr's own variable; the e2e images also use it to move plex.tv to its port.
  port: Number(values.port ?? env.PORT ?? entry.internalPort),
  env,
  configDir: values['config-dir'] ?? entry.configMounts[0],
  pathMap: (p) => p,
  resolve: (u) => u,
  plexTvUrl: env.PLEXARR_PLEX_TV_URL,
});
process.stdout.write(`${JSON.stringify({ service: entry.app, url: handle.url })}\n`);
const stop = () => {
  handle.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
