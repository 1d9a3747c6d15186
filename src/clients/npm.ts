import { z } from 'zod';
import { CATALOG } from '../catalog/index.js';
import { createHttp, type Http, type HttpOptions } from './http.js';

/**
 * Nginx Proxy Manager admin API on port 81. Reads need a bearer token from
 * `POST /api/tokens`, so `login()` is the one POST a plan makes for NPM.
 */

const statusSchema = z.looseObject({ status: z.string(), setup: z.boolean().optional() });
const tokenSchema = z.looseObject({ token: z.string() });
const proxyHostSchema = z.looseObject({
  id: z.number(),
  domain_names: z.array(z.string()),
  forward_scheme: z.string(),
  forward_host: z.string(),
  forward_port: z.number(),
});
export type ProxyHost = z.infer<typeof proxyHostSchema>;
export interface ProxyHostBody {
  domain_names: string[];
  forward_scheme: 'http' | 'https';
  forward_host: string;
  forward_port: number;
  block_exploits: boolean;
  allow_websocket_upgrade: boolean;
}

export interface NpmSession {
  proxyHosts(): Promise<ProxyHost[]>;
  createProxyHost(body: ProxyHostBody): Promise<ProxyHost>;
  updateProxyHost(id: number, body: ProxyHostBody): Promise<ProxyHost>;
}

export interface NpmClient {
  readonly http: Http;
  /** `setup: false` means no user exists yet and the first one may be created unauthenticated. */
  status(): Promise<z.infer<typeof statusSchema>>;
  createFirstUser(user: { name: string; nickname: string; email: string; password: string }): Promise<void>;
  login(email: string, password: string): Promise<NpmSession>;
}

export function createNpmClient(options: Pick<HttpOptions, 'baseUrl' | 'secrets' | 'timeoutMs' | 'signal'>): NpmClient {
  const http = createHttp({ ...options, service: CATALOG.npm.label });
  return {
    http,
    status: () => http.get('/api/', statusSchema),
    async createFirstUser(user) {
      const body = { name: user.name, nickname: user.nickname, email: user.email, auth: { type: 'password', secret: user.password } };
      await http.send('POST', '/api/users', body, z.unknown());
    },
    async login(email, password) {
      const { token } = await http.send('POST', '/api/tokens', { identity: email, secret: password }, tokenSchema);
      const authed = createHttp({ ...options, service: CATALOG.npm.label, headers: { authorization: `Bearer ${token}` }, secrets: [...options.secrets, token] });
      return {
        proxyHosts: () => authed.get('/api/nginx/proxy-hosts', z.array(proxyHostSchema)),
        createProxyHost: (body) => authed.send('POST', '/api/nginx/proxy-hosts', body, proxyHostSchema),
        updateProxyHost: (id, body) => authed.send('PUT', `/api/nginx/proxy-hosts/${id}`, body, proxyHostSchema),
      };
    },
  };
}
