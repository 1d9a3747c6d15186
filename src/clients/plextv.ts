import { z } from 'zod';
import { createHttp, type Http, type HttpOptions } from './http.js';

/**
 * plex.tv (the account service, not a server). The base URL comes from `PLEXARR_PLEX_TV_URL` so
 * tests point it at a fake on loopback.
 */

const DEFAULT_PLEX_TV_URL = 'https://plex.tv';
const PLEX_CLIENT_IDENTIFIER = 'plexarr';

const accountSchema = z.looseObject({ id: z.number(), username: z.string().optional(), email: z.string().optional() });
export type PlexAccount = z.infer<typeof accountSchema>;
const claimSchema = z.looseObject({ token: z.string() });

export interface PlexTvClient {
  readonly http: Http;
  /** The account behind the token; a 401 means the token is not valid. */
  account(): Promise<PlexAccount>;
  /** A fresh `claim-…` token for PLEX_CLAIM; it expires in about 4 minutes. */
  claimToken(): Promise<string>;
}

export function plexTvUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.PLEXARR_PLEX_TV_URL?.replace(/\/+$/, '') || DEFAULT_PLEX_TV_URL;
}

export function createPlexTvClient(
  options: Pick<HttpOptions, 'baseUrl' | 'secrets' | 'timeoutMs' | 'signal'> & { token: string },
): PlexTvClient {
  const http = createHttp({
    ...options,
    service: 'plex.tv',
    headers: { 'x-plex-token': options.token, 'x-plex-client-identifier': PLEX_CLIENT_IDENTIFIER, 'x-plex-product': 'plexarr' },
  });
  return {
    http,
    account: () => http.get('/api/v2/user', accountSchema),
    claimToken: async () => (await http.get('/api/claim/token.json', claimSchema)).token,
  };
}
