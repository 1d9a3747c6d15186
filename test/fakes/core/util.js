// Small helpers every app fake uses: responses, the default pathMap/resolve, and outbound calls
// (a fake that talks to another service: Prowlarr → Radarr, Radarr → NZBGet, Seerr → Plex).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer as createNetServer } from 'node:net';

/**
 * Options every `startX(options)` accepts (BRIEF "Fakes").
 * @typedef {object} CommonFakeOptions
 * @property {string} [host] default 127.0.0.1
 * @property {number} [port] default 0
 * @property {Record<string, string | undefined>} [env] the container's environment
 * @property {string} [configDir] host directory mounted at the app's config path
 * @property {(containerPath: string) => string} [pathMap] container path → host path (default identity)
 * @property {(url: string) => string} [resolve] container-name URL → reachable URL (default identity)
 * @property {string} [plexTvUrl]
 * @property {import('./faults.js').Faults} [faults]
 */

/** @param {number} status @param {unknown} [body] @param {Record<string, string>} [headers] */
export function json(status, body, headers) {
  return { status, body, headers };
}

/** @param {string} p */
export const identityPath = (p) => p;
/** @param {string} u */
export const identityUrl = (u) => u;

/**
 * One HTTP call with a JSON body/answer; never throws on HTTP status, only reports a connection
 * failure in `error`. Redirects are not followed (callers map a 307). A fresh connection per call:
 * some servers (NZBGet) close idle keep-alive sockets without saying so.
 * @param {string} url
 * @param {{ method?: string, headers?: Record<string, string>, body?: unknown, timeoutMs?: number }} [init]
 * @returns {Promise<{ status: number, headers: Record<string, string>, body: any, text: string, error?: string }>} header names lower-case
 */
export function callJson(url, init = {}) {
  const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
  /** @type {Record<string, string>} */
  const headers = {
    ...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) }),
    ...(init.headers ?? {}),
  };
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(
      target,
      {
        method: init.method ?? (payload === undefined ? 'GET' : 'POST'),
        headers,
        agent: false,
        timeout: init.timeoutMs ?? 10000,
        rejectUnauthorized: false,
      },
      (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          /** @type {Record<string, string>} */
          const h = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status: res.statusCode ?? 0, headers: h, body, text });
        });
        res.on('error', (err) => resolve({ status: 0, headers: {}, body: undefined, text: '', error: err.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('The operation has timed out')));
    req.on('error', (err) =>
      resolve({ status: 0, headers: {}, body: undefined, text: '', error: /** @type {NodeJS.ErrnoException} */ (err).code ?? err.message }),
    );
    req.end(payload);
  });
}

/** A loopback port the OS just handed out as free (closed again before it is returned). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}
