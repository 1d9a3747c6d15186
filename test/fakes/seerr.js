// Fake Overseerr 1.34 / Seerr 3.x (API-NOTES §4, §0 traps 9–11). One app, two variants:
// Overseerr reads its key from <configDir>/settings.json `main.apiKey` (generated when empty);
// Seerr also honours env API_KEY and records `main.mediaServerType` on the first Plex login.
//
// Verified against a real Seerr 3 built from its source (issue 9, both variants share the code):
// - a settings save writes settings.json.tmp and renames it; a save that overlaps the previous
//   one fails its rename inside an async route and that request is never answered
//   (`state.quirks.overlappingSaveHangs`, on by default);
// - `/settings/{radarr,sonarr}/test` answers from a per-URL cache for an hour (seerr-servarr.js),
//   and saves nothing (server/routes/settings/radarr.ts, sonarr.ts): it may overlap a save;
// - `GET /settings/plex/library?sync=true` answers 200 [] and clears the list when Plex is unreachable;
// - `HEAD /api/v1/status` is 405 (the OpenAPI validator knows no HEAD; the image's busybox
//   `wget --spider` health check sends GET);
// - Seerr: a Plex token plex.tv refuses on `POST /auth/plex` gives 500 "Unable to authenticate.",
//   the success body has no email/plexId, and `/settings/main` has no csrfProtection/trustProxy/
//   region (those moved to `network`) but discoverRegion, streamingRegion, blacklisted tags, ….
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isOk } from './media-util.js';
import { serveMediaFake } from './media-serve.js';
import { callJson } from './core/index.js';
import { openApiFront } from './seerr-openapi.js';
import { createServarrSettings } from './seerr-servarr.js';
import { deepMerge, defaultSettings, generateApiKey, MEDIA_SERVER } from './seerr-settings.js';

export const SPEC_FILES = { overseerr: 'overseerr.openapi.yml', seerr: 'seerr.openapi.yml' };

const PERMISSION_ADMIN = 2;
const FORBIDDEN = { status: 403, body: { status: 403, error: 'You do not have permission to access this endpoint' } };
/** How long a settings save (temp file written, then renamed) is in progress. */
const SAVE_MS = 25;

/**
 * @typedef {{ id: number, email: string, plexUsername: string, plexId: number, plexToken: string, permissions: number, avatar: string, userType: number, createdAt: string, updatedAt: string }} User
 */

/**
 * @param {{ variant?: 'seerr'|'overseerr', env?: Record<string,string>, configDir?: string, resolve?: (url: string) => string, plexTvUrl?: string }} options
 */
export function createSeerrApp(options) {
  const variant = options.variant ?? 'seerr';
  const env = options.env ?? {};
  const resolve = options.resolve ?? ((u) => u);
  const plexTvUrl = (options.plexTvUrl ?? env.PLEXARR_PLEX_TV_URL ?? 'https://plex.tv').replace(/\/$/, '');
  const settingsPath = options.configDir ? join(options.configDir, 'settings.json') : undefined;
  const usersPath = options.configDir ? join(options.configDir, 'db', 'fake-users.json') : undefined;

  const state = {
    variant,
    settings: defaultSettings(variant),
    /** @type {User[]} */ users: [],
    /** @type {Record<string, number>} session id → user id */ sessions: {},
    quirks: { overlappingSaveHangs: true },
  };
  /** The request whose route is running: a save marks it (another request's save does not). */
  const current = new AsyncLocalStorage();
  let saving = 0;

  function save() {
    const request = current.getStore();
    if (request) request.saved = true;
    if (!settingsPath || !options.configDir) return;
    mkdirSync(options.configDir, { recursive: true });
    writeFileSync(settingsPath, JSON.stringify(state.settings, null, 1));
  }
  function saveUsers() {
    if (!usersPath || !options.configDir) return;
    mkdirSync(join(options.configDir, 'db'), { recursive: true });
    writeFileSync(usersPath, JSON.stringify(state.users));
  }

  function load() {
    if (settingsPath && existsSync(settingsPath)) deepMerge(state.settings, JSON.parse(readFileSync(settingsPath, 'utf8')));
    if (usersPath && existsSync(usersPath)) state.users = JSON.parse(readFileSync(usersPath, 'utf8'));
    const main = state.settings.main;
    // Seerr: env API_KEY overrides a different stored key at load, and is used when generating.
    if (variant === 'seerr' && env.API_KEY && main.apiKey !== env.API_KEY) main.apiKey = env.API_KEY;
    if (!main.apiKey) main.apiKey = generateApiKey();
    save();
  }

  /** @param {User} u */
  function userJson(u) {
    return {
      id: u.id,
      email: u.email,
      plexUsername: u.plexUsername,
      username: '',
      displayName: u.plexUsername,
      plexId: u.plexId,
      userType: u.userType,
      permissions: u.permissions,
      avatar: u.avatar,
      movieQuotaLimit: null,
      movieQuotaDays: null,
      tvQuotaLimit: null,
      tvQuotaDays: null,
      createdAt: u.createdAt,
      updatedAt: u.updatedAt,
      requestCount: 0,
    };
  }

  /** checkUser: X-Api-Key acts as user 1 (or X-API-User); otherwise the session cookie. */
  /** @param {import('./media-serve.js').FakeRequest} req */
  function currentUser(req) {
    const key = req.headers['x-api-key'];
    if (key && key === state.settings.main.apiKey) {
      const asUser = req.headers['x-api-user'];
      const id = asUser ? Number(asUser) : 1;
      return state.users.find((u) => u.id === id);
    }
    const cookie = String(req.headers.cookie ?? '');
    const sid = /connect\.sid=([^;]+)/.exec(cookie)?.[1];
    const userId = sid ? state.sessions[decodeURIComponent(sid)] : undefined;
    return state.users.find((u) => u.id === userId);
  }

  /** @param {number} status @param {string} message */
  const fail = (status, message) => ({ status, body: { message } });
  const servarrRoutes = createServarrSettings({ resolve, save });

  /** @param {string} token */
  async function plexTvAccount(token) {
    const res = await callJson(`${plexTvUrl}/users/account.json`, {
      headers: { 'X-Plex-Token': token, 'X-Plex-Client-Identifier': state.settings.clientId, Accept: 'application/json' },
    });
    const user = /** @type {{ id: number, email: string, username: string, thumb: string, authToken: string } | undefined} */ (
      res.body?.user
    );
    return isOk(res) && user ? user : undefined;
  }

  /** @param {import('./media-serve.js').FakeRequest} req */
  async function authPlex(req) {
    const body = /** @type {{ authToken?: string }} */ (req.body ?? {});
    if (!body.authToken) return fail(500, 'Authentication token required.');
    const main = state.settings.main;
    if (
      variant === 'seerr' &&
      main.mediaServerType !== MEDIA_SERVER.NOT_CONFIGURED &&
      (main.mediaServerLogin === false || main.mediaServerType !== MEDIA_SERVER.PLEX)
    ) {
      return { status: 500, body: { error: 'Plex login is disabled' } };
    }
    const account = await plexTvAccount(body.authToken);
    if (!account) return fail(500, variant === 'seerr' ? 'Unable to authenticate.' : 'Something went wrong.');
    const now = new Date().toISOString();
    let user = state.users.find((u) => u.plexId === account.id || u.email === account.email.toLowerCase());
    if (!user && state.users.length === 0) {
      user = {
        id: 1,
        email: account.email.toLowerCase(),
        plexUsername: account.username,
        plexId: account.id,
        plexToken: account.authToken,
        permissions: PERMISSION_ADMIN,
        avatar: account.thumb,
        userType: 1,
        createdAt: now,
        updatedAt: now,
      };
      state.users.push(user);
      if (variant === 'seerr') {
        main.mediaServerType = MEDIA_SERVER.PLEX;
        save();
      }
    } else if (user) {
      user.plexToken = account.authToken;
      user.updatedAt = now;
    } else {
      // Other accounts need access to the configured Plex server; the fake shares no servers.
      return fail(403, 'Access denied.');
    }
    saveUsers();
    const sid = randomBytes(16).toString('hex');
    state.sessions[sid] = user.id;
    // Seerr sends user.filter(): the fields only the user themself may see are left out.
    const { email: _email, plexId: _plexId, ...filtered } = userJson(user);
    const shown = variant === 'seerr' ? filtered : userJson(user);
    return {
      status: 200,
      headers: { 'set-cookie': `connect.sid=${encodeURIComponent(sid)}; Path=/; HttpOnly; SameSite=Lax` },
      body: shown,
    };
  }

  /** The PlexAPI client Overseerr builds from settings.plex + the admin's plexToken. */
  /** @param {string} path */
  async function plexGet(path) {
    const admin = state.users.find((u) => u.id === 1);
    if (!admin) return undefined;
    const { ip, port, useSsl } = state.settings.plex;
    const base = resolve(`${useSsl ? 'https' : 'http'}://${ip}:${port}`).replace(/\/$/, '');
    const res = await callJson(`${base}${path}`, { headers: { 'X-Plex-Token': admin.plexToken, Accept: 'application/json' } });
    return isOk(res) ? res.body : undefined;
  }

  /** @param {import('./media-serve.js').FakeRequest} req */
  async function postPlex(req) {
    const plex = state.settings.plex;
    // Object.assign before the test: a failed connection leaves the new values in memory, unsaved.
    Object.assign(plex, req.body);
    const status = await plexGet('/');
    const mc = status?.MediaContainer;
    if (!mc?.machineIdentifier) return fail(500, 'Unable to connect to Plex.');
    Object.assign(plex, { machineId: mc.machineIdentifier, name: mc.friendlyName });
    save();
    return { status: 200, body: plex };
  }

  /** @param {import('./media-serve.js').FakeRequest} req */
  async function plexLibrary(req) {
    const plex = state.settings.plex;
    // An unreachable Plex reads as no libraries at all: the list is cleared and 200 [] comes back.
    if (req.searchParams.get('sync')) {
      const sections = await plexGet('/library/sections');
      const dirs = /** @type {{ key: string, title: string, type: string, agent: string }[] | undefined} */ (
        sections?.MediaContainer?.Directory
      );
      plex.libraries = (dirs ?? [])
        .filter((l) => l.type === 'movie' || l.type === 'show')
        .filter((l) => l.agent !== 'com.plexapp.agents.none')
        .map((l) => ({
          id: l.key,
          name: l.title,
          enabled: plex.libraries.find((e) => e.id === l.key && e.name === l.title)?.enabled ?? false,
          type: l.type,
        }));
    }
    // Overseerr's trap: every library not listed in `enable` (even with no `enable` at all) is disabled.
    const enabled = req.searchParams.get('enable')?.split(',') ?? [];
    plex.libraries = plex.libraries.map((l) => ({ ...l, enabled: enabled.includes(l.id) }));
    save();
    return { status: 200, body: plex.libraries };
  }

  function publicSettings() {
    const s = state.settings;
    return {
      initialized: s.public.initialized,
      applicationTitle: s.main.applicationTitle,
      applicationUrl: s.main.applicationUrl,
      localLogin: s.main.localLogin,
      hideAvailable: s.main.hideAvailable,
      partialRequestsEnabled: s.main.partialRequestsEnabled,
      locale: s.main.locale,
      ...(variant === 'seerr' ? { mediaServerType: s.main.mediaServerType } : {}),
    };
  }

  /**
   * Routes relative to /api/v1, after the body was validated against the spec.
   * @param {import('./media-serve.js').FakeRequest} req
   * @returns {Promise<import('./media-serve.js').FakeResponse>}
   */
  async function route(req) {
    const path = req.path.replace(/^\/api\/v1/, '').replace(/\/$/, '') || '/';
    const { method } = req;
    if (path === '/status' && method === 'GET') {
      return {
        status: 200,
        body: {
          version: variant === 'seerr' ? '3.1.0' : '1.34.0',
          commitTag: 'local',
          updateAvailable: false,
          commitsBehind: 0,
          restartRequired: false,
        },
      };
    }
    if (path === '/status/appdata' && method === 'GET') {
      return { status: 200, body: { appData: true, appDataPath: variant === 'seerr' ? '/app/config' : '/config' } };
    }
    if (path === '/settings/public' && method === 'GET') return { status: 200, body: publicSettings() };
    if (path === '/auth/plex' && method === 'POST') return authPlex(req);

    const user = currentUser(req);
    if (path === '/auth/me' && method === 'GET') return user ? { status: 200, body: userJson(user) } : FORBIDDEN;
    if (!path.startsWith('/settings/')) return fail(501, `${method} ${req.path} is not implemented by the fake`);
    if (!user || (user.permissions & PERMISSION_ADMIN) === 0) return FORBIDDEN;

    const s = state.settings;
    const parts = path.split('/').slice(2);
    const [area, a1, a2] = parts;
    if (area === 'main' && !a1 && method === 'GET') return { status: 200, body: s.main };
    if (area === 'main' && !a1 && method === 'POST') {
      deepMerge(s.main, req.body);
      save();
      return { status: 200, body: s.main };
    }
    if (area === 'main' && a1 === 'regenerate' && method === 'POST') {
      s.main.apiKey = variant === 'seerr' && env.API_KEY ? env.API_KEY : generateApiKey();
      save();
      return { status: 200, body: s.main };
    }
    if (area === 'plex' && !a1 && method === 'GET') return { status: 200, body: s.plex };
    if (area === 'plex' && !a1 && method === 'POST') return postPlex(req);
    if (area === 'plex' && a1 === 'library' && method === 'GET') return plexLibrary(req);
    if (area === 'plex' && a1 === 'sync')
      return { status: 200, body: { running: false, progress: 0, total: 0, libraries: s.plex.libraries.filter((l) => l.enabled) } };
    if ((area === 'radarr' || area === 'sonarr') && parts.length <= 3) return servarrRoutes(area, state.settings[area], req, a1, a2);
    if (area === 'about' && !a1 && method === 'GET') {
      return {
        status: 200,
        body: {
          version: variant === 'seerr' ? '3.1.0' : '1.34.0',
          totalRequests: 0,
          totalMediaItems: 0,
          tz: env.TZ ?? 'UTC',
          appDataPath: variant === 'seerr' ? '/app/config' : '/config',
        },
      };
    }
    if (area === 'initialize' && method === 'POST') {
      s.public.initialized = true;
      save();
      return { status: 200, body: { initialized: true } };
    }
    return fail(501, `${method} ${req.path} is not implemented by the fake`);
  }

  /**
   * The route, then the settings save it made: the save is in progress for SAVE_MS, and a request
   * whose save starts meanwhile never gets an answer (its change stays in memory, unsaved).
   * @param {import('./media-serve.js').FakeRequest} req
   * @returns {Promise<import('./media-serve.js').FakeResponse>}
   */
  async function routeAndSave(req) {
    const request = { saved: false };
    const out = await current.run(request, () => route(req));
    if (!request.saved) return out;
    if (saving > 0 && state.quirks.overlappingSaveHangs) return new Promise(() => undefined);
    saving += 1;
    await sleep(SAVE_MS);
    saving -= 1;
    return out;
  }

  return { state, route: routeAndSave, load };
}

/**
 * Starts the Seerr (`variant: 'seerr'`, default) or Overseerr fake.
 * @param {import('./media-serve.js').MediaFakeOptions & { variant?: 'seerr'|'overseerr' }} [options]
 */
export async function startSeerr(options = {}) {
  const variant = options.variant ?? 'seerr';
  const app = createSeerrApp({ ...options, variant });
  app.load();
  const handler = openApiFront(SPEC_FILES[variant], app.route);
  return serveMediaFake({ ...options, name: variant, state: app.state, handler, errorBody: () => ({ message: 'Internal Server Error' }) });
}

/** @param {import('./media-serve.js').MediaFakeOptions} [options] */
export function startOverseerr(options = {}) {
  return startSeerr({ ...options, variant: 'overseerr' });
}
