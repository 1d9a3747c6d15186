import { z } from 'zod';
import { CATALOG } from '../catalog/index.js';
import { AdvisedApiError, ApiError } from './errors.js';
import { createHttp, type Http, type HttpOptions } from './http.js';
import { plexarrCommand } from '../ui/invocation.js';

/**
 * Nginx Proxy Manager admin API on port 81. Reads need a bearer token from `POST /api/tokens`, so
 * `login()` is the one POST a plan makes for NPM. Its errors do not mean what their status says:
 * a refused login is 400, a token it cannot verify is 500 "Internal Error", and a failed permission
 * check falls through to its catch-all 404 — each is turned into one clear, never-retried error.
 */

const SERVICE = CATALOG.npm.label;
const RETRY = `\`${plexarrCommand('coordinate --retry')}\``;
const statusSchema = z.looseObject({ status: z.string(), setup: z.boolean().optional() });
const tokenSchema = z.looseObject({ token: z.string().optional(), requires_2fa: z.boolean().optional() });
const proxyHostSchema = z.looseObject({
  id: z.number(),
  domain_names: z.array(z.string()),
  forward_scheme: z.string(),
  forward_host: z.string(),
  forward_port: z.number(),
  enabled: z.boolean(),
  allow_websocket_upgrade: z.boolean(),
  block_exploits: z.boolean(),
});
const otherHostSchema = z.looseObject({ id: z.number(), domain_names: z.array(z.string()) });
export type ProxyHost = z.infer<typeof proxyHostSchema>;
export type OtherHost = z.infer<typeof otherHostSchema>;
/** The proxy-host fields plexarr sets; a PUT changes only the fields it sends. */
export interface ProxyHostFields {
  forward_scheme: 'http' | 'https';
  forward_host: string;
  forward_port: number;
  enabled: boolean;
  allow_websocket_upgrade: boolean;
  block_exploits: boolean;
}
export type ProxyHostBody = ProxyHostFields & { domain_names: string[] };

export interface NpmSession {
  proxyHosts(): Promise<ProxyHost[]>;
  /** Hosts that hold a domain without proxying it; NPM refuses a proxy host for their domains. */
  redirectionHosts(): Promise<OtherHost[]>;
  deadHosts(): Promise<OtherHost[]>;
  createProxyHost(body: ProxyHostBody): Promise<ProxyHost>;
  updateProxyHost(id: number, fields: Partial<ProxyHostFields>): Promise<ProxyHost>;
}

export interface NpmClient {
  readonly http: Http;
  /** `setup: false` means no user exists yet and the first one may be created unauthenticated. */
  status(): Promise<z.infer<typeof statusSchema>>;
  createFirstUser(user: { name: string; nickname: string; email: string; password: string }): Promise<void>;
  login(email: string, password: string): Promise<NpmSession>;
}

/** The login's refusals: a wrong e-mail or password (400) and a user with two-factor login on. */
function loginError(error: unknown, email: string): unknown {
  if (!(error instanceof ApiError) || error.status !== 400) return error;
  return new AdvisedApiError(
    error,
    `${error.appMessage} (the login for ${email})`,
    `compare the ${SERVICE} login with \`${plexarrCommand('credentials')}\` (was the password or e-mail changed in its UI?), then run ${RETRY}`,
  );
}

/** What an authenticated request's 404 and 500 stand for at NPM. */
function sessionError(error: unknown, email: string): unknown {
  if (!(error instanceof ApiError)) return error;
  if (error.status === 500) {
    return new AdvisedApiError(
      error,
      `${error.appMessage} — ${SERVICE} answers so when it cannot verify the login token it issued`,
      `check \`docker logs ${CATALOG.npm.container}\` for the reason, then run ${RETRY}`,
    );
  }
  if (error.status === 404) {
    return new AdvisedApiError(
      error,
      `${error.appMessage} — ${SERVICE} answers so when ${email} lacks the permission`,
      `give ${email} the admin role (or "manage" on hosts) in ${SERVICE} → Users, then run ${RETRY}`,
    );
  }
  return error;
}

export function createNpmClient(options: Pick<HttpOptions, 'baseUrl' | 'secrets' | 'timeoutMs' | 'signal'>): NpmClient {
  const http = createHttp({ ...options, service: SERVICE });
  return {
    http,
    status: () => http.get('/api/', statusSchema),
    async createFirstUser(user) {
      const body = { name: user.name, nickname: user.nickname, email: user.email, auth: { type: 'password', secret: user.password } };
      await http.send('POST', '/api/users', body, z.unknown());
    },
    async login(email, password) {
      const answer = await http.send('POST', '/api/tokens', { identity: email, secret: password }, tokenSchema).catch((e: unknown) => {
        throw loginError(e, email);
      });
      if (answer.requires_2fa === true) {
        throw new AdvisedApiError(
          { service: SERVICE, method: 'POST', path: '/api/tokens', status: 200 },
          `plexarr cannot log in as ${email} while two-factor authentication is on for that user`,
          `turn two-factor authentication off for ${email} in ${SERVICE} (plexarr logs in on every run), then run ${RETRY}`,
        );
      }
      const { token } = answer;
      if (token === undefined) throw new ApiError(SERVICE, 'POST', '/api/tokens', 200, 'unexpected response: no token');
      // A 500 here is a token NPM cannot verify: asking again would only be refused again.
      const authed = createHttp({
        ...options,
        service: SERVICE,
        getRetries: 0,
        headers: { authorization: `Bearer ${token}` },
        secrets: [...options.secrets, token],
      });
      const call = <T>(request: Promise<T>): Promise<T> =>
        request.catch((e: unknown) => {
          throw sessionError(e, email);
        });
      return {
        proxyHosts: () => call(authed.get('/api/nginx/proxy-hosts', z.array(proxyHostSchema))),
        redirectionHosts: () => call(authed.get('/api/nginx/redirection-hosts', z.array(otherHostSchema))),
        deadHosts: () => call(authed.get('/api/nginx/dead-hosts', z.array(otherHostSchema))),
        createProxyHost: (body) => call(authed.send('POST', '/api/nginx/proxy-hosts', body, proxyHostSchema)),
        updateProxyHost: (id, fields) => call(authed.send('PUT', `/api/nginx/proxy-hosts/${id}`, fields, proxyHostSchema)),
      };
    },
  };
}
