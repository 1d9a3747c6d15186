// Fake plex.tv (PLEXARR_PLEX_TV_URL): accounts by token, PIN login, claim tokens and the claim
// exchange a Plex container makes on first start (API-NOTES §3, §0 trap 13).
import { randomBytes } from 'node:crypto';
import { createClock, headerOrQuery, plexToken, toXml, wantsJson } from './media-util.js';
import { serveMediaFake } from './media-serve.js';

/** Claim tokens are good for about four minutes (linuxserver/plex README). */
export const CLAIM_TTL_MS = 4 * 60 * 1000;

/**
 * @typedef {{ id: number, uuid: string, username: string, email: string, title: string, authToken: string }} Account
 * @typedef {{ id: number, code: string, clientIdentifier: string, product: string, createdAt: number, expiresIn: number, authToken: string | null }} Pin
 * @typedef {{ token: string, accountId: number, issuedAt: number, usedBy: string | null }} Claim
 * @typedef {{ clientIdentifier: string, accountId: number, accessToken: string, name: string, claimedAt: number }} Server
 */

/**
 * @param {{ accounts?: { username?: string, email?: string, token?: string }[], clock?: { now: () => number, advance: (ms: number) => void } }} [options]
 */
export function createPlexTvApp(options = {}) {
  const clock = options.clock ?? createClock();
  const state = {
    /** @type {Account[]} */ accounts: [],
    /** token → account id; an account has its own token plus one per linked device/server */
    /** @type {Record<string, number>} */ tokens: {},
    /** @type {Pin[]} */ pins: [],
    /** @type {Claim[]} */ claims: [],
    /** @type {Server[]} */ servers: [],
  };

  /** @param {{ username?: string, email?: string, token?: string }} [spec] */
  function addAccount(spec = {}) {
    const id = 10000000 + state.accounts.length + 1;
    const username = spec.username ?? `user${state.accounts.length + 1}`;
    const account = {
      id,
      uuid: randomBytes(8).toString('hex'),
      username,
      email: spec.email ?? `${username}@example.test`,
      title: username,
      authToken: spec.token ?? plexToken(),
    };
    state.accounts.push(account);
    state.tokens[account.authToken] = id;
    return account;
  }
  for (const a of options.accounts ?? []) addAccount(a);

  /** @param {string | undefined} token */
  function accountFor(token) {
    if (!token) return undefined;
    const id = state.tokens[token];
    return state.accounts.find((a) => a.id === id);
  }

  /** A device token: belongs to the account but is not its primary token. */
  /** @param {Account} account */
  function issueDeviceToken(account) {
    const token = plexToken();
    state.tokens[token] = account.id;
    return token;
  }

  /** @param {Account} account @param {string} token */
  function userJson(account, token) {
    return {
      id: account.id,
      uuid: account.uuid,
      username: account.username,
      title: account.title,
      email: account.email,
      friendlyName: account.title,
      locale: null,
      confirmed: true,
      joinedAt: 1600000000,
      emailOnlyAuth: false,
      hasPassword: true,
      protected: false,
      thumb: `https://plex.tv/users/${account.uuid}/avatar`,
      authToken: token,
      subscription: { active: false, subscribedAt: null, status: 'Inactive', paymentService: null, plan: null, features: [] },
      roles: [],
      entitlements: [],
      home: false,
      homeAdmin: false,
      guest: false,
      restricted: false,
    };
  }

  /** @param {Pin} pin */
  function pinJson(pin) {
    return {
      id: pin.id,
      code: pin.code,
      product: pin.product,
      trusted: false,
      qr: `https://plex.tv/api/v2/pins/qr/${pin.code}`,
      clientIdentifier: pin.clientIdentifier,
      location: { code: 'XX', country: 'Nowhere', city: 'Loopback', subdivisions: '', coordinates: '0, 0' },
      expiresIn: Math.max(0, Math.round((pin.createdAt + pin.expiresIn * 1000 - clock.now()) / 1000)),
      createdAt: new Date(pin.createdAt).toISOString(),
      expiresAt: new Date(pin.createdAt + pin.expiresIn * 1000).toISOString(),
      authToken: pin.authToken,
      newRegistration: null,
    };
  }

  /** @param {Pin} pin */
  const pinAlive = (pin) => clock.now() < pin.createdAt + pin.expiresIn * 1000;

  const unauthorized = () => ({ status: 401, body: { errors: [{ code: 1001, message: 'User could not be authenticated', status: 401 }] } });
  const pinNotFound = () => ({ status: 404, body: { errors: [{ code: 1020, message: 'Code not found or expired', status: 404 }] } });
  /** @param {number} status @param {string} message */
  const xmlError = (status, message) => ({
    status,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<errors>\n  <error>${message}</error>\n</errors>\n`,
  });

  /**
   * @param {import('./media-serve.js').FakeRequest} req
   * @returns {Promise<import('./media-serve.js').FakeResponse>}
   */
  async function handle(req) {
    const { method, path } = req;
    const token = headerOrQuery(req, 'X-Plex-Token');
    const clientId = headerOrQuery(req, 'X-Plex-Client-Identifier');

    if ((path === '/api/v2/user' || path === '/users/account.json' || path === '/users/account') && method === 'GET') {
      const account = accountFor(token);
      if (!account || !token) return unauthorized();
      if (path === '/api/v2/user') {
        return wantsJson(req) ? { status: 200, body: userJson(account, token) } : xmlBody({ user: userJson(account, token) });
      }
      // The older endpoint Overseerr/Seerr read (`PlexTvAPI.getUser`): `{ user: {...} }`.
      const u = userJson(account, token);
      const legacy = {
        user: { ...u, joined_at: '2020-09-13T12:26:40Z', authentication_token: token, confirmedAt: '2020-09-13T12:26:40Z', forumId: null },
      };
      return path.endsWith('.json') || wantsJson(req) ? { status: 200, body: legacy } : xmlBody(legacy);
    }

    if (path === '/api/v2/pins' && method === 'POST') {
      if (!clientId)
        return { status: 400, body: { errors: [{ code: 1000, message: 'X-Plex-Client-Identifier is missing', status: 400 }] } };
      const strong = (req.searchParams.get('strong') ?? bodyField(req, 'strong')) === 'true';
      const pin = {
        id: 100000 + state.pins.length + 1,
        code: strong ? randomBytes(20).toString('hex').slice(0, 25) : randomBytes(3).toString('hex').slice(0, 4).toUpperCase(),
        clientIdentifier: clientId,
        product: headerOrQuery(req, 'X-Plex-Product') ?? 'Plex Web',
        createdAt: clock.now(),
        expiresIn: strong ? 1800 : 900,
        authToken: /** @type {string | null} */ (null),
      };
      state.pins.push(pin);
      return wantsJson(req) ? { status: 201, body: pinJson(pin) } : xmlBody({ pin: pinJson(pin) }, 201);
    }

    if (path === '/api/v2/pins/link' && method === 'PUT') {
      const account = accountFor(token);
      if (!account) return unauthorized();
      const code = req.searchParams.get('code') ?? bodyField(req, 'code');
      const pin = state.pins.find((p) => p.code === code && pinAlive(p));
      if (!pin) return pinNotFound();
      pin.authToken = issueDeviceToken(account);
      return { status: 204, body: '' };
    }

    const pinMatch = /^\/api\/v2\/pins\/(\d+)$/.exec(path);
    if (pinMatch && method === 'GET') {
      const pin = state.pins.find((p) => p.id === Number(pinMatch[1]));
      // A PIN is only readable by the client that created it.
      if (!pin || !pinAlive(pin) || pin.clientIdentifier !== clientId) return pinNotFound();
      return wantsJson(req) ? { status: 200, body: pinJson(pin) } : xmlBody({ pin: pinJson(pin) });
    }

    if (path === '/api/claim/token.json' && method === 'GET') {
      const account = accountFor(token);
      if (!account) return unauthorized();
      const claim = {
        token: `claim-${randomBytes(15).toString('base64url').replace(/[-_]/g, 'z').slice(0, 20)}`,
        accountId: account.id,
        issuedAt: clock.now(),
        usedBy: null,
      };
      state.claims.push(claim);
      return { status: 200, body: { token: claim.token } };
    }

    if (path === '/api/claim/exchange' && method === 'POST') {
      const claimToken = req.searchParams.get('token');
      if (!clientId) return xmlError(400, 'X-Plex-Client-Identifier header is required');
      const claim = state.claims.find((c) => c.token === claimToken);
      if (!claim || claim.usedBy) return xmlError(404, 'Invalid token');
      if (clock.now() - claim.issuedAt > CLAIM_TTL_MS) return xmlError(404, 'Token expired');
      const account = state.accounts.find((a) => a.id === claim.accountId);
      if (!account) return xmlError(404, 'Invalid token');
      claim.usedBy = clientId;
      const accessToken = issueDeviceToken(account);
      state.servers = state.servers.filter((s) => s.clientIdentifier !== clientId);
      state.servers.push({
        clientIdentifier: clientId,
        accountId: account.id,
        accessToken,
        name: headerOrQuery(req, 'X-Plex-Device-Name') ?? 'Plex Media Server',
        claimedAt: clock.now(),
      });
      // The container's init script cuts `<authentication-token>` out of this XML with sed.
      return {
        status: 200,
        headers: { 'content-type': 'application/xml' },
        body:
          '<?xml version="1.0" encoding="UTF-8"?>\n' +
          `<user email="${account.email}" id="${account.id}" uuid="${account.uuid}" username="${account.username}" title="${account.title}" authenticationToken="${accessToken}">\n` +
          `  <authentication-token>${accessToken}</authentication-token>\n</user>\n`,
      };
    }

    if (path === '/api/v2/resources' && method === 'GET') {
      const account = accountFor(token);
      if (!account) return unauthorized();
      const resources = state.servers
        .filter((s) => s.accountId === account.id)
        .map((s) => ({
          name: s.name,
          product: 'Plex Media Server',
          productVersion: PMS_VERSION,
          platform: 'Linux',
          clientIdentifier: s.clientIdentifier,
          provides: 'server',
          owned: true,
          accessToken: s.accessToken,
          connections: [],
        }));
      return { status: 200, body: resources };
    }

    return { status: 404, body: { errors: [{ code: 1002, message: 'Not Found', status: 404 }] } };
  }

  return {
    state,
    clock,
    handle,
    addAccount,
    /**
     * What a person does on plex.tv/link: attach an account to a PIN code.
     * @param {string} code @param {string} accountToken
     */
    linkPin(code, accountToken) {
      const account = accountFor(accountToken);
      const pin = state.pins.find((p) => p.code === code && pinAlive(p));
      if (!account || !pin) return false;
      pin.authToken = issueDeviceToken(account);
      return true;
    },
    /** @param {string} token */
    accountFor,
  };
}

export const PMS_VERSION = '1.41.3.9314-a0bfb8370';

/**
 * @param {import('./media-serve.js').FakeRequest} req
 * @param {string} name
 * @returns {string | undefined}
 */
function bodyField(req, name) {
  const b = req.body;
  if (b && typeof b === 'object' && name in b) return String(/** @type {Record<string, unknown>} */ (b)[name]);
  return undefined;
}

/** @param {Record<string, unknown>} doc @param {number} [status] */
function xmlBody(doc, status = 200) {
  return { status, headers: { 'content-type': 'application/xml' }, body: toXml(doc) };
}

/**
 * Starts the plex.tv fake. Besides the common FakeHandle it exposes `addAccount`, `linkPin`
 * and `clock` (advance it to expire claim tokens and PINs).
 * @param {import('./media-serve.js').MediaFakeOptions & { accounts?: { username?: string, email?: string, token?: string }[], clock?: { now: () => number, advance: (ms: number) => void } }} [options]
 */
export async function startPlexTv(options = {}) {
  const app = createPlexTvApp(options);
  /** Extra control routes so a test in another process can do what `addAccount`/`linkPin`/`clock` do. */
  /** @param {import('./media-serve.js').FakeRequest} req */
  const control = (req) => {
    const b = /** @type {Record<string, any>} */ (req.body ?? {});
    if (req.method !== 'POST') return undefined;
    if (req.path === '/__fake/accounts') return { status: 201, body: app.addAccount(b) };
    if (req.path === '/__fake/clock') {
      app.clock.advance(Number(b.advanceMs ?? 0));
      return { status: 200, body: { now: app.clock.now() } };
    }
    if (req.path === '/__fake/pins/link')
      return app.linkPin(String(b.code), String(b.token))
        ? { status: 204, body: '' }
        : { status: 404, body: { message: 'no such pin or account' } };
    return undefined;
  };
  const handle = await serveMediaFake({ ...options, name: 'plextv', state: app.state, handler: app.handle, control });
  return Object.assign(handle, { addAccount: app.addAccount, linkPin: app.linkPin, clock: app.clock, accountFor: app.accountFor });
}
