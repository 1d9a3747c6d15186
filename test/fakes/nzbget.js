// Starts the REAL Debian `nzbget` for tests (NZBGet is never faked): the packaged example config
// with MainDir in a temp dir, ControlIP=127.0.0.1, a free ControlPort, the packaged web UI and the
// control login given as `-o` overrides (like linuxserver's NZBGET_USER/NZBGET_PASS). Waits for
// the `version` RPC; stops by pid.
//
//   const nzb = await startNzbget({ categories: { 1: 'Movies', 3: 'Music' } });  // gap → Music unreachable for *arr
//   nzb.host, nzb.port, nzb.username, nzb.password, await nzb.rpc('config'), await nzb.stop()
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const NZBGET_BIN = process.env.NZBGET_BIN ?? '/usr/bin/nzbget';
export const NZBGET_EXAMPLE_CONF = '/usr/share/doc/nzbget/examples/nzbget.conf.gz';
export const NZBGET_WEBDIR = '/usr/share/nzbget/webui';

/**
 * Why the real NZBGet cannot run here, or undefined when it can (tests: `describe.skip` with the reason).
 * @returns {string | undefined}
 */
export function nzbgetMissing() {
  if (!existsSync(NZBGET_BIN)) return `${NZBGET_BIN} not found (apt-get install nzbget)`;
  if (!existsSync(NZBGET_EXAMPLE_CONF)) return `${NZBGET_EXAMPLE_CONF} not found (Debian nzbget package)`;
  return undefined;
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * @typedef {object} NzbgetOptions
 * @property {string} [username] default 'nzbget'
 * @property {string} [password] default a random one
 * @property {string[] | Record<number, string>} [categories] names (contiguous from 1) or index → name (gaps allowed); default the stock Movies/Series/Music/Software
 * @property {Record<string, string>} [options] extra config lines (e.g. { KeepHistory: '0' })
 * @property {number} [timeoutMs] how long to wait for `version` (default 15000)
 *
 * @typedef {object} NzbgetHandle
 * @property {string} url http://127.0.0.1:<port>
 * @property {string} host
 * @property {number} port
 * @property {string} username
 * @property {string} password
 * @property {string} dir the temp MainDir (config file: <dir>/nzbget.conf)
 * @property {number} pid
 * @property {(method: string, params?: unknown[]) => Promise<any>} rpc JSON-RPC call; resolves to `result`, throws on HTTP/RPC errors
 * @property {() => Promise<void>} stop
 */

/**
 * @param {NzbgetOptions} [opts]
 * @returns {Promise<NzbgetHandle>}
 */
export async function startNzbget(opts = {}) {
  const missing = nzbgetMissing();
  if (missing) throw new Error(`cannot start nzbget: ${missing}`);
  const username = opts.username ?? 'nzbget';
  const password = opts.password ?? `pw${Math.random().toString(36).slice(2, 10)}`;
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'plexarr-nzbget-'));

  const template = spawnSync('zcat', [NZBGET_EXAMPLE_CONF], { encoding: 'utf8' });
  if (template.status !== 0) throw new Error(`zcat ${NZBGET_EXAMPLE_CONF} failed: ${template.stderr}`);
  const categories = Array.isArray(opts.categories)
    ? Object.fromEntries(opts.categories.map((name, i) => [i + 1, name]))
    : (opts.categories ?? { 1: 'Movies', 2: 'Series', 3: 'Music', 4: 'Software' });
  /** @type {Record<string, string>} */
  const overrides = {
    MainDir: dir,
    ControlIP: '127.0.0.1',
    ControlPort: String(port),
    WebDir: NZBGET_WEBDIR,
    OutputMode: 'loggable',
    DaemonUsername: process.getuid?.() === 0 ? 'root' : '',
    ...(opts.options ?? {}),
  };
  const kept = template.stdout
    .split('\n')
    .filter((line) => !/^Category\d+\./.test(line))
    .map((line) => {
      const key = /^([A-Za-z0-9.]+)=/.exec(line)?.[1];
      return key && key in overrides ? `${key}=${overrides[key]}` : line;
    });
  for (const [key, value] of Object.entries(overrides)) if (!kept.some((l) => l.startsWith(`${key}=`))) kept.push(`${key}=${value}`);
  for (const [index, name] of Object.entries(categories)) kept.push(`Category${index}.Name=${name}`);
  const conf = path.join(dir, 'nzbget.conf');
  writeFileSync(conf, kept.join('\n'));

  const child = spawn(NZBGET_BIN, ['-c', conf, '-s', '-o', `ControlUsername=${username}`, '-o', `ControlPassword=${password}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

  /** @param {string} method @param {unknown[]} [params] */
  async function rpc(method, params = []) {
    const res = await fetch(`${url}/jsonrpc`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ method, params, id: 1 }) });
    if (res.status !== 200) throw new Error(`nzbget ${method}: HTTP ${res.status}`);
    const body = await res.json();
    if (body.error) throw new Error(`nzbget ${method}: ${body.error.message}`);
    return body.result;
  }

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  }

  const deadline = Date.now() + (opts.timeoutMs ?? 15000);
  for (;;) {
    if (child.exitCode !== null) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`nzbget exited with ${child.exitCode}: ${stderr.trim()}`);
    }
    try {
      await rpc('version');
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`nzbget did not answer version within the timeout: ${String(err)} ${stderr.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { url, host: '127.0.0.1', port, username, password, dir, pid: /** @type {number} */ (child.pid), rpc, stop };
}
