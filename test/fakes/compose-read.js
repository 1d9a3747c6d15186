// Reads a compose file the way `docker compose` would for the parts the fakes need: `.env`
// interpolation, each service's image, environment, bind volumes and published ports.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/**
 * `.env` as Compose reads it: KEY=VALUE lines, `#` comments, optional `export `, quotes stripped.
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseEnvFile(text) {
  /** @type {Record<string, string>} */
  const vars = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = /** @type {string} */ (m[2]).trim();
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted)
      value =
        quoted[1] === '"'
          ? /** @type {string} */ (quoted[2]).replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1')
          : /** @type {string} */ (quoted[2]);
    else value = value.replace(/\s+#.*$/, '');
    vars[/** @type {string} */ (m[1])] = value;
  }
  return vars;
}

/**
 * Compose interpolation: `$$` → `$`, `${VAR}`, `$VAR`, `${VAR:-default}` (unset or empty),
 * `${VAR-default}` (unset), `${VAR:?err}` / `${VAR?err}` (throw), `${VAR:+alt}` / `${VAR+alt}`.
 * @param {string} value
 * @param {Record<string, string | undefined>} vars
 * @returns {string}
 */
export function interpolate(value, vars) {
  return value.replace(
    /\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (whole, dollar, name, colon, op, arg, bare) => {
      if (dollar === '$') return '$';
      if (bare) return vars[bare] ?? '';
      const v = vars[name];
      const missing = colon ? v === undefined || v === '' : v === undefined;
      if (!op) return v ?? '';
      if (op === '-') return missing ? interpolate(arg ?? '', vars) : /** @type {string} */ (v);
      if (op === '+') return missing ? '' : interpolate(arg ?? '', vars);
      if (missing) throw new Error(`required variable ${name} is missing a value: ${arg || whole}`);
      return /** @type {string} */ (v);
    },
  );
}

/** @param {unknown} node @param {Record<string, string | undefined>} vars @returns {unknown} */
function interpolateDeep(node, vars) {
  if (typeof node === 'string') return interpolate(node, vars);
  if (Array.isArray(node)) return node.map((n) => interpolateDeep(n, vars));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateDeep(v, vars)]));
  return node;
}

/**
 * @typedef {{ source: string, target: string }} BindMount
 * @typedef {{ published: number | undefined, target: number, protocol: 'tcp'|'udp', hostIp: string | undefined }} PortMapping
 * @typedef {object} ComposeService
 * @property {string} service the key under `services:`
 * @property {string} container container_name, or the service key
 * @property {string} image without tag or digest
 * @property {Record<string, string>} environment
 * @property {BindMount[]} volumes bind mounts with absolute host paths (named volumes left out)
 * @property {PortMapping[]} ports
 */

/** @param {unknown} env @returns {Record<string, string>} */
function environmentOf(env) {
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env
        .map((e) => String(e))
        .map((e) => (e.includes('=') ? [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] : [e, process.env[e] ?? ''])),
    );
  }
  if (env && typeof env === 'object')
    return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null || v === undefined ? (process.env[k] ?? '') : String(v)]));
  return {};
}

/** @param {unknown} volumes @param {string} baseDir @returns {BindMount[]} */
function volumesOf(volumes, baseDir) {
  /** @type {BindMount[]} */
  const out = [];
  for (const v of Array.isArray(volumes) ? volumes : []) {
    let source;
    let target;
    if (typeof v === 'string') {
      const parts = v.split(':');
      if (parts.length < 2) continue;
      [source, target] = parts;
    } else if (v && typeof v === 'object') {
      const long = /** @type {{ type?: string, source?: string, target?: string }} */ (v);
      if ((long.type ?? 'bind') !== 'bind') continue;
      source = long.source;
      target = long.target;
    }
    // Named volumes (no path separator) have no host directory the fakes could use.
    if (!source || !target || !(source.startsWith('/') || source.startsWith('.'))) continue;
    out.push({ source: path.resolve(baseDir, source), target: path.posix.normalize(target) });
  }
  return out;
}

/** @param {unknown} ports @returns {PortMapping[]} */
function portsOf(ports) {
  /** @type {PortMapping[]} */
  const out = [];
  for (const p of Array.isArray(ports) ? ports : []) {
    if (typeof p === 'number' || typeof p === 'string') {
      const [spec, proto] = String(p).split('/');
      const parts = (spec ?? '').split(':');
      const target = Number(parts.pop());
      const published = parts.length ? Number(parts.pop()) : undefined;
      const hostIp = parts.length ? parts.join(':') : undefined;
      out.push({ published, target, protocol: proto === 'udp' ? 'udp' : 'tcp', hostIp });
    } else if (p && typeof p === 'object') {
      const o = /** @type {any} */ (p);
      out.push({
        published: o.published === undefined ? undefined : Number(o.published),
        target: Number(o.target),
        protocol: o.protocol === 'udp' ? 'udp' : 'tcp',
        hostIp: o.host_ip,
      });
    }
  }
  return out;
}

/** @param {string} image */
export const imageName = (image) => image.replace(/@sha256:[0-9a-f]+$/, '').replace(/:[^/:]+$/, '');

/**
 * @param {{ composeFile: string, envFile?: string, env?: Record<string, string | undefined> }} options
 *   `env` stands for the shell environment, which beats `.env` as in Compose (default process.env)
 * @returns {{ services: ComposeService[], vars: Record<string, string | undefined> }}
 */
export function readCompose(options) {
  const composeFile = path.resolve(options.composeFile);
  const envFile = options.envFile ?? path.join(path.dirname(composeFile), '.env');
  /** @type {Record<string, string>} */
  let fileVars = {};
  try {
    fileVars = parseEnvFile(readFileSync(envFile, 'utf8'));
  } catch (e) {
    if (options.envFile) throw e;
  }
  const vars = { ...fileVars, ...(options.env ?? process.env) };
  const doc = /** @type {any} */ (interpolateDeep(YAML.parse(readFileSync(composeFile, 'utf8')), vars));
  const baseDir = path.dirname(composeFile);
  const services = Object.entries(doc?.services ?? {}).map(([service, def]) => {
    const d = /** @type {any} */ (def ?? {});
    return {
      service,
      container: String(d.container_name ?? service),
      image: imageName(String(d.image ?? '')),
      environment: environmentOf(d.environment),
      volumes: volumesOf(d.volumes, baseDir),
      ports: portsOf(d.ports),
    };
  });
  return { services, vars };
}

/**
 * container path → host path through the service's bind mounts (longest target wins).
 * @param {BindMount[]} volumes
 * @returns {(containerPath: string) => string | undefined}
 */
export function pathMapFor(volumes) {
  const sorted = [...volumes].sort((a, b) => b.target.length - a.target.length);
  return (containerPath) => {
    const p = path.posix.normalize(containerPath);
    for (const v of sorted) {
      if (p === v.target) return v.source;
      if (p.startsWith(v.target === '/' ? '/' : `${v.target}/`)) return path.join(v.source, p.slice(v.target.length));
    }
    return undefined;
  };
}
