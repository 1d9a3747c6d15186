// What Overseerr/Seerr put in front of every /api/v1 route: express-openapi-validator with its
// defaults (validateRequests, validateSecurity, no unknown query parameters), before the app's own
// auth check. So 404/405 (unknown path/method), then 401 (no credential at all), then 400 (bad
// body/parameters), and only then the route (which may answer 403).
import { getOpenApiValidator, openApiValidatorStyle } from './core/index.js';

/** @typedef {import('./media-serve.js').FakeRequest} FakeRequest */
/** @typedef {import('./media-serve.js').FakeResponse} FakeResponse */

/**
 * express-openapi-validator's default security check (the apps do not turn it off): an operation
 * under the spec's global `cookieAuth OR apiKey` needs the `connect.sid` cookie or an `X-Api-Key`
 * header to be present — any value; whether it is right is decided later (403). Runs before the
 * body is validated.
 * @param {any} spec @param {string | undefined} template @param {FakeRequest} req
 * @returns {string | undefined} the validator's 401 message
 */
function missingCredentials(spec, template, req) {
  const op = template ? spec.paths?.[template]?.[req.method.toLowerCase()] : undefined;
  const security = op?.security ?? spec.security ?? [];
  if (security.length === 0 || security.some((/** @type {object} */ s) => Object.keys(s).length === 0)) return undefined;
  const cookie = /(?:^|;\s*)connect\.sid=/.test(String(req.headers.cookie ?? ''));
  if (cookie || req.headers['x-api-key']) return undefined;
  return "cookie 'connect.sid' required";
}

/**
 * express-openapi-validator rejects query parameters the operation does not declare
 * (allowUnknownQueryParameters defaults to false).
 * @param {any} spec @param {string | undefined} template @param {FakeRequest} req
 */
function unknownQueryParameter(spec, template, req) {
  const item = template ? spec.paths?.[template] : undefined;
  const declared = [...(item?.parameters ?? []), ...(item?.[req.method.toLowerCase()]?.parameters ?? [])]
    .filter((/** @type {any} */ p) => p.in === 'query')
    .map((/** @type {any} */ p) => p.name);
  return [...req.searchParams.keys()].find((k) => !declared.includes(k));
}

/**
 * @param {string} specFile e.g. 'seerr.openapi.yml'
 * @param {(req: FakeRequest) => Promise<FakeResponse>} route
 * @returns {(req: FakeRequest) => Promise<FakeResponse>}
 */
export function openApiFront(specFile, route) {
  const validator = getOpenApiValidator(specFile, { basePath: '/api/v1', readOnly: 'reject' });
  return async (req) => {
    // HEAD is not in the spec, so the validator answers it 405 before Express could map it to GET.
    if (!req.path.startsWith('/api/v1/')) return { status: 404, body: 'Not Found', headers: { 'content-type': 'text/html' } };
    const check = validator.validate(req);
    if (check.miss === 'path') return { status: 404, body: { message: 'not found', errors: [{ path: req.path, message: 'not found' }] } };
    if (check.miss === 'method')
      return {
        status: 405,
        body: { message: `${req.method} method not allowed`, errors: [{ path: req.path, message: `${req.method} method not allowed` }] },
      };
    const missing = missingCredentials(validator.spec, check.template, req);
    if (missing) return { status: 401, body: { message: missing, errors: [{ path: req.path, message: missing }] } };
    if (!check.ok) return { status: 400, body: openApiValidatorStyle(check.errors) };
    const unknown = unknownQueryParameter(validator.spec, check.template, req);
    if (unknown)
      return {
        status: 400,
        body: {
          message: `Unknown query parameter '${unknown}'`,
          errors: [{ path: `.query.${unknown}`, message: `Unknown query parameter '${unknown}'` }],
        },
      };
    return route(req);
  };
}
