// Shared fake framework for plexarr's service fakes (plain ESM so node runs it anywhere).
//
// Usage — one fake = state + a handler; the core adds the request log, /__fake/* control
// endpoints (GET state, GET log, POST faults (JSON merge), POST reset-log) and fault injection:
//
//   import { startFake, createRouter, getOpenApiValidator, json } from './core/index.js';
//   const router = createRouter().on('GET', '/api/v3/thing/{id}', (req) => json(200, { id: req.params.id }));
//   const validator = getOpenApiValidator('radarr-v3.openapi.json', { readOnly: 'ignore' });
//   const fake = await startFake({
//     name: 'radarr', state, faults: { startupMs: 500, startupMode: '503' },
//     handle: (req) => {
//       const check = validator.validate(req);          // path/method/query/body vs the OpenAPI file
//       if (!check.ok && !check.miss) return json(400, problemDetailsStyle(check.errors));
//       return router.dispatch(req, (miss) => json(miss === 'path' ? 404 : 405, { message: 'NotFound' }));
//     },
//   });
//   fake.url; fake.log; fake.state; fake.setFaults({ errorRate: 0.3, seed: 1 }); await fake.close();
//
// Faults: { startupMs, startupMode: 'refuse'|'503', latencyMs, errorRate, crashAfter, seed }.
// 'refuse' means the port is not listening (await fake.ready); setting startupMs live simulates a restart.
export { startFake } from './server.js';
export { createRouter, compileTemplate, matchTemplate } from './router.js';
export { createFaults, seededRandom } from './faults.js';
export {
  CONTRACTS_DIR,
  loadSpec,
  createOpenApiValidator,
  getOpenApiValidator,
  openApiValidatorStyle,
  problemDetailsStyle,
} from './openapi.js';
export { json, identityPath, identityUrl, callJson, freePort } from './util.js';

/**
 * @typedef {import('./server.js').FakeHandle} FakeHandle
 * @typedef {import('./server.js').FakeRequest} FakeRequest
 * @typedef {import('./server.js').FakeResponse} FakeResponse
 * @typedef {import('./server.js').LogEntry} LogEntry
 * @typedef {import('./server.js').StartFakeOptions} StartFakeOptions
 * @typedef {import('./faults.js').Faults} Faults
 * @typedef {import('./router.js').RoutedRequest} RoutedRequest
 * @typedef {import('./openapi.js').ValidationResult} ValidationResult
 * @typedef {import('./openapi.js').ValidationError} ValidationError
 * @typedef {import('./util.js').CommonFakeOptions} CommonFakeOptions
 */
