// Request validation against the apps' own OpenAPI files (test/contracts): the path template
// and method must exist, typed path/query parameters must parse, and the JSON body must match the
// request schema. Built on ajv; OpenAPI 3.0 specifics (`nullable`, `readOnly`, `#/components` refs
// from inline schemas) are rewritten into plain JSON Schema first.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import YAML from 'yaml';
import { compileTemplate, matchTemplate } from './router.js';

/** The apps' OpenAPI files vendored under test/contracts (sources and versions: SOURCES.md). */
export const CONTRACTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../contracts');

/** @param {string} file a name in CONTRACTS_DIR (e.g. 'radarr-v3.openapi.json') or a path */
export function loadSpec(file) {
  const full = path.isAbsolute(file) ? file : path.join(CONTRACTS_DIR, file);
  const text = readFileSync(full, 'utf8');
  return /\.ya?ml$/i.test(full) ? YAML.parse(text) : JSON.parse(text);
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const INT32 = 2 ** 31;

/**
 * @typedef {object} ValidationError
 * @property {'path'|'query'|'body'} in
 * @property {string} path JSON-pointer-ish location inside `in`, e.g. '/priority' or '/forceSave'
 * @property {string} message ajv's message, e.g. "must be integer"
 * @property {string} keyword ajv keyword ('type', 'required', 'additionalProperties', 'read-only', 'enum', 'json', …)
 * @property {Record<string, unknown>} params ajv params (e.g. { missingProperty: 'name' })
 *
 * @typedef {object} ValidationResult
 * @property {boolean} ok
 * @property {'path'|'method'|undefined} miss no operation for this path (404) / method (405)
 * @property {string | undefined} template the matched spec path, e.g. '/api/v3/downloadclient/{id}'
 * @property {string | undefined} operationId
 * @property {Record<string, unknown>} params path parameters, coerced to their schema types
 * @property {Record<string, unknown>} query query parameters, coerced, schema defaults applied
 * @property {ValidationError[]} errors
 * @property {unknown} body the body as validated (top-level names normalised with caseInsensitiveProperties)
 *
 * @typedef {object} ValidatorOptions
 * @property {string} [basePath] stripped from request paths before matching (Overseerr/Seerr: '/api/v1')
 * @property {'reject'|'ignore'} [readOnly] readOnly properties in a request body: rejected like
 *   express-openapi-validator does (Overseerr/Seerr) or ignored like System.Text.Json does (*arr). Default 'reject'.
 * @property {'reject'|'ignore'} [unknownProperties] honour `additionalProperties: false` (default) or not:
 *   the *arr specs declare it everywhere, but System.Text.Json skips unknown members (Prowlarr ignores `enable`).
 * @property {boolean} [caseInsensitivePaths] match path templates ignoring case (ASP.NET routing in the *arr apps)
 * @property {boolean} [caseInsensitiveProperties] match top-level body property names case-insensitively and
 *   rename them to the spec's spelling (System.Text.Json in the *arr apps); default false
 */

/**
 * Rewrites one OpenAPI schema (recursively) into JSON Schema for ajv.
 * @param {any} schema
 * @param {{ specId: string, readOnly: 'reject'|'ignore', unknownProperties: 'reject'|'ignore' }} how
 * @returns {any}
 */
function toJsonSchema(schema, how) {
  const { specId, readOnly } = how;
  if (Array.isArray(schema)) return schema.map((s) => toJsonSchema(s, how));
  if (!schema || typeof schema !== 'object') return schema;
  /** @type {Record<string, any>} */
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (['example', 'examples', 'discriminator', 'xml', 'externalDocs', 'nullable', 'deprecated'].includes(key)) continue;
    if (key === 'additionalProperties' && value === false && how.unknownProperties === 'ignore') continue;
    if (key === '$ref') out.$ref = typeof value === 'string' && value.startsWith('#') ? specId + value : value;
    else if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v, how)]));
    } else if (['items', 'additionalProperties', 'not', 'allOf', 'anyOf', 'oneOf'].includes(key)) out[key] = toJsonSchema(value, how);
    else out[key] = value;
  }
  if (out.properties) {
    const readOnlyProps = Object.entries(schema.properties)
      .filter(([, v]) => /** @type {any} */ (v)?.readOnly)
      .map(([k]) => k);
    if (readOnlyProps.length > 0) {
      if (Array.isArray(out.required)) out.required = out.required.filter((/** @type {string} */ r) => !readOnlyProps.includes(r));
      if (out.required?.length === 0) delete out.required;
      if (readOnly === 'reject') for (const p of readOnlyProps) out.properties[p] = { 'x-read-only': true };
    }
  }
  if (schema.nullable === true) {
    if (out.$ref) return { anyOf: [{ $ref: out.$ref }, { type: 'null' }] };
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
}

/** @param {boolean} coerce */
function makeAjv(coerce) {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    coerceTypes: coerce ? 'array' : false,
    useDefaults: coerce,
    validateFormats: true,
  });
  addFormats(ajv);
  ajv.addFormat('int32', { type: 'number', validate: (n) => Number.isInteger(n) && n >= -INT32 && n < INT32 });
  ajv.addFormat('int64', { type: 'number', validate: (n) => Number.isInteger(n) });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('date-span', () => true);
  ajv.addKeyword({
    keyword: 'x-read-only',
    errors: true,
    validate: function readOnlyProp() {
      /** @type {any} */ (readOnlyProp).errors = [{ keyword: 'read-only', message: 'is read-only', params: {} }];
      return false;
    },
  });
  return ajv;
}

/**
 * Builds a validator for one spec file.
 * @param {string} file e.g. 'radarr-v3.openapi.json' or 'overseerr.openapi.yml'
 * @param {ValidatorOptions} [options]
 */
export function createOpenApiValidator(file, options = {}) {
  const spec = loadSpec(file);
  const basePath = (options.basePath ?? '').replace(/\/$/, '');
  const readOnly = options.readOnly ?? 'reject';
  const specId = `openapi:${path.basename(file)}`;
  const how = { specId, readOnly, unknownProperties: options.unknownProperties ?? 'reject' };
  const schemas = Object.fromEntries(Object.entries(spec.components?.schemas ?? {}).map(([k, v]) => [k, toJsonSchema(v, how)]));
  const components = { $id: specId, components: { schemas } };
  const bodyAjv = makeAjv(false);
  const paramAjv = makeAjv(true);
  bodyAjv.addSchema(components);
  paramAjv.addSchema(components);

  const operations = Object.entries(spec.paths ?? {})
    .map(([template, item]) => ({
      template,
      compiled: compileTemplate(template, { ignoreCase: options.caseInsensitivePaths }),
      item: /** @type {any} */ (item),
    }))
    .sort((a, b) => b.compiled.literalSegments - a.compiled.literalSegments);

  /** @type {Map<string, { body?: import('ajv').ValidateFunction, bodyProperties: string[], bodyRequired: boolean, query?: import('ajv').ValidateFunction, pathParams?: import('ajv').ValidateFunction, operationId?: string }>} */
  const compiled = new Map();

  /** @param {string} template @param {any} item @param {string} method */
  function compileOperation(template, item, method) {
    const key = `${method} ${template}`;
    const cached = compiled.get(key);
    if (cached) return cached;
    const op = item[method];
    /** @type {Map<string, any>} */
    const params = new Map();
    for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])]) params.set(`${p.in}:${p.name}`, p);
    /** @param {'query'|'path'} where */
    const paramSchema = (where) => {
      const list = [...params.values()].filter((p) => p.in === where && p.schema);
      if (list.length === 0) return undefined;
      return paramAjv.compile({
        type: 'object',
        properties: Object.fromEntries(list.map((p) => [p.name, toJsonSchema(p.schema, { ...how, readOnly: 'ignore' })])),
        required: list.filter((p) => p.required).map((p) => p.name),
      });
    };
    const media = op.requestBody?.content?.['application/json'] ?? op.requestBody?.content?.['application/*+json'];
    const ref = typeof media?.schema?.$ref === 'string' ? media.schema.$ref.replace('#/components/schemas/', '') : undefined;
    const bodySchema = ref ? spec.components?.schemas?.[ref] : media?.schema;
    const entry = {
      operationId: op.operationId,
      bodyProperties: Object.keys(bodySchema?.properties ?? {}),
      bodyRequired: op.requestBody?.required === true,
      body: media?.schema ? bodyAjv.compile(toJsonSchema(media.schema, how)) : undefined,
      query: paramSchema('query'),
      pathParams: paramSchema('path'),
    };
    compiled.set(key, entry);
    return entry;
  }

  /**
   * @param {{ method: string, path: string, query?: Record<string, string | string[]>, body?: unknown, bodyInvalid?: boolean }} request
   * @returns {ValidationResult}
   */
  function validate(request) {
    /** @type {ValidationResult} */
    const result = {
      ok: false,
      miss: 'path',
      template: undefined,
      operationId: undefined,
      params: {},
      query: { ...(request.query ?? {}) },
      errors: [],
      body: request.body,
    };
    if (basePath && !request.path.startsWith(basePath)) return result;
    const relative = request.path.slice(basePath.length) || '/';
    const method = request.method.toLowerCase();
    for (const { template, compiled: c, item } of operations) {
      const pathParams = matchTemplate(c, relative);
      if (!pathParams) continue;
      result.miss = 'method';
      if (!METHODS.includes(method) || !item[method]) continue;
      result.miss = undefined;
      result.template = template;
      const op = compileOperation(template, item, method);
      result.operationId = op.operationId;
      result.params = { ...pathParams };
      const check = (
        /** @type {'path'|'query'|'body'} */ where,
        /** @type {import('ajv').ValidateFunction | undefined} */ fn,
        /** @type {unknown} */ data,
      ) => {
        if (!fn || fn(data)) return;
        for (const e of fn.errors ?? []) {
          const missing = /** @type {any} */ (e.params)?.missingProperty;
          const extra = /** @type {any} */ (e.params)?.additionalProperty;
          const at = e.instancePath + (missing ? `/${missing}` : extra ? `/${extra}` : '');
          result.errors.push({ in: where, path: at, message: e.message ?? 'is invalid', keyword: e.keyword, params: e.params ?? {} });
        }
      };
      if (options.caseInsensitiveProperties && result.body && typeof result.body === 'object' && !Array.isArray(result.body)) {
        const spelling = new Map(op.bodyProperties.map((p) => [p.toLowerCase(), p]));
        result.body = Object.fromEntries(Object.entries(result.body).map(([k, v]) => [spelling.get(k.toLowerCase()) ?? k, v]));
      }
      check('path', op.pathParams, result.params);
      check('query', op.query, result.query);
      if (request.bodyInvalid) {
        result.errors.push({ in: 'body', path: '', message: 'is not valid JSON', keyword: 'json', params: {} });
      } else if (request.body === undefined) {
        if (op.bodyRequired)
          result.errors.push({ in: 'body', path: '', message: 'request body is required', keyword: 'required', params: {} });
      } else check('body', op.body, result.body);
      result.ok = result.errors.length === 0;
      return result;
    }
    return result;
  }

  return { spec, validate };
}

/** @type {Map<string, ReturnType<typeof createOpenApiValidator>>} */
const shared = new Map();

/**
 * Same as createOpenApiValidator, but built once per (file, options) for the whole process:
 * compiling a 300 kB spec costs ~0.2 s, and a test suite starts many fakes.
 * @param {string} file @param {ValidatorOptions} [options]
 */
export function getOpenApiValidator(file, options = {}) {
  const key = JSON.stringify([
    file,
    options.basePath ?? '',
    options.readOnly ?? 'reject',
    options.unknownProperties ?? 'reject',
    options.caseInsensitiveProperties ?? false,
    options.caseInsensitivePaths ?? false,
  ]);
  let validator = shared.get(key);
  if (!validator) {
    validator = createOpenApiValidator(file, options);
    shared.set(key, validator);
  }
  return validator;
}

/**
 * express-openapi-validator 4.x style (Overseerr/Seerr): `{ message, errors: [{ path, message, errorCode }] }`.
 * @param {ValidationError[]} errors
 */
export function openApiValidatorStyle(errors) {
  const items = errors.map((e) => {
    const where = `.${e.in}${e.path.replace(/\//g, '.')}`;
    const message = e.message.replace(/^must /, 'should ');
    return { path: where, message, errorCode: `${e.keyword}.openapi.validation` };
  });
  return { message: items.map((i) => `request${i.path} ${i.message}`).join(', '), errors: items };
}

/**
 * ASP.NET Core model-binding style (*arr apps): a ValidationProblemDetails body.
 * @param {ValidationError[]} errors
 */
export function problemDetailsStyle(errors) {
  /** @type {Record<string, string[]>} */
  const grouped = {};
  for (const e of errors) {
    const key = e.in === 'body' ? `$${e.path.replace(/\//g, '.')}` : e.path.replace(/^\//, '');
    (grouped[key || '$'] ??= []).push(e.keyword === 'json' ? 'The JSON value could not be parsed.' : `The JSON value ${e.message}.`);
  }
  return {
    type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
    title: 'One or more validation errors occurred.',
    status: 400,
    errors: grouped,
  };
}
