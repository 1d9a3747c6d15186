// Helpers for tests that drive the *arr fakes (used by test/fakes/arr*.test.ts, prowlarr*.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * One call to a fake *arr app with its API key (unless `key` says otherwise; null = no key).
 * @param {{ url: string, apiKey: string }} fake
 * @param {string} method
 * @param {string} urlPath
 * @param {unknown} [body]
 * @param {string | null} [key]
 * @returns {Promise<{ status: number, body: any, headers: Headers }>}
 */
export async function api(fake, method, urlPath, body, key = fake.apiKey) {
  /** @type {Record<string, string>} */
  const headers = { 'Content-Type': 'application/json' };
  if (key !== null) headers['X-Api-Key'] = key;
  const res = await fetch(fake.url + urlPath, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
  });
  const text = await res.text();
  /** @type {any} */
  let parsed = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Temp dirs the suite removes in afterAll. */
export function tempDirs() {
  /** @type {string[]} */
  const dirs = [];
  return {
    make(prefix = 'plexarr-fake-') {
      const d = mkdtempSync(path.join(tmpdir(), prefix));
      dirs.push(d);
      return d;
    },
    cleanup() {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}

/**
 * The NZBGet download-client body a careful client sends (API-NOTES §1.5).
 * @param {string} name
 * @param {Record<string, unknown>} fields
 * @param {Record<string, unknown>} [top]
 */
export function nzbgetClient(name, fields, top = { enable: true, priority: 1 }) {
  return {
    name,
    implementation: 'Nzbget',
    configContract: 'NzbgetSettings',
    tags: [],
    ...top,
    fields: Object.entries(fields).map(([n, value]) => ({ name: n, value })),
  };
}

/** A resolve() for tests: `http://name:port/...` → the loopback URL registered for `name:port`. */
export function resolver() {
  /** @type {Map<string, string>} */
  const routes = new Map();
  /** @param {string} url */
  const resolve = (url) => {
    const u = new URL(url);
    const target = routes.get(u.host);
    return target ? `${target}${u.pathname === '/' ? '' : u.pathname}${u.search}` : url;
  };
  return { routes, resolve };
}

/** @param {{ propertyName: string, errorMessage: string }[]} failures */
export const failureList = (failures) => (Array.isArray(failures) ? failures.map((f) => `${f.propertyName}: ${f.errorMessage}`) : failures);
