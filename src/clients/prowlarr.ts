import { CATALOG } from '../catalog/index.js';
import { createHttp, type HttpOptions } from './http.js';
import { providerApi, servarrCommon, type ProviderApi, type ServarrCommon } from './servarr.js';

/** Prowlarr (API v1): applications it pushes indexers to, plus the shared *arr endpoints. */
export interface ProwlarrClient extends ServarrCommon {
  applications: ProviderApi;
}

const PROWLARR_API_ROOT = '/api/v1';

export function createProwlarrClient(
  options: Pick<HttpOptions, 'baseUrl' | 'secrets' | 'timeoutMs' | 'signal'> & { apiKey: string },
): ProwlarrClient {
  const http = createHttp({ ...options, service: CATALOG.prowlarr.label, headers: { 'x-api-key': options.apiKey } });
  return {
    ...servarrCommon(http, PROWLARR_API_ROOT),
    applications: providerApi(http, `${PROWLARR_API_ROOT}/applications`),
  };
}
