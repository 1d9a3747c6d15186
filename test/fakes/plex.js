// Fake Plex Media Server (API-NOTES §3): claim on start like the container's init script,
// `/identity` without a token, libraries list/create with the real agent/scanner pairs, server
// preferences (`/:/prefs`, see plex-prefs.js).
//
// Token rule: the server token (PlexOnlineToken, produced by the claim) is accepted, and so is
// any token plex.tv says belongs to the owner account — that is how Overseerr/Seerr and
// Maintainerr talk to a claimed server with the user's account token. Like PMS, unknown tokens
// are checked with plex.tv once and the verdict cached. An unclaimed server accepts no token.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { headerOrQuery, isOk, preferencesXml, readRootAttributes, toXml, wantsJson } from './media-util.js';
import { PMS_VERSION } from './plextv.js';
import { serveMediaFake } from './media-serve.js';
import { callJson } from './core/index.js';
import { prefsRoute } from './plex-prefs.js';

/** type → the one agent/scanner pair current PMS offers for it (python-plexapi add()). */
export const SECTION_KINDS = {
  movie: { agent: 'tv.plex.agents.movie', scanner: 'Plex Movie' },
  show: { agent: 'tv.plex.agents.series', scanner: 'Plex TV Series' },
  artist: { agent: 'tv.plex.agents.music', scanner: 'Plex Music' },
  photo: { agent: 'com.plexapp.agents.none', scanner: 'Plex Photo Scanner' },
};

export const PREFERENCES_RELATIVE = 'Library/Application Support/Plex Media Server/Preferences.xml';

/**
 * @typedef {{ key: string, type: string, title: string, agent: string, scanner: string, language: string, uuid: string, createdAt: number, locations: string[] }} Section
 */

/**
 * @param {{ env?: Record<string,string>, configDir?: string, pathMap?: (p: string) => string | undefined, plexTvUrl?: string, friendlyName?: string }} options
 */
export function createPlexApp(options) {
  const env = options.env ?? {};
  const plexTvUrl = (options.plexTvUrl ?? env.PLEXARR_PLEX_TV_URL ?? 'https://plex.tv').replace(/\/$/, '');
  const prefsPath = options.configDir ? join(options.configDir, PREFERENCES_RELATIVE) : undefined;
  // PMS keeps libraries in its database under the config dir; the fake keeps them in a JSON file beside it.
  const sectionsPath = prefsPath ? join(dirname(prefsPath), 'fake-library-sections.json') : undefined;
  const state = {
    /** @type {Record<string,string>} */ preferences: {},
    /** what happened to PLEX_CLAIM at start: the init script only logs a failure */
    claim: /** @type {{ attempted: boolean, ok: boolean, message: string }} */ ({ attempted: false, ok: false, message: 'not attempted' }),
    /** @type {Section[]} */ sections: [],
    /** @type {string[]} section keys ('all' for every section) refreshed, in order */ refreshes: [],
    /** @type {Record<string, boolean>} token → accepted (plex.tv verdicts cached) */ tokenVerdicts: {},
    ownerAccountId: /** @type {number | undefined} */ (undefined),
    nextSectionKey: 1,
  };

  function savePreferences() {
    if (!prefsPath) return;
    mkdirSync(dirname(prefsPath), { recursive: true });
    writeFileSync(prefsPath, preferencesXml(state.preferences));
  }

  function saveSections() {
    if (!sectionsPath) return;
    mkdirSync(dirname(sectionsPath), { recursive: true });
    writeFileSync(sectionsPath, JSON.stringify({ nextSectionKey: state.nextSectionKey, sections: state.sections }));
  }
  function loadSections() {
    if (!sectionsPath || !existsSync(sectionsPath)) return;
    Object.assign(state, JSON.parse(readFileSync(sectionsPath, 'utf8')));
  }

  /** First boot: PMS writes Preferences.xml with its identifiers (linuxserver boots once for this). */
  function loadPreferences() {
    if (prefsPath && existsSync(prefsPath)) state.preferences = readRootAttributes(readFileSync(prefsPath, 'utf8'));
    const p = state.preferences;
    let changed = false;
    if (!p.MachineIdentifier) {
      p.MachineIdentifier = randomUUID();
      changed = true;
    }
    if (!p.ProcessedMachineIdentifier) {
      p.ProcessedMachineIdentifier = createHash('sha1').update(p.MachineIdentifier).digest('hex');
      changed = true;
    }
    if (changed) savePreferences();
  }

  /** The init-plex-claim step: only when PLEX_CLAIM is set and no PlexOnlineToken is stored. */
  async function claimIfAsked() {
    const claim = env.PLEX_CLAIM;
    if (!claim || state.preferences.PlexOnlineToken) return;
    state.claim = { attempted: true, ok: false, message: '' };
    const url = `${plexTvUrl}/api/claim/exchange?token=${encodeURIComponent(claim)}`;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'X-Plex-Client-Identifier': state.preferences.ProcessedMachineIdentifier ?? '',
          'X-Plex-Product': 'Plex Media Server',
          'X-Plex-Version': '1.1',
          'X-Plex-Provides': 'server',
          'X-Plex-Platform': 'Linux',
          'X-Plex-Device-Name': friendlyName(),
        },
        signal: AbortSignal.timeout(10000),
      });
      const text = await res.text();
      const token = /<authentication-token>(.*)<\/authentication-token>/.exec(text)?.[1];
      if (!token) {
        state.claim.message = `claim exchange failed: HTTP ${res.status}`;
        return;
      }
      state.preferences.PlexOnlineToken = token;
      const username = /username="([^"]*)"/.exec(text)?.[1];
      if (username) state.preferences.PlexOnlineUsername = username;
      savePreferences();
      state.claim = { attempted: true, ok: true, message: 'claimed' };
    } catch (e) {
      state.claim.message = `claim exchange failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  const friendlyName = () => state.preferences.FriendlyName ?? options.friendlyName ?? 'plex';
  const claimed = () => Boolean(state.preferences.PlexOnlineToken);

  /** @param {string} token */
  async function accountIdOf(token) {
    const res = await callJson(`${plexTvUrl}/api/v2/user`, { headers: { 'X-Plex-Token': token, Accept: 'application/json' } });
    const id = res.body?.id;
    return isOk(res) && typeof id === 'number' ? id : undefined;
  }

  /** @param {string | undefined} token */
  async function tokenAccepted(token) {
    const serverToken = state.preferences.PlexOnlineToken;
    if (!token || !serverToken) return false;
    if (token === serverToken) return true;
    if (state.tokenVerdicts[token]) return true;
    state.ownerAccountId ??= await accountIdOf(serverToken);
    const ok = state.ownerAccountId !== undefined && (await accountIdOf(token)) === state.ownerAccountId;
    // Only a yes is cached: an account registered on plex.tv later must still be able to get in.
    if (ok) state.tokenVerdicts[token] = true;
    return ok;
  }

  /** @param {Section} s */
  function sectionJson(s) {
    return {
      allowSync: true,
      art: `/:/resources/${s.type}-fanart.jpg`,
      composite: `/library/sections/${s.key}/composite/${Math.floor(s.createdAt / 1000)}`,
      filters: true,
      refreshing: false,
      thumb: `/:/resources/${s.type}.png`,
      key: s.key,
      type: s.type,
      title: s.title,
      agent: s.agent,
      scanner: s.scanner,
      language: s.language,
      uuid: s.uuid,
      updatedAt: Math.floor(s.createdAt / 1000),
      createdAt: Math.floor(s.createdAt / 1000),
      scannedAt: Math.floor(s.createdAt / 1000),
      content: true,
      directory: true,
      contentChangedAt: 0,
      hidden: 0,
      Location: s.locations.map((path, i) => ({ id: Number(s.key) * 100 + i, path })),
    };
  }

  /** @param {import('./media-serve.js').FakeRequest} req @param {Record<string, unknown>} container */
  function mediaContainer(req, container, status = 200) {
    const doc = { MediaContainer: container };
    return wantsJson(req) ? { status, body: doc } : { status, headers: { 'content-type': 'application/xml' }, body: toXml(doc) };
  }

  /** PMS answers errors with a tiny HTML page. */
  /** @param {number} status @param {string} title */
  const htmlError = (status, title) => ({
    status,
    headers: { 'content-type': 'text/html' },
    body: `<html><head><title>${title}</title></head><body><h1>${status} ${title}</h1></body></html>`,
  });

  /** @param {string} containerPath */
  function locationExists(containerPath) {
    if (!containerPath.startsWith('/')) return false;
    const hostPath = options.pathMap ? options.pathMap(containerPath) : containerPath;
    if (!hostPath) return false;
    try {
      return statSync(hostPath).isDirectory();
    } catch {
      return false;
    }
  }

  /** @param {import('./media-serve.js').FakeRequest} req */
  function createSection(req) {
    const q = req.searchParams;
    const name = q.get('name') ?? '';
    const type = q.get('type') ?? '';
    const agent = q.get('agent') ?? '';
    const scanner = q.get('scanner') ?? '';
    const language = q.get('language') ?? 'en-US';
    const locations = q.getAll('location');
    const kind = /** @type {Record<string, {agent: string, scanner: string}>} */ (SECTION_KINDS)[type];
    if (!name || !kind || locations.length === 0) return htmlError(400, 'Bad Request');
    if (agent !== kind.agent || scanner !== kind.scanner) return htmlError(400, 'Bad Request');
    if (!locations.every(locationExists)) return htmlError(400, 'Bad Request');
    const section = {
      key: String(state.nextSectionKey++),
      type,
      title: name,
      agent,
      scanner,
      language,
      uuid: randomUUID(),
      createdAt: Date.now(),
      locations,
    };
    state.sections.push(section);
    saveSections();
    return mediaContainer(req, { size: 1, Directory: [sectionJson(section)] });
  }

  /**
   * @param {import('./media-serve.js').FakeRequest} req
   * @returns {Promise<import('./media-serve.js').FakeResponse>}
   */
  async function handle(req) {
    const { path } = req;
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const p = state.preferences;
    if (path === '/identity' && method === 'GET') {
      return mediaContainer(req, {
        size: 0,
        apiVersion: '1.1.1',
        claimed: claimed(),
        machineIdentifier: p.ProcessedMachineIdentifier,
        version: PMS_VERSION,
      });
    }
    if (!(await tokenAccepted(headerOrQuery(req, 'X-Plex-Token')))) return htmlError(401, 'Unauthorized');

    if (path === '/' && method === 'GET') {
      return mediaContainer(req, {
        size: 0,
        allowCameraUpload: false,
        claimed: claimed(),
        friendlyName: friendlyName(),
        machineIdentifier: p.ProcessedMachineIdentifier,
        myPlex: true,
        myPlexUsername: p.PlexOnlineUsername ?? '',
        myPlexSigninState: 'ok',
        platform: 'Linux',
        version: PMS_VERSION,
      });
    }
    const prefs = prefsRoute(req, p, savePreferences, (c) => mediaContainer(req, c), htmlError);
    if (prefs) return /** @type {import('./media-serve.js').FakeResponse} */ (prefs);
    if (path === '/library/sections' && method === 'GET') {
      return mediaContainer(req, {
        size: state.sections.length,
        allowSync: false,
        title1: 'Plex Library',
        Directory: state.sections.map(sectionJson),
      });
    }
    if (path === '/library/sections' && method === 'POST') return createSection(req);
    if (path === '/library/sections/all/refresh' && (method === 'GET' || method === 'POST')) {
      state.refreshes.push('all');
      return { status: 200, body: '' };
    }
    const m = /^\/library\/sections\/(\d+)(\/refresh)?$/.exec(path);
    const section = m ? state.sections.find((s) => s.key === m[1]) : undefined;
    if (m && !section) return htmlError(404, 'Not Found');
    if (m && section && m[2] && (method === 'GET' || method === 'POST')) {
      state.refreshes.push(section.key);
      return { status: 200, body: '' };
    }
    if (m && section && !m[2] && method === 'GET') {
      return mediaContainer(req, {
        size: 0,
        librarySectionID: Number(section.key),
        librarySectionTitle: section.title,
        title1: section.title,
        viewGroup: section.type,
        Metadata: [],
      });
    }
    if (m && section && !m[2] && method === 'DELETE') {
      state.sections = state.sections.filter((s) => s !== section);
      saveSections();
      return { status: 200, body: '' };
    }
    return htmlError(404, 'Not Found');
  }

  return {
    state,
    handle,
    async start() {
      loadPreferences();
      loadSections();
      await claimIfAsked();
    },
  };
}

/**
 * Starts the Plex fake: reads/writes `<configDir>/Library/Application Support/Plex Media Server/Preferences.xml`
 * and, when `env.PLEX_CLAIM` is set and the server is unclaimed, exchanges the claim with plex.tv
 * (`options.plexTvUrl`) before listening. A failed claim leaves the server unclaimed (`state.claim`).
 * @param {import('./media-serve.js').MediaFakeOptions & { friendlyName?: string }} [options]
 */
export async function startPlex(options = {}) {
  const app = createPlexApp(options);
  await app.start();
  return serveMediaFake({ ...options, name: 'plex', state: app.state, handler: app.handle });
}
