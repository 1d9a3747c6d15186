// Small helpers every app fake uses: responses, the default pathMap/resolve, and outbound calls
// (a fake that talks to another service: Prowlarr → Radarr, Radarr → NZBGet, Seerr → Plex).

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
 * One HTTP call with a JSON body/answer; never throws on HTTP status, only on connection failure
 * (then `error` is set). Redirects are not followed, so callers can see a 307.
 * @param {string} url
 * @param {{ method?: string, headers?: Record<string, string>, body?: unknown, timeoutMs?: number }} [init]
 * @returns {Promise<{ status: number, headers: Headers | undefined, body: any, text: string, error?: string }>}
 */
export async function callJson(url, init = {}) {
  try {
    const res = await fetch(url, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...(init.headers ?? {}) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      redirect: 'manual',
      signal: AbortSignal.timeout(init.timeoutMs ?? 10000),
    });
    const text = await res.text();
    let body;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, headers: res.headers, body, text };
  } catch (err) {
    const cause = /** @type {any} */ (err)?.cause;
    return { status: 0, headers: undefined, body: undefined, text: '', error: String(cause?.message ?? cause?.code ?? /** @type {any} */ (err)?.message ?? err) };
  }
}
