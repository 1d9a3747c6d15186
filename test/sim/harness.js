// The full-stack harness shared by the sim tests and bench/coordinate.mjs (plain ESM so the bench
// runs it with node): a plexarr home made by the real CLI (`init --yes`), the generated compose
// stack brought up as fakes on loopback (test/fakes/run.js), a real NZBGet behind a small logging
// proxy (it has no request log of its own), and the CLI spawned as a process.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { freePort } from '../fakes/core/util.js';
import { startStack } from '../fakes/run.js';
import { startPlexTv } from '../fakes/plextv.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(REPO, 'bin', 'plexarr.js');
const SERVICES = ['plex', 'radarr', 'sonarr', 'lidarr', 'prowlarr', 'requests', 'maintainerr', 'nzbget'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Spawns the real CLI. Resolves with exit code, signal and captured output.
 * @param {string[]} args @param {{ env?: Record<string,string>, onSpawn?: (child: import('node:child_process').ChildProcess) => void }} [o]
 */
export function runCli(args, o = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: REPO,
      env: { ...process.env, CI: 'true', NO_COLOR: '1', ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    o.onSpawn?.(child);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * A logging proxy in front of the real NZBGet the fakes runner started (NZBGet keeps no request
 * log and cannot be faulted): plexarr reaches it on `port`, it forwards to `target`, records each
 * JSON-RPC method, and adds latency, a start-up delay ('refuse': nothing listens yet) and 500s
 * like the fakes' faults. The fakes themselves reach NZBGet directly, as containers would.
 * @param {{ port: number, target: string, faults?: { latencyMs?: number, startupMs?: number, errorRate?: number, seed?: number } }} o
 */
export async function startRpcProxy(o) {
  const faults = { latencyMs: 0, startupMs: 0, errorRate: 0, ...o.faults };
  let seed = faults.seed ?? 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  /** @type {{ t: number, method: string, path: string, rpc: string, status: number }[]} */
  const log = [];
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    let rpc = '';
    try {
      rpc = JSON.parse(body.toString('utf8')).method ?? '';
    } catch {
      rpc = '';
    }
    const entry = { t: Date.now(), method: req.method ?? 'GET', path: req.url ?? '/', rpc, status: 0 };
    log.push(entry);
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (faults.errorRate > 0 && random() < faults.errorRate) {
      entry.status = 500;
      res.writeHead(500).end('Internal Server Error');
      return;
    }
    try {
      const headers = /** @type {Record<string,string>} */ ({ 'content-type': req.headers['content-type'] ?? 'application/json' });
      if (req.headers.authorization) headers.authorization = req.headers.authorization;
      const answer = await fetch(`${o.target}${req.url}`, { method: req.method, headers, body: req.method === 'GET' ? undefined : body });
      entry.status = answer.status;
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      entry.status = 502;
      res.writeHead(502).end('NZBGet is not answering');
    }
  });
  const listen = () =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, '127.0.0.1', () => resolve(undefined));
    });
  const listening = faults.startupMs > 0 ? sleep(faults.startupMs).then(listen) : listen();
  if (!faults.startupMs) await listening;
  return {
    log,
    faults,
    async close() {
      await listening;
      server.closeAllConnections?.();
      await new Promise((r) => server.close(() => r(undefined)));
    },
  };
}

/** Secrets as stored in the home's SQLite (what the scan for leaks looks for). */
export function storedSecrets(home) {
  const db = new Database(join(home, 'plexarr.db'), { readonly: true });
  try {
    return Object.fromEntries(
      db
        .prepare('SELECT name, value FROM secrets')
        .all()
        .map((r) => [r.name, r.value]),
    );
  } finally {
    db.close();
  }
}

/** Task rows of the latest run (or all runs) for assertions and the bench. */
export function taskRows(home) {
  const db = new Database(join(home, 'plexarr.db'), { readonly: true });
  try {
    return db.prepare('SELECT t.*, r.mode FROM task_runs t JOIN coordinate_runs r ON r.id = t.run_id ORDER BY t.run_id, t.id').all();
  } finally {
    db.close();
  }
}

/**
 * A plexarr home wired by nobody yet: `init --yes` on free loopback ports, the media layout deploy
 * would create, a plex.tv fake that knows the account token, a fresh claim token in `.env` (what
 * deploy writes right before `up`), the fakes, and the real NZBGet.
 * `answers`: an answers file (YAML) init reads too, for what flags cannot say (several servers);
 * `hosts`: more names the fakes reach ("name:port" → loopback URL), such as indexers.
 * @param {{ faults?: Record<string, object>, nzbgetFaults?: object, keep?: boolean, answers?: string, hosts?: Record<string, string> }} [o]
 */
export async function startSim(o = {}) {
  // Free ports are picked before init writes them; on a busy machine another process may take
  // one before the fakes bind it. Then start over on new ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startSimOnce(o);
    } catch (e) {
      if (/** @type {{ code?: string }} */ (e).code !== 'EADDRINUSE' || attempt >= 3) throw e;
    }
  }
}

/** @param {{ faults?: Record<string, object>, nzbgetFaults?: object, keep?: boolean, answers?: string, hosts?: Record<string, string> }} o */
async function startSimOnce(o) {
  const root = mkdtempSync(join(tmpdir(), 'plexarr-sim-'));
  const home = join(root, 'home');
  const mediaRoot = join(root, 'media');
  const configRoot = join(root, 'appdata');
  mkdirSync(home, { recursive: true });
  for (const d of [
    'media/movies',
    'media/tv',
    'media/music',
    'downloads/movies',
    'downloads/tv',
    'downloads/music',
    'downloads/incomplete',
  ]) {
    mkdirSync(join(mediaRoot, d), { recursive: true });
  }
  const plexToken = `plex-account-${Math.random().toString(36).slice(2, 12)}`;
  const ports = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await freePort()])));
  const answersFile = join(root, 'answers.yaml');
  if (o.answers !== undefined) writeFileSync(answersFile, o.answers);
  const init = await runCli([
    'init',
    ...(o.answers !== undefined ? ['--config', answersFile] : []),
    '--yes',
    '--home',
    home,
    '--media-root',
    mediaRoot,
    '--config-root',
    configRoot,
    '--services',
    SERVICES.join(','),
    '--plex-token',
    plexToken,
    '--host-address',
    '127.0.0.1',
    ...Object.entries(ports).flatMap(([s, p]) => ['--port', `${s}=${p}`]),
  ]);
  if (init.code !== 0) throw new Error(`plexarr init failed (${init.code}):\n${init.stdout}\n${init.stderr}`);

  const plexTv = await startPlexTv({ host: '127.0.0.1', port: 0 });
  plexTv.addAccount({ username: 'owner', email: 'owner@example.com', token: plexToken });
  const claim = await fetch(`${plexTv.url}/api/claim/token.json`, { headers: { 'X-Plex-Token': plexToken, accept: 'application/json' } });
  const { token: claimToken } = /** @type {any} */ (await claim.json());
  const envFile = join(home, 'generated-config', '.env');
  const env = readFileSync(envFile, 'utf8');
  writeFileSync(
    envFile,
    /^PLEX_CLAIM=/m.test(env) ? env.replace(/^PLEX_CLAIM=.*$/m, `PLEX_CLAIM=${claimToken}`) : `${env}PLEX_CLAIM=${claimToken}\n`,
  );
  // The fakes get a copy of the compose file whose NZBGet publishes on a private port; plexarr
  // reaches NZBGet on the configured port through the logging proxy.
  const nzbgetDirect = await freePort();
  const composeFile = join(root, 'compose.fakes.yml');
  const compose = readFileSync(join(home, 'generated-config', 'docker-compose.yml'), 'utf8');
  writeFileSync(composeFile, compose.replace(`"${ports.nzbget}:6789"`, `"${nzbgetDirect}:6789"`));

  let stack;
  let nzbget;
  try {
    stack = await startStack({ composeFile, envFile, plexTv, faults: o.faults, hosts: o.hosts });
    nzbget = await startRpcProxy({ port: ports.nzbget, target: `http://127.0.0.1:${nzbgetDirect}`, faults: o.nzbgetFaults });
  } catch (e) {
    await stack?.close();
    await plexTv.close();
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
  const nzbgetRpc = stack.services.get('nzbget')?.nzbget?.rpc;
  // The fakes play the containers, so `docker compose ps` (which coordinate asks first) is the
  // fake docker's, reporting every service running and healthy.
  const fakeDocker = join(REPO, 'test', 'fixtures', 'compose-ps');
  const cliEnv = {
    PLEXARR_PLEX_TV_URL: plexTv.url,
    PATH: `${join(fakeDocker, 'bin')}:${process.env.PATH ?? ''}`,
    FAKE_DOCKER_SCENARIO: join(fakeDocker, 'healthy'),
  };
  return {
    root,
    home,
    mediaRoot,
    /** What `plexarr init` printed (part of the output scanned for secrets). */
    initOutput: `${init.stdout}\n${init.stderr}`,
    ports,
    plexToken,
    stack,
    plexTv,
    nzbget,
    /** The options NZBGet has in effect (asked directly, not through the proxy). */
    nzbgetConfig: () => nzbgetRpc('config'),
    /** Category names NZBGet has in effect (asked directly, not through the proxy). */
    async nzbgetCategories() {
      const config = await nzbgetRpc('config');
      return config.filter((x) => /^Category\d+\.Name$/.test(x.Name)).map((x) => x.Value);
    },
    secrets: () => storedSecrets(home),
    coordinate: (args = [], extra = {}) => runCli(['coordinate', '--home', home, ...args], { ...extra, env: { ...cliEnv, ...extra.env } }),
    deploy: (args = [], extra = {}) => runCli(['deploy', '--home', home, ...args], { ...extra, env: { ...cliEnv, ...extra.env } }),
    /** Every request every fake (plex.tv and the NZBGet proxy included) logged. */
    requests() {
      const all = [];
      for (const [service, h] of stack.services) for (const e of h.log) all.push({ service, ...e });
      for (const e of plexTv.log) all.push({ service: 'plex.tv', ...e });
      for (const e of nzbget.log) all.push({ service: 'nzbget', ...e });
      return all.sort((a, b) => a.t - b.t);
    },
    /**
     * Every request but a GET, side-effect-free ones (`/test`, logins) included: plans read with
     * GETs only (NZBGet's reads too: `GET /jsonrpc/<method>`), so these are the changes.
     */
    nonGet() {
      return this.requests().filter((e) => e.method !== 'GET');
    },
    resetLogs() {
      for (const h of stack.services.values()) h.log.length = 0;
      plexTv.log.length = 0;
      nzbget.log.length = 0;
    },
    async close() {
      await stack.close();
      await plexTv.close();
      await nzbget.close();
      if (!o.keep) rmSync(root, { recursive: true, force: true });
    },
  };
}
