// Starts the REAL Debian `nzbget` for tests (NZBGet is never faked): the packaged example config
// with MainDir in a temp dir, ControlIP=127.0.0.1, a free ControlPort, the packaged web UI and the
// control login given as `-o` overrides (like linuxserver's NZBGET_USER/NZBGET_PASS). Waits for
// the `version` RPC; stops by pid.
//
//   const nzb = await startNzbget({ categories: { 1: 'Movies', 3: 'Music' } });  // gap → Music unreachable for *arr
//   nzb.host, nzb.port, nzb.username, nzb.password, await nzb.rpc('config'), await nzb.stop()
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { callJson, freePort } from './core/util.js';

/** `nzbget` as the PATH finds it (so a PATH without it behaves like a machine without it), or NZBGET_BIN. */
export const NZBGET_BIN = process.env.NZBGET_BIN ?? onPath('nzbget');
export const NZBGET_EXAMPLE_CONF = '/usr/share/doc/nzbget/examples/nzbget.conf.gz';
export const NZBGET_WEBDIR = '/usr/share/nzbget/webui';

/**
 * Why the real NZBGet cannot run here, or undefined when it can (tests: `describe.skip` with the reason).
 * @returns {string | undefined}
 */
export function nzbgetMissing() {
  if (NZBGET_BIN === undefined || !existsSync(NZBGET_BIN)) return `${NZBGET_BIN ?? 'nzbget'} not found`;
  if (!existsSync(NZBGET_EXAMPLE_CONF)) return `${NZBGET_EXAMPLE_CONF} not found (Debian nzbget package)`;
  return undefined;
}

/** @param {string} name @returns {string | undefined} */
function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/**
 * @typedef {object} NzbgetOptions
 * @property {string} [username] default 'nzbget'
 * @property {string} [password] default a random one
 * @property {string[] | Record<number, string>} [categories] names (contiguous from 1) or index → name (gaps allowed); default the stock Movies/Series/Music/Software
 * @property {Record<string, string>} [options] extra config lines (e.g. { KeepHistory: '0' })
 * @property {number} [timeoutMs] how long to wait for `version` (default 15000)
 * @property {number} [port] ControlPort (default a free one)
 * @property {string} [configDir] keep nzbget.conf (MainDir) here, like linuxserver's /config: the
 *   template is written only when the file is absent; otherwise the file is used as it is
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

/** @param {string} conf @param {string} dir @param {number} port @param {NzbgetOptions} opts */
function writeTemplate(conf, dir, port, opts) {
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
  writeFileSync(conf, kept.join('\n'));
}

/**
 * @param {NzbgetOptions} [opts]
 * @returns {Promise<NzbgetHandle>}
 */
export async function startNzbget(opts = {}) {
  const missing = nzbgetMissing();
  if (missing) throw new Error(`cannot start nzbget: ${missing}`);
  const username = opts.username ?? 'nzbget';
  const password = opts.password ?? `pw${Math.random().toString(36).slice(2, 10)}`;
  const port = opts.port || (await freePort());
  const ownDir = !opts.configDir;
  const dir = opts.configDir ?? mkdtempSync(path.join(tmpdir(), 'plexarr-nzbget-'));
  mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'nzbget.conf');
  if (!existsSync(conf)) writeTemplate(conf, dir, port, opts);
  const removeDir = () => {
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  };

  // Listening address and MainDir always come from the command line, as the container's would.
  const overrides = [
    'ControlIP=127.0.0.1',
    `ControlPort=${port}`,
    `MainDir=${dir}`,
    `ControlUsername=${username}`,
    `ControlPassword=${password}`,
  ];
  const child = spawn(/** @type {string} */ (NZBGET_BIN), ['-c', conf, '-s', ...overrides.flatMap((o) => ['-o', o])], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });

  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

  /** @param {string} method @param {unknown[]} [params] */
  async function rpc(method, params = []) {
    const res = await callJson(`${url}/jsonrpc`, { method: 'POST', headers: { Authorization: auth }, body: { method, params, id: 1 } });
    if (res.status !== 200) throw new Error(`nzbget ${method}: ${res.error ?? `HTTP ${res.status}`}`);
    if (res.body?.error) throw new Error(`nzbget ${method}: ${res.body.error.message}`);
    return res.body?.result;
  }

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    removeDir();
  }

  const deadline = Date.now() + (opts.timeoutMs ?? 15000);
  for (;;) {
    if (child.exitCode !== null) {
      removeDir();
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

/**
 * For the runner: the real NZBGet in place of linuxserver/nzbget, with NZBGET_USER/NZBGET_PASS
 * from the service environment. The handle has the FakeHandle shape; log and faults stay empty
 * (a real program cannot be faulted from here).
 * @param {import('./core/index.js').CommonFakeOptions} options
 * @returns {Promise<import('./core/index.js').FakeHandle & { nzbget: NzbgetHandle }>}
 */
export async function startNzbgetService(options) {
  const env = options.env ?? {};
  const nzbget = await startNzbget({
    port: options.port,
    configDir: options.configDir,
    username: env.NZBGET_USER || 'nzbget',
    password: env.NZBGET_PASS || 'tegbzn6789',
  });
  return {
    name: 'nzbget',
    url: nzbget.url,
    port: nzbget.port,
    state: { pid: nzbget.pid, dir: nzbget.dir },
    log: [],
    faults: {},
    setFaults: () => ({}),
    ready: Promise.resolve(),
    close: nzbget.stop,
    nzbget,
  };
}

export const APPS = {
  nzbget: { start: startNzbgetService, internalPort: 6789, configMount: '/config' },
};
