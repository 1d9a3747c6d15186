#!/usr/bin/node
// Stand-in for Recyclarr inside the e2e images (FROM scratch), installed as /usr/bin/recyclarr.
// `recyclarr sync` (what plexarr runs through `docker compose exec`) appends one line to
// /config/e2e-syncs.log, the container's config folder, so the test can count the syncs; with
// no arguments (the container's command) it idles until stopped, as the real image's scheduler
// does. Runs as CommonJS (no package.json above /usr/bin), hence getBuiltinModule.
const fs = process.getBuiltinModule('node:fs');

const [command, ...rest] = process.argv.slice(2);
if (command === 'sync') {
  const config = fs.readFileSync('/config/recyclarr.yml', 'utf8');
  fs.appendFileSync(
    '/config/e2e-syncs.log',
    `${JSON.stringify({ at: new Date().toISOString(), args: rest, configBytes: config.length })}\n`,
  );
  console.log('[e2e recyclarr] sync recorded');
} else if (command === undefined) {
  const stop = () => process.exit(0);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  setInterval(() => {}, 1 << 30);
} else {
  console.error(`[e2e recyclarr] unknown command: ${command}`);
  process.exit(1);
}
