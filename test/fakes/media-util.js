// Small helpers shared by the Plex, plex.tv, Seerr/Overseerr and Maintainerr fakes.
import { randomBytes } from 'node:crypto';

/**
 * A clock the tests can move forward: real time plus an offset, so timers elsewhere keep working.
 * @param {() => number} [base]
 * @returns {{ now: () => number, advance: (ms: number) => void }}
 */
export function createClock(base = Date.now) {
  let offset = 0;
  return {
    now: () => base() + offset,
    advance: (ms) => {
      offset += ms;
    },
  };
}

/** @param {number} bytes */
export function randomHex(bytes) {
  return randomBytes(bytes).toString('hex');
}

/** Plex-style tokens: 20 characters of [A-Za-z0-9_-]. */
export function plexToken() {
  return randomBytes(15).toString('base64url').slice(0, 20);
}

/**
 * A header (case-insensitive) or, as Plex allows, the same name as a query parameter.
 * @param {{ headers: Record<string, string | string[] | undefined>, searchParams?: URLSearchParams }} req
 * @param {string} name
 * @returns {string | undefined}
 */
export function headerOrQuery(req, name) {
  const h = req.headers[name.toLowerCase()];
  const value = Array.isArray(h) ? h[0] : h;
  if (value) return value;
  return req.searchParams?.get(name) ?? undefined;
}

/** @param {string} s */
function escapeXml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Serialises Plex-style JSON (`{MediaContainer:{…, Directory:[…]}}`) into the XML Plex sends by
 * default: scalars become attributes, arrays of objects and objects become child elements.
 * @param {string} name
 * @param {Record<string, unknown>} obj
 * @returns {string}
 */
export function toXmlElement(name, obj) {
  const attrs = [];
  const children = [];
  for (const [key, value] of Object.entries(obj)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) {
        if (item && typeof item === 'object') children.push(toXmlElement(key, /** @type {Record<string, unknown>} */ (item)));
      }
    } else if (typeof value === 'object') {
      children.push(toXmlElement(key, /** @type {Record<string, unknown>} */ (value)));
    } else {
      const v = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
      attrs.push(` ${key}="${escapeXml(v)}"`);
    }
  }
  const open = `<${name}${attrs.join('')}`;
  return children.length ? `${open}>\n${children.join('\n')}\n</${name}>` : `${open} />`;
}

/**
 * @param {Record<string, unknown>} doc one root key, e.g. `{ MediaContainer: {…} }`
 * @returns {string}
 */
export function toXml(doc) {
  const [root, value] = Object.entries(doc)[0] ?? ['MediaContainer', {}];
  return `<?xml version="1.0" encoding="UTF-8"?>\n${toXmlElement(root, /** @type {Record<string, unknown>} */ (value))}\n`;
}

/**
 * Whether the client asked for JSON (Plex and plex.tv answer XML unless told otherwise).
 * @param {{ headers: Record<string, string | string[] | undefined> }} req
 */
export function wantsJson(req) {
  const accept = req.headers.accept;
  return (Array.isArray(accept) ? accept.join(',') : (accept ?? '')).includes('application/json');
}

/**
 * Reads attributes of the single root element of a small XML document (Preferences.xml).
 * @param {string} xml
 * @returns {Record<string, string>}
 */
export function readRootAttributes(xml) {
  const m = /<Preferences\b([^>]*?)\/?>/.exec(xml);
  /** @type {Record<string, string>} */
  const attrs = {};
  if (!m?.[1]) return attrs;
  for (const a of m[1].matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
    attrs[/** @type {string} */ (a[1])] = /** @type {string} */ (a[2])
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  }
  return attrs;
}

/**
 * @param {Record<string, string>} attrs
 * @returns {string}
 */
export function preferencesXml(attrs) {
  const list = Object.entries(attrs).map(([k, v]) => ` ${k}="${escapeXml(v)}"`);
  return `<?xml version="1.0" encoding="utf-8"?>\n<Preferences${list.join('')}/>\n`;
}

/** @param {{ status: number }} res */
export const isOk = (res) => res.status >= 200 && res.status < 300;
