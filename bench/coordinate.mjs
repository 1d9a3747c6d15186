#!/usr/bin/env node
// How close a full `plexarr coordinate` comes to its critical path, with 100 ms added to every
// request (issue 4). Goal: wall time / critical path <= 1.3, and 0 non-GET requests on a second run.
// Usage: node bench/coordinate.mjs [latencyMs] [concurrency]   (needs a build: npm run build; real nzbget installed)
//
// Method (the request logs carry arrival times, not dependencies, so the chain is rebuilt):
// 1. Calibration: a fresh stack, `coordinate --concurrency 1`. Hookups then never overlap, so every
//    request a fake logs inside a hookup's [started, finished] window (task_runs) belongs to it —
//    including requests one fake makes to another while answering (Prowlarr testing Radarr), which
//    are part of the chain. Probe requests inside a `wait.<service>` window belong to that wait.
// 2. A task's chain length is its number of *sequential* request levels: requests sorted by arrival,
//    a new level when one arrives at least latency/2 after the current level began (requests sent
//    together with Promise.all are one level).
// 3. Critical path = the longest path through the task graph (allHookups + waits, as the runner
//    builds it) of summed levels, × latency; or, when longer, the chain of Seerr's writes, which
//    plexarr sends one at a time across hookups.
// 4. Measured: another fresh stack, `coordinate` with the default concurrency; wall time of the CLI
//    process, and of the run itself from its coordinate_runs row (without Node start-up).
// 5. Second run on the wired stack: every non-GET request (`/test` endpoints included; NZBGet's
//    reads are GETs too), goal 0.
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startSim, taskRows } from '../test/sim/harness.js';

/**
 * The modules this bench reads plexarr's own defaults and task graph from. dist/ holds only the
 * CLI's bundles, so they are bundled here from src/ (under node_modules/.cache, where the bundle
 * still finds better-sqlite3).
 */
async function internals() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const outfile = join(root, 'node_modules', '.cache', 'plexarr-bench', 'internals.mjs');
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    stdin: {
      contents: [
        "export { coordinateOptionsSchema } from './src/commands/coordinate.ts';",
        "export { openState } from './src/state/db.ts';",
        "export { latestConfig } from './src/state/configs.ts';",
        "export { getSecrets } from './src/state/secrets.ts';",
        "export { allHookups } from './src/coordinate/hookups/index.ts';",
        "export { buildGraph } from './src/coordinate/graph.ts';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    external: ['better-sqlite3', 'ajv', 'ajv/*', 'ajv-formats'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'error',
  });
  return import(pathToFileURL(outfile).href);
}
const plexarr = await internals();

const latencyMs = Number(process.argv[2] ?? 100);
/** What a full coordinate runs with: the CLI's default `--concurrency` unless one is given. */
const concurrency = Number(process.argv[3] ?? plexarr.coordinateOptionsSchema.parse({ home: '.' }).concurrency);
const FAKES = ['plex', 'radarr', 'sonarr', 'lidarr', 'prowlarr', 'seerr', 'maintainerr'];
const PROBE_PATHS = {
  plex: '/identity',
  radarr: '/ping',
  sonarr: '/ping',
  lidarr: '/ping',
  prowlarr: '/ping',
  requests: '/api/v1/status',
  maintainerr: '/api/health/ready',
  nzbget: '/jsonrpc/version',
};
const SERVICE_OF_FAKE = { seerr: 'requests' };

async function slowSim() {
  const faults = Object.fromEntries(FAKES.map((f) => [f, { latencyMs }]));
  const sim = await startSim({ faults, nzbgetFaults: { latencyMs } });
  sim.plexTv.setFaults({ latencyMs });
  return sim;
}

async function timed(sim, args) {
  sim.resetLogs();
  const started = performance.now();
  const result = await sim.coordinate(args);
  return { ...result, wallMs: performance.now() - started, requests: sim.requests() };
}

function levels(requests) {
  let count = 0;
  let levelStart = -Infinity;
  for (const r of [...requests].sort((a, b) => a.t - b.t)) {
    if (r.t - levelStart >= latencyMs / 2) {
      count += 1;
      levelStart = r.t;
    }
  }
  return count;
}

function runWindowMs(home) {
  const db = new Database(join(home, 'plexarr.db'), { readonly: true });
  try {
    const row = db.prepare(`SELECT started_at, finished_at FROM coordinate_runs WHERE mode != 'dry-run' ORDER BY id DESC LIMIT 1`).get();
    return Date.parse(row.finished_at) - Date.parse(row.started_at);
  } finally {
    db.close();
  }
}

async function taskGraph(home) {
  const { openState, latestConfig, getSecrets, allHookups, buildGraph } = plexarr;
  const state = openState(home, { readonly: true });
  try {
    return buildGraph(allHookups(), latestConfig(state.db), getSecrets(state.db));
  } finally {
    state.close();
  }
}

// 1–3. Calibration and the critical path.
const calib = await slowSim();
let critical;
let levelCostMs;
try {
  const run = await timed(calib, ['--concurrency', '1']);
  if (run.code !== 0) console.log(`note: the calibration run exited ${run.code} (failed hookups still count with the requests they made)`);
  const rows = taskRows(calib.home).filter((r) => r.started_at && r.finished_at);
  const windows = rows.map((r) => ({ id: r.task_id, from: Date.parse(r.started_at), to: Date.parse(r.finished_at) + 1 }));
  const perTask = new Map();
  for (const req of run.requests) {
    const service = SERVICE_OF_FAKE[req.service] ?? req.service;
    const inside = windows.filter((w) => req.t >= w.from && req.t <= w.to);
    const wait = inside.find((w) => w.id === `wait.${service}` && req.path === PROBE_PATHS[service]);
    const owner = wait ?? inside.find((w) => !w.id.startsWith('wait.'));
    if (!owner) continue;
    perTask.set(owner.id, [...(perTask.get(owner.id) ?? []), req]);
  }
  const graph = await taskGraph(calib.home);
  const chain = new Map();
  for (const id of graph.order) {
    const node = graph.nodes.get(id);
    const own = levels(perTask.get(id) ?? []);
    const before = Math.max(0, ...node.dependsOn.map((d) => chain.get(d)?.length ?? 0));
    const via = node.dependsOn.find((d) => (chain.get(d)?.length ?? 0) === before);
    chain.set(id, { length: before + own, path: [...(via ? chain.get(via).path : []), `${id}(${own})`] });
  }
  critical = [...chain.values()].sort((a, b) => b.length - a.length)[0];
  const hookupIds = graph.order.filter((id) => !id.startsWith('wait.'));
  const hookupLevels = hookupIds.reduce((sum, id) => sum + levels(perTask.get(id) ?? []), 0);
  const busyMs = windows.filter((w) => !w.id.startsWith('wait.')).reduce((sum, w) => sum + (w.to - w.from), 0);
  levelCostMs = busyMs / hookupLevels;
  console.log(
    `one sequential request cost ${levelCostMs.toFixed(0)} ms on average in the calibration run (${latencyMs} ms latency + client and fake CPU on this machine)`,
  );
  console.log(
    `work: ${hookupLevels} sequential hookup requests in all; with ${concurrency} at a time at least ${Math.round((hookupLevels * latencyMs) / concurrency)} ms`,
  );
  console.log(`calibration: ${run.requests.length} requests, ${perTask.size} tasks with requests`);
  console.log(`critical path: ${critical.length} sequential requests × ${latencyMs} ms = ${critical.length * latencyMs} ms`);
  console.log(`  ${critical.path.join(' → ')}`);
  // Seerr/Overseerr never answer a settings save that overlaps another, so plexarr sends their
  // writes one at a time (whichever hookup they belong to): a chain the task graph does not show.
  const seerrWrites = run.requests.filter((r) => r.service === 'seerr' && r.method !== 'GET').length;
  const seerrChain = (chain.get('wait.requests')?.length ?? 0) + seerrWrites;
  console.log(`Seerr's writes, one at a time after its readiness wait: ${seerrWrites}, so at least ${seerrChain} sequential requests`);
  if (seerrChain > critical.length) critical = { length: seerrChain, path: ['wait.requests', `${seerrWrites} Seerr writes`] };
} finally {
  await calib.close();
}

// 4–5. The measured run and the second run.
const sim = await slowSim();
try {
  const full = await timed(sim, ['--concurrency', String(concurrency)]);
  const runMs = runWindowMs(sim.home);
  const cpMs = critical.length * latencyMs;
  const second = await timed(sim, []);
  const nonGet = sim.nonGet();
  console.log(`full run: exit ${full.code}, ${full.requests.length} requests, wall ${Math.round(full.wallMs)} ms (run record ${runMs} ms)`);
  console.log(`ratio wall / critical path: ${(full.wallMs / cpMs).toFixed(2)} (run record: ${(runMs / cpMs).toFixed(2)}) — goal <= 1.3`);
  const cpCostMs = critical.length * levelCostMs;
  console.log(
    `  with the critical path priced at the measured cost per request (${Math.round(cpCostMs)} ms): run record / critical path = ${(runMs / cpCostMs).toFixed(2)}`,
  );
  console.log(
    `second run: exit ${second.code}, ${second.requests.length} requests, ${nonGet.length} non-GET (goal 0), wall ${Math.round(second.wallMs)} ms`,
  );
  for (const m of nonGet) console.log(`  non-GET: ${m.service} ${m.method} ${m.path}${m.rpc ? ` (${m.rpc})` : ''}`);
} finally {
  await sim.close();
}
