// Fake Nginx Proxy Manager 2.15 admin API (port 81; "npm-proxy" so it is not read as the package
// manager). Verified against a real server built from NginxProxyManager/nginx-proxy-manager
// (backend/setup.js, internal/token.js, internal/user.js, internal/host.js, internal/proxy-host.js,
// lib/access.js, lib/error.js, app.js, routes/users.js, schema/) — behaviours a naive client trips on:
// - The admin comes from INITIAL_ADMIN_EMAIL + INITIAL_ADMIN_PASSWORD at start (only when both are
//   set and no user exists), and that start logs the password in plain text ("Creating a new user:
//   <email> with password: <password>", kept in `state.containerLog`); otherwise `GET /api/` says
//   `setup: false` and `POST /api/users` works unauthenticated once, making that user an admin.
// - E-mail is stored as given but lower-cased (and trimmed) at login, so a stored capital never logs in.
// - Errors are `{error: {code, message}}`. A failed login is 400 (AuthError) "Invalid email or
//   password"; a bearer token it cannot verify (malformed, other keys) is 500 "Internal Error"; a
//   failed permission check — also no token at all — falls through to the API's catch-all 404
//   "Not Found - <path>" (its PermissionError is thrown without `new`, so `undefined` is thrown).
// - A user with two-factor authentication gets `{requires_2fa, challenge_token}` instead of a token.
// - Bodies are checked by ajv: unknown fields → 400 "data must NOT have additional properties".
// - A domain already used by any proxy, redirection or dead (404) host (case-insensitive) makes a
//   create or an update fail with 400 "<domain> is already in use"; domain_names are stored sorted.
// - PUT changes only the fields sent.
// The real server writes nginx configs with `http2 on|off;` and so needs nginx >= 1.25.1 (its own
// image has it); it runs `nginx -t` on each host config, which the fake does not.
// State is mirrored to <configDir>/npm-fake.json (the real app keeps its SQLite under /data).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveMediaFake } from './media-serve.js';
import { SCHEMAS, validate } from './npm-proxy-schema.js';

export const NPM_VERSION = { major: 2, minor: 15, revision: 1 };
const KINDS = /** @type {const} */ ({ 'proxy-hosts': 'proxyHosts', 'redirection-hosts': 'redirectionHosts', 'dead-hosts': 'deadHosts' });
/** The permission row a user gets per host kind; admins pass every check. */
const PERMISSION = /** @type {const} */ ({ proxyHosts: 'proxy_hosts', redirectionHosts: 'redirection_hosts', deadHosts: 'dead_hosts' });
const HOST_DEFAULTS = {
  ssl_forced: false,
  caching_enabled: false,
  block_exploits: false,
  allow_websocket_upgrade: false,
  http2_support: false,
  hsts_enabled: false,
  hsts_subdomains: false,
  trust_forwarded_proto: false,
  enabled: true,
  access_list_id: 0,
  certificate_id: 0,
  advanced_config: '',
};

const fail = (/** @type {number} */ code, /** @type {string} */ message) => ({ status: code, body: { error: { code, message } } });
const now = () => new Date().toISOString().replace('T', ' ').slice(0, 19);
/** Looks like a JWT, as the real tokens (RS256) do. */
const jwtLike = () =>
  ['eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9', randomBytes(48).toString('base64url'), randomBytes(32).toString('base64url')].join('.');

/**
 * @typedef {{ id: number, email: string, name: string, nickname: string, roles: string[], is_disabled: boolean, secret?: string, twoFactor?: boolean, permissions: Record<string, string> }} NpmUser
 * @typedef {{ id: number, domain_names: string[], [k: string]: unknown }} NpmHost
 */

/** @param {{ configDir?: string, env?: Record<string, string | undefined> }} options */
export function createNpmProxyApp(options) {
  const file = options.configDir ? join(options.configDir, 'npm-fake.json') : undefined;
  const state = {
    /** @type {NpmUser[]} */ users: [],
    /** @type {NpmHost[]} */ proxyHosts: [],
    /** @type {NpmHost[]} */ redirectionHosts: [],
    /** @type {NpmHost[]} */ deadHosts: [],
    /** What `docker logs npm` would show of the setup. @type {string[]} */ containerLog: [],
    /** token → who it was issued to (and for what). @type {Record<string, { userId: number, scope: string }>} */ tokens: {},
    nextId: 1,
  };

  function save() {
    if (!file || !options.configDir) return;
    mkdirSync(options.configDir, { recursive: true });
    writeFileSync(file, JSON.stringify(state, null, 1));
  }

  /** @param {{ email: string, name: string, nickname: string, roles?: string[], is_disabled?: boolean }} data @param {string | undefined} secret */
  function addUser(data, secret) {
    const admin = (data.roles ?? []).includes('admin');
    const manage = 'manage';
    /** @type {NpmUser} */
    const user = {
      id: state.users.length + 1,
      email: data.email,
      name: data.name,
      nickname: data.nickname,
      roles: data.roles ?? [],
      is_disabled: Boolean(data.is_disabled),
      secret,
      permissions: {
        visibility: admin ? 'all' : 'user',
        proxy_hosts: manage,
        redirection_hosts: manage,
        dead_hosts: manage,
        streams: manage,
        access_lists: manage,
        certificates: manage,
      },
    };
    state.users.push(user);
    save();
    return user;
  }

  /** Start-up: the env admin, only while no user exists. */
  function load() {
    if (file && existsSync(file)) Object.assign(state, JSON.parse(readFileSync(file, 'utf8')));
    const email = options.env?.INITIAL_ADMIN_EMAIL;
    const password = options.env?.INITIAL_ADMIN_PASSWORD;
    if (email && password && state.users.length === 0) {
      state.containerLog.push(`[Setup] › ℹ  info  Creating a new user: ${email} with password: ${password}`);
      addUser({ email, name: 'Administrator', nickname: 'Admin', roles: ['admin'] }, password);
      state.containerLog.push('[Setup] › ℹ  info  Initial admin setup completed');
    }
    save();
  }

  /** @param {NpmUser} u */
  const publicUser = (u) => ({
    id: u.id,
    created_on: now(),
    modified_on: now(),
    is_disabled: u.is_disabled,
    email: u.email,
    name: u.name,
    nickname: u.nickname,
    avatar: '//www.gravatar.com/avatar/00000000000000000000000000000000?default=mm',
    roles: u.roles,
    permissions: u.permissions,
  });

  /**
   * Who the bearer token belongs to, or the answer the real server gives instead.
   * @param {import('./media-serve.js').FakeRequest} req @param {'proxyHosts' | 'redirectionHosts' | 'deadHosts' | 'users'} kind @param {'view' | 'manage'} need
   * @returns {{ user: NpmUser } | { denied: import('./media-serve.js').FakeResponse }}
   */
  function access(req, kind, need) {
    const notFound = { denied: fail(404, `Not Found - ${req.path.replace(/^\/api/, '')}`) };
    const bearer = bearerOf(req);
    const token = bearer === undefined ? undefined : state.tokens[bearer];
    if (!token) return notFound;
    const user = state.users.find((u) => u.id === token.userId && !u.is_disabled);
    if (!user || token.scope !== 'user') return notFound;
    if (user.roles.includes('admin')) return { user };
    if (kind === 'users') return notFound;
    const level = user.permissions[PERMISSION[kind]];
    return level === 'manage' || (need === 'view' && level === 'view') ? { user } : notFound;
  }

  /** @param {import('./media-serve.js').FakeRequest} req */
  function bearerOf(req) {
    const [type, token] = String(req.headers.authorization ?? '').split(' ');
    return type === 'Bearer' && token ? token : undefined;
  }

  /** @param {string} domain @param {NpmHost | undefined} self */
  function takenBy(domain, self) {
    const all = [...state.proxyHosts, ...state.redirectionHosts, ...state.deadHosts];
    return all.some((h) => h !== self && h.domain_names.some((d) => d.toLowerCase() === domain.toLowerCase()));
  }

  /** @param {Record<string, any>} body */
  function login(body) {
    const checked = validate(SCHEMAS.token, body);
    if (!checked.ok) return fail(400, checked.message);
    const identity = String(checked.value.identity).toLowerCase().trim();
    const user = state.users.find((u) => u.email === identity && !u.is_disabled);
    if (!user || user.secret === undefined || user.secret !== checked.value.secret) return fail(400, 'Invalid email or password');
    if (user.twoFactor) {
      const challenge = jwtLike();
      state.tokens[challenge] = { userId: user.id, scope: '2fa-challenge' };
      return { status: 200, body: { requires_2fa: true, challenge_token: challenge } };
    }
    const token = jwtLike();
    state.tokens[token] = { userId: user.id, scope: 'user' };
    save();
    return { status: 200, body: { token, expires: new Date(Date.now() + 86_400_000).toISOString() } };
  }

  /** @param {import('./media-serve.js').FakeRequest} req */
  function createUser(req) {
    const body = /** @type {Record<string, any>} */ (req.body && typeof req.body === 'object' ? { ...req.body } : req.body);
    if (state.users.length === 0) {
      state.containerLog.push('[Users] › ℹ  info  Creating a new user in setup mode');
      Object.assign(body ?? {}, { is_disabled: false, roles: [...new Set([...(Array.isArray(body?.roles) ? body.roles : []), 'admin'])] });
    } else {
      const who = access(req, 'users', 'manage');
      if ('denied' in who) return who.denied;
    }
    const checked = validate(SCHEMAS.user, body);
    if (!checked.ok) return fail(400, checked.message);
    const { auth, ...data } = checked.value;
    const user = addUser(/** @type {any} */ (data), auth?.type === 'password' ? String(auth.secret) : undefined);
    return { status: 201, body: publicUser(user) };
  }

  /** @param {import('./media-serve.js').FakeRequest} req @param {keyof typeof KINDS} path */
  function createHost(req, path) {
    const kind = KINDS[path];
    const schema = kind === 'proxyHosts' ? SCHEMAS.proxyCreate : kind === 'deadHosts' ? SCHEMAS.deadCreate : SCHEMAS.redirectionCreate;
    const checked = validate(schema, req.body);
    if (!checked.ok) return fail(400, checked.message);
    const who = access(req, kind, 'manage');
    if ('denied' in who) return who.denied;
    const domains = /** @type {string[]} */ (checked.value.domain_names);
    const taken = domains.find((d) => takenBy(d, undefined));
    if (taken) return fail(400, `${taken} is already in use`);
    const stamp = now();
    /** @type {NpmHost} */
    const host = {
      ...HOST_DEFAULTS,
      locations: null,
      ...checked.value,
      id: state.nextId++,
      created_on: stamp,
      modified_on: stamp,
      owner_user_id: who.user.id,
      domain_names: [...domains].sort(),
      meta: { ...(checked.value.meta ?? {}), nginx_online: true, nginx_err: null },
    };
    state[kind].push(host);
    save();
    return { status: 201, body: { ...host, owner: publicUser(who.user), certificate: null, access_list: null } };
  }

  /** @param {import('./core/router.js').RoutedRequest} req */
  function updateProxyHost(req) {
    const checked = validate(SCHEMAS.proxyUpdate, req.body);
    if (!checked.ok) return fail(400, checked.message);
    const who = access(req, 'proxyHosts', 'manage');
    if ('denied' in who) return who.denied;
    const host = state.proxyHosts.find((h) => String(h.id) === req.params.id);
    if (!host) return fail(404, `Not Found - ${req.path.replace(/^\/api/, '')}`);
    const domains = /** @type {string[] | undefined} */ (checked.value.domain_names);
    const taken = domains?.find((d) => takenBy(d, host));
    if (taken) return fail(400, `${taken} is already in use`);
    Object.assign(host, checked.value, { modified_on: now() }, domains ? { domain_names: [...domains].sort() } : {});
    save();
    return { status: 200, body: { ...host, owner: publicUser(who.user), certificate: null, access_list: null } };
  }

  /**
   * @param {import('./media-serve.js').FakeRequest} req
   * @returns {Promise<import('./media-serve.js').FakeResponse>}
   */
  async function handle(req) {
    const path = req.path;
    if (req.method === 'GET' && path === '/api/')
      return { status: 200, body: { status: 'OK', setup: state.users.length > 0, version: NPM_VERSION } };
    if (req.method === 'POST' && path === '/api/tokens') return login(/** @type {any} */ (req.body));
    // Routes behind its jwt-decode step verify a bearer token before anything else; one it
    // cannot verify rejects without a status, which its error handler answers as a bare 500.
    const bearer = bearerOf(req);
    if (/^\/api\/(nginx|users)\//.test(`${path}/`) && bearer !== undefined && !state.tokens[bearer]) return fail(500, 'Internal Error');
    if (req.method === 'POST' && path === '/api/users') return createUser(req);
    const list = /^\/api\/nginx\/(proxy-hosts|redirection-hosts|dead-hosts)$/.exec(path);
    const kindPath = /** @type {keyof typeof KINDS | undefined} */ (list?.[1]);
    if (kindPath && req.method === 'GET') {
      const who = access(req, KINDS[kindPath], 'view');
      return 'denied' in who ? who.denied : { status: 200, body: state[KINDS[kindPath]] };
    }
    if (kindPath && req.method === 'POST') return createHost(req, kindPath);
    const one = /^\/api\/nginx\/proxy-hosts\/(\d+)$/.exec(path);
    if (one && req.method === 'PUT') return updateProxyHost({ ...req, params: { id: String(one[1]) } });
    return fail(404, `Not Found - ${path.replace(/^\/api/, '')}`);
  }

  return { state, handle, load };
}

/**
 * Starts the Nginx Proxy Manager fake (admin API only; the proxy ports 80/443 are not served).
 * @param {import('./media-serve.js').MediaFakeOptions} [options]
 */
export async function startNpmProxy(options = {}) {
  const app = createNpmProxyApp(options);
  app.load();
  return serveMediaFake({
    ...options,
    name: 'npm',
    state: app.state,
    handler: app.handle,
    errorBody: () => ({ error: { code: 500, message: 'Internal Error' } }),
  });
}
