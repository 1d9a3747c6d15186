// The test Radarr/Sonarr/Lidarr run on a Newznab/Torznab indexer (on POST /indexer/test, which is
// what Prowlarr's application test calls, and on saving an enabled indexer): the target really
// fetches the indexer's caps and a search from `baseUrl` (Prowlarr's URL as the target sees it,
// resolved through `resolve`), so an unreachable prowlarrUrl fails with a 400, as in the real app.
import { callJson } from '../core/index.js';
import { failure } from './failures.js';

/**
 * @param {import('./base.js').ArrContext} ctx
 * @returns {(settings: Record<string, any>, definition: import('./providers.js').Definition) => Promise<import('./failures.js').ValidationFailure[]>}
 */
export function feedTest(ctx) {
  return async (settings, definition) => {
    const baseUrl = String(settings.baseUrl ?? '');
    const apiPath = String(settings.apiPath ?? '/api');
    const apiKey = String(settings.apiKey ?? '');
    ctx.state.indexerTests.push({ name: definition.name, baseUrl, apiPath });
    const root = `${ctx.resolve(baseUrl).replace(/\/+$/, '')}${apiPath.startsWith('/') ? '' : '/'}${apiPath}`;
    const caps = await callJson(`${root}?t=caps&apikey=${encodeURIComponent(apiKey)}`, { timeoutMs: 5000 });
    if (caps.error) return [failure('', `Unable to connect to indexer: ${caps.error}. Check the log surrounding this error for details`)];
    // Newznab error codes 100–199 are credential errors (Radarr's NewznabRssParser.CheckError).
    const code = Number(/<error\s+code="(\d+)"/.exec(caps.text)?.[1] ?? 0);
    if (caps.status === 401 || caps.status === 403 || (code >= 100 && code <= 199)) return [failure('ApiKey', 'Invalid API Key')];
    if (caps.status !== 200 || !caps.text.includes('<caps')) {
      return [failure('', `Unable to connect to indexer: HTTP ${caps.status}. Check the log surrounding this error for details`)];
    }
    const search = await callJson(`${root}?t=search&extended=1&apikey=${encodeURIComponent(apiKey)}&offset=0&limit=100`, {
      timeoutMs: 5000,
    });
    if (search.error || search.status !== 200)
      return [
        failure(
          '',
          `Unable to connect to indexer: ${search.error ?? `HTTP ${search.status}`}. Check the log surrounding this error for details`,
        ),
      ];
    if (!search.text.includes('<item')) {
      return [
        failure(
          '',
          'Query successful, but no results in the configured categories were returned from your indexer. This may be an issue with the indexer or your indexer category settings.',
        ),
      ];
    }
    return [];
  };
}
