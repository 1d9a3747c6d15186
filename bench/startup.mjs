#!/usr/bin/env node
// Start-up cost of the CLI as whole processes, beside bare Node in the same run:
// `node -e 0`, `plexarr --help`, and `plexarr init --yes` into a fresh temp home.
// Goals: --help within 1.5x and init --yes within 3x of bare Node start-up.
// The figures are for a warm code cache (src/startup/code-cache.ts: every run after the first);
// `init --yes (first run)` is the same command with an empty cache, as right after an install.
// Usage: node bench/startup.mjs [runs]   (needs a build: npm run build)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { executedPackages } from '../test/helpers/executed-packages.mjs';

const runs = Number(process.argv[2] ?? 15);
const bin = fileURLToPath(new URL('../bin/plexarr.js', import.meta.url));
const HEAVY = ['got', 'listr2', 'execa', 'better-sqlite3', '@inquirer/prompts', 'zod', 'yaml', 'chalk'];
const cache = mkdtempSync(join(tmpdir(), 'plexarr-bench-cache-'));
const env = { ...process.env, CI: 'true', NO_COLOR: '1', XDG_CACHE_HOME: cache };
delete env.PLEXARR_HOME;
delete env.NODE_V8_COVERAGE;

/** Free ports for every service, so a busy default port cannot turn init into an error. */
async function portArgs() {
  const keys = ['plex', 'radarr', 'sonarr', 'lidarr', 'prowlarr', 'requests', 'maintainerr', 'nzbget'];
  const servers = await Promise.all(
    keys.map(
      () =>
        new Promise((resolve) => {
          const s = createServer();
          s.listen(0, () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return keys.flatMap((k, i) => ['--port', `${k}=${ports[i]}`]);
}

function time(args, extraEnv = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env: { ...env, ...extraEnv }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const ports = await portArgs();
const samples = { node: [], help: [], init: [], cold: [] };
/** `init --yes` into a fresh home; `cacheDir` replaces the shared (warm) cache. */
function initRun(cacheDir) {
  const home = mkdtempSync(join(tmpdir(), 'plexarr-bench-'));
  try {
    return time([bin, 'init', '--yes', '--home', home, ...ports], cacheDir ? { XDG_CACHE_HOME: cacheDir } : {});
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
// Fills the shared cache, as any first run does.
time([bin, '--help']);
initRun();
// Interleaved, so load from other processes on the machine hits all of them alike.
for (let i = 0; i < runs; i++) {
  samples.node.push(time(['-e', '0']));
  samples.help.push(time([bin, '--help']));
  samples.init.push(initRun());
  const empty = mkdtempSync(join(tmpdir(), 'plexarr-bench-cache-'));
  try {
    samples.cold.push(initRun(empty));
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
}

const base = median(samples.node);
const baseMin = Math.min(...samples.node);
// Medians are the figures; minimums are shown too because on a busy machine they are the
// least disturbed by other processes.
const row = (name, xs, goal) => {
  const m = median(xs);
  const ratio = m / base;
  const min = Math.min(...xs);
  const verdict = goal === undefined ? '' : ratio <= goal ? `  (goal <= ${goal}x: met)` : `  (goal <= ${goal}x: NOT met)`;
  return `${name.padEnd(24)} median ${m.toFixed(1).padStart(7)} ms ${ratio.toFixed(2)}x   min ${min.toFixed(1).padStart(7)} ms ${(min / baseMin).toFixed(2)}x${verdict}`;
};
/** Which of the heavy packages a command runs code from (V8's coverage, read in test/helpers). */
function heavyLoaded(args) {
  const dir = mkdtempSync(join(tmpdir(), 'plexarr-coverage-'));
  try {
    spawnSync(process.execPath, args, { env: { ...env, NODE_V8_COVERAGE: dir }, encoding: 'utf8' });
    const packages = executedPackages(dir);
    return HEAVY.filter((name) => packages.has(name));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`runs: ${runs} each, Node ${process.version}`);
console.log(row('node -e 0', samples.node));
console.log(row('plexarr --help', samples.help, 1.5));
console.log(row('plexarr init --yes', samples.init, 3));
console.log(row('init --yes (first run)', samples.cold));
const initHome = mkdtempSync(join(tmpdir(), 'plexarr-bench-'));
console.log(`--help runs code of: ${heavyLoaded([bin, '--help']).join(', ') || 'none of ' + HEAVY.join(', ')}`);
console.log(`init --yes runs code of: ${heavyLoaded([bin, 'init', '--yes', '--home', initHome, ...ports]).join(', ')}`);
rmSync(initHome, { recursive: true, force: true });
rmSync(cache, { recursive: true, force: true });
