// POST /indexer/test — what Prowlarr's application test calls on the target app (API-NOTES §1.7).
// The body is the Newznab/Torznab indexer Prowlarr would sync; the target really fetches the
// indexer's caps and a search from `baseUrl` (Prowlarr's URL as the target sees it, resolved
// through `resolve`), so an unreachable prowlarrUrl fails here with a 400, as in the real app.
import { callJson, json } from '../core/index.js';
import { badRequest, failure, notEmpty } from './failures.js';

const IMPLEMENTATIONS = { newznab: 'NewznabSettings', torznab: 'TorznabSettings' };

/**
 * @param {ReturnType<typeof import('../core/index.js').createRouter>} router
 * @param {import('./base.js').ArrContext} ctx
 */
export function mountIndexerTest(router, ctx) {
  router.on('POST', `${ctx.profile.apiRoot}/indexer/test`, async (req) => {
    const body = /** @type {Record<string, any>} */ (req.body ?? {});
    const failures = [];
    const impl = String(body.implementation ?? '').toLowerCase();
    if (!body.name) failures.push(notEmpty('Name', body.name ?? null));
    if (!(impl in IMPLEMENTATIONS)) failures.push(failure('Implementation', `Unknown implementation '${body.implementation ?? ''}'`, { attemptedValue: body.implementation ?? null }));
    /** @type {Map<string, any>} */
    const fields = new Map((Array.isArray(body.fields) ? body.fields : []).map((/** @type {any} */ f) => [f?.name, f?.value]));
    const baseUrl = String(fields.get('baseUrl') ?? '');
    const apiPath = String(fields.get('apiPath') ?? '/api');
    const apiKey = String(fields.get('apiKey') ?? '');
    if (!/^https?:\/\/[^/\s]+/i.test(baseUrl)) failures.push(failure('BaseUrl', `Invalid Url: '${baseUrl}'`, { attemptedValue: baseUrl }));
    if (failures.length > 0) return badRequest(failures);

    ctx.state.indexerTests.push({ name: body.name, baseUrl, apiPath });
    const root = `${ctx.resolve(baseUrl).replace(/\/+$/, '')}${apiPath.startsWith('/') ? '' : '/'}${apiPath}`;
    const caps = await callJson(`${root}?t=caps&apikey=${encodeURIComponent(apiKey)}`, { timeoutMs: 5000 });
    if (caps.error) return badRequest([failure('', `Unable to connect to indexer: ${caps.error}. Check the log surrounding this error for details`)]);
    if (caps.status === 401 || caps.status === 403) return badRequest([failure('ApiKey', 'Invalid API Key', { attemptedValue: apiKey })]);
    if (caps.status !== 200 || !caps.text.includes('<caps')) {
      return badRequest([failure('', `Unable to connect to indexer: HTTP ${caps.status}. Check the log surrounding this error for details`)]);
    }
    const search = await callJson(`${root}?t=search&extended=1&apikey=${encodeURIComponent(apiKey)}&offset=0&limit=100`, { timeoutMs: 5000 });
    if (search.error || search.status !== 200) return badRequest([failure('', `Unable to connect to indexer: ${search.error ?? `HTTP ${search.status}`}. Check the log surrounding this error for details`)]);
    if (!search.text.includes('<item')) {
      return badRequest([failure('', 'Query successful, but no results in the configured categories were returned from your indexer. This may be an issue with the indexer or your indexer category settings.')]);
    }
    return json(200, {});
  });
}
