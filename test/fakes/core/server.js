// The HTTP side every fake shares: node:http server on loopback, body parsing, the request log,
// the /__fake/* control endpoints and fault injection. Apps only supply `handle(request)`.
import { createServer } from 'node:http';
import { createFaults } from './faults.js';

/**
 * @typedef {import('./faults.js').Faults} Faults
 *
 * @typedef {object} FakeRequest
 * @property {string} method upper-case
 * @property {string} path decoded pathname, no query
 * @property {Record<string, string | string[]>} query last value wins unless repeated (then an array)
 * @property {URLSearchParams} searchParams the raw query
 * @property {import('node:http').IncomingHttpHeaders} headers lower-case names
 * @property {unknown} body parsed JSON (or form) body; undefined when there is none
 * @property {string} rawBody
 * @property {boolean} bodyInvalid the body was sent as JSON but does not parse
 * @property {import('node:http').IncomingMessage} raw
 *
 * @typedef {object} FakeResponse
 * @property {number} status
 * @property {unknown} [body] strings/Buffers are sent as they are, anything else as JSON
 * @property {Record<string, string>} [headers]
 *
 * @typedef {{ t: number, method: string, path: string, query: Record<string, string | string[]>, body: unknown, status: number }} LogEntry
 *
 * @typedef {object} FakeHandle
 * @property {string} name
 * @property {string} url http://host:port, no trailing slash
 * @property {number} port
 * @property {any} state the app's in-memory state (also GET /__fake/state)
 * @property {LogEntry[]} log every request except /__fake/* (also GET /__fake/log)
 * @property {Faults} faults live faults; assigning replaces them (and restarts counters)
 * @property {(patch: Faults) => Faults} setFaults JSON-merge into the live faults (same as POST /__fake/faults)
 * @property {Promise<void>} ready resolves once the server accepts connections (later than start in 'refuse' start-up mode)
 * @property {() => Promise<void>} close
 *
 * @typedef {object} StartFakeOptions
 * @property {string} name
 * @property {string} [host] default 127.0.0.1
 * @property {number} [port] default 0 (a free port)
 * @property {any} [state]
 * @property {Faults} [faults]
 * @property {(req: FakeRequest) => FakeResponse | Promise<FakeResponse>} handle
 * @property {(req: FakeRequest) => FakeResponse | undefined | Promise<FakeResponse | undefined>} [control] extra /__fake/* routes (return undefined to fall through)
 * @property {(req: FakeRequest) => unknown} [errorBody] body of an injected 500 / 503 (app style)
 */

const CONTROL_PREFIX = '/__fake/';

/** @param {import('node:http').IncomingMessage} req */
function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** @param {URLSearchParams} params */
function queryObject(params) {
  /** @type {Record<string, string | string[]>} */
  const out = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length > 1 ? all : /** @type {string} */ (all[0]);
  }
  return out;
}

/** @param {string} raw @param {string | undefined} contentType */
function parseBody(raw, contentType) {
  if (raw.trim() === '') return { body: undefined, bodyInvalid: false };
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('application/x-www-form-urlencoded')) return { body: queryObject(new URLSearchParams(raw)), bodyInvalid: false };
  if (type.includes('json') || /^\s*[[{"]/.test(raw) || type === '') {
    try {
      return { body: JSON.parse(raw), bodyInvalid: false };
    } catch {
      return { body: undefined, bodyInvalid: true };
    }
  }
  return { body: raw, bodyInvalid: false };
}

/** @param {import('node:http').ServerResponse} res @param {FakeResponse} out */
function send(res, out) {
  const headers = { ...(out.headers ?? {}) };
  let payload = '';
  if (typeof out.body === 'string' || Buffer.isBuffer(out.body)) payload = out.body;
  else if (out.body !== undefined) {
    payload = JSON.stringify(out.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json; charset=utf-8';
  }
  res.writeHead(out.status, headers);
  res.end(payload);
}

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts one fake. Resolves as soon as the port is known; in 'refuse' start-up mode the server
 * starts listening only after `startupMs` (await `handle.ready` to wait for it).
 * @param {StartFakeOptions} options
 * @returns {Promise<FakeHandle>}
 */
export async function startFake(options) {
  const host = options.host ?? '127.0.0.1';
  const faults = createFaults(options.faults ?? {});
  /** @type {LogEntry[]} */
  const log = [];
  const state = options.state ?? {};
  const errorBody = options.errorBody ?? (() => ({ message: 'Injected fault' }));

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((err) => {
      if (!res.headersSent) send(res, { status: 500, body: { message: String(err?.message ?? err) } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 1000;

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  async function handleRequest(req, res) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const rawBody = await readBody(req);
    const { body, bodyInvalid } = parseBody(rawBody, req.headers['content-type']);
    /** @type {FakeRequest} */
    const request = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: decodeURIComponent(url.pathname),
      query: queryObject(url.searchParams),
      searchParams: url.searchParams,
      headers: req.headers,
      body,
      rawBody,
      bodyInvalid,
      raw: req,
    };

    if (request.path.startsWith(CONTROL_PREFIX)) {
      send(res, (await controlRoute(request)) ?? { status: 404, body: { message: 'unknown control endpoint' } });
      return;
    }

    /** @type {LogEntry} */
    const entry = { t: Date.now(), method: request.method, path: request.path, query: request.query, body, status: 0 };
    log.push(entry);

    if (faults.unavailable()) {
      entry.status = 503;
      send(res, { status: 503, body: errorBody(request), headers: { 'Retry-After': String(Math.ceil(faults.unavailableMs() / 1000)) } });
      return;
    }
    const verdict = faults.next();
    if (faults.latencyMs() > 0) await sleep(faults.latencyMs());
    if (verdict === 'crash') {
      req.socket.destroy();
      return;
    }
    if (verdict === 'error') {
      entry.status = 500;
      send(res, { status: 500, body: errorBody(request) });
      return;
    }
    const out = await options.handle(request);
    entry.status = out.status;
    send(res, out);
  }

  /** @param {FakeRequest} request @returns {Promise<FakeResponse | undefined>} */
  async function controlRoute(request) {
    const route = `${request.method} ${request.path}`;
    if (route === 'GET /__fake/state') return { status: 200, body: state };
    if (route === 'GET /__fake/log') return { status: 200, body: log };
    if (route === 'POST /__fake/reset-log') {
      log.length = 0;
      return { status: 200, body: { ok: true } };
    }
    if (route === 'POST /__fake/faults') {
      setFaults(/** @type {Faults} */ (request.body ?? {}));
      return { status: 200, body: faults.current };
    }
    return options.control ? await options.control(request) : undefined;
  }

  /** @param {number} p */
  const listen = (p) =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, host, () => {
        server.off('error', reject);
        resolve(undefined);
      });
    });

  /** Going down for a while (refuse mode): stop listening, drop connections, come back on the same port. */
  /** @type {Promise<void>} */
  let ready = Promise.resolve();
  /** @type {NodeJS.Timeout | undefined} */
  let relisten;
  let closed = false;
  function refuseFor(/** @type {number} */ ms) {
    if (server.listening) {
      server.close();
      server.closeAllConnections();
    }
    clearTimeout(relisten);
    ready = new Promise((resolve, reject) => {
      relisten = setTimeout(() => {
        if (closed) return resolve();
        listen(port).then(() => resolve(), reject);
      }, ms);
    });
  }

  /** @param {Faults} patch */
  function setFaults(patch) {
    faults.set(patch);
    if (patch && 'startupMs' in patch && faults.mode() === 'refuse' && faults.unavailableMs() > 0) refuseFor(faults.unavailableMs());
    return faults.current;
  }

  await listen(options.port ?? 0);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  if (faults.unavailableMs() > 0 && faults.mode() === 'refuse') refuseFor(faults.unavailableMs());

  const urlHost = host.includes(':') ? `[${host}]` : host;
  /** @type {FakeHandle} */
  const handle = {
    name: options.name,
    url: `http://${urlHost}:${port}`,
    port,
    state,
    log,
    get faults() {
      return faults.current;
    },
    set faults(value) {
      const cleared = Object.fromEntries(Object.keys(faults.current).map((k) => [k, null]));
      setFaults({ ...cleared, ...value });
    },
    setFaults,
    get ready() {
      return ready;
    },
    close: async () => {
      closed = true;
      clearTimeout(relisten);
      if (!server.listening) return;
      await new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      });
    },
  };
  return handle;
}
