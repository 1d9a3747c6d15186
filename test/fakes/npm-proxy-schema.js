// Request-body checks of the Nginx Proxy Manager fake, in the words its ajv validator uses
// (`allErrors`, `coerceTypes`; messages joined by ", " as ajv.errorsText does), for the bodies
// the fake accepts. Verified against NginxProxyManager/nginx-proxy-manager backend/lib/validator/api.js
// and backend/schema/paths/{tokens,users,nginx/*}/*.json.

const DOMAIN = /^[^&| @!#%^();:/\\}{=+?<>,~`'"]+$/;

/**
 * @typedef {{ type: 'string' | 'integer' | 'boolean' | 'object' | 'array' | 'domains' | 'id', min?: number, max?: number, values?: string[] }} Field
 * @typedef {{ required: string[], fields: Record<string, Field>, minProperties?: number }} BodySchema
 */

const bool = /** @type {Field} */ ({ type: 'boolean' });
/** @type {Record<string, Field>} */
const HOST_FIELDS = {
  domain_names: { type: 'domains' },
  forward_scheme: { type: 'string', values: ['http', 'https'] },
  forward_host: { type: 'string', min: 1, max: 255 },
  forward_port: { type: 'integer', min: 1, max: 65535 },
  certificate_id: { type: 'id' },
  ssl_forced: bool,
  hsts_enabled: bool,
  hsts_subdomains: bool,
  trust_forwarded_proto: bool,
  http2_support: bool,
  block_exploits: bool,
  caching_enabled: bool,
  allow_websocket_upgrade: bool,
  access_list_id: { type: 'integer', min: 0 },
  advanced_config: { type: 'string' },
  enabled: bool,
  meta: { type: 'object' },
  locations: { type: 'array' },
};
/** Dead (404) and redirection hosts share the proxy host's domain, certificate and TLS fields. */
const DEAD_FIELDS = Object.fromEntries(
  [
    'domain_names',
    'certificate_id',
    'ssl_forced',
    'hsts_enabled',
    'hsts_subdomains',
    'http2_support',
    'block_exploits',
    'advanced_config',
    'enabled',
    'meta',
  ].map((k) => [k, /** @type {Field} */ (HOST_FIELDS[k])]),
);

/** @type {Record<string, BodySchema>} */
export const SCHEMAS = {
  token: {
    required: ['identity', 'secret'],
    fields: { identity: { type: 'string', min: 1 }, secret: { type: 'string', min: 1 }, scope: { type: 'string', values: ['user'] } },
  },
  user: {
    required: ['name', 'nickname', 'email'],
    fields: {
      name: { type: 'string', min: 1 },
      nickname: { type: 'string', min: 1 },
      email: { type: 'string', min: 3 },
      roles: { type: 'array' },
      is_disabled: bool,
      auth: { type: 'object' },
    },
  },
  proxyCreate: { required: ['domain_names', 'forward_scheme', 'forward_host', 'forward_port'], fields: HOST_FIELDS },
  proxyUpdate: { required: [], fields: HOST_FIELDS, minProperties: 1 },
  deadCreate: { required: ['domain_names'], fields: DEAD_FIELDS },
  redirectionCreate: {
    required: ['domain_names', 'forward_domain_name'],
    fields: {
      ...DEAD_FIELDS,
      forward_scheme: { type: 'string', values: ['auto', 'http', 'https'] },
      forward_http_code: { type: 'integer', min: 300, max: 308 },
      forward_domain_name: { type: 'string', min: 1 },
      preserve_path: bool,
    },
  },
};

/**
 * ajv with coerceTypes turns "8080" into 8080 and "true" into true before checking.
 * @param {Field} field @param {unknown} value
 */
function coerce(field, value) {
  if (field.type === 'integer' && typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  if (field.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  if (field.type === 'boolean' && (value === 0 || value === 1)) return value === 1;
  return value;
}

/** @param {string} name @param {Field} field @param {unknown} value @returns {string[]} */
function check(name, field, value) {
  const at = `data/${name}`;
  if (field.type === 'domains') {
    if (!Array.isArray(value)) return [`${at} must be array`];
    if (value.length < 1) return [`${at} must NOT have fewer than 1 items`];
    if (new Set(value).size !== value.length) return [`${at} must NOT have duplicate items`];
    return value.flatMap((d, i) =>
      typeof d !== 'string' ? [`${at}/${i} must be string`] : DOMAIN.test(d) ? [] : [`${at}/${i} must match pattern "${DOMAIN.source}"`],
    );
  }
  if (field.type === 'id')
    return (Number.isInteger(value) && Number(value) >= 0) || value === 'new' ? [] : [`${at} must match a schema in anyOf`];
  if (field.type === 'integer') {
    if (!Number.isInteger(value)) return [`${at} must be integer`];
    if (field.min !== undefined && Number(value) < field.min) return [`${at} must be >= ${field.min}`];
    if (field.max !== undefined && Number(value) > field.max) return [`${at} must be <= ${field.max}`];
    return [];
  }
  if (field.type === 'array') return Array.isArray(value) ? [] : [`${at} must be array`];
  if (field.type === 'object') return value !== null && typeof value === 'object' && !Array.isArray(value) ? [] : [`${at} must be object`];
  if (typeof value !== field.type) return [`${at} must be ${field.type}`];
  if (field.values && !field.values.includes(String(value))) return [`${at} must be equal to one of the allowed values`];
  if (typeof value === 'string' && field.min !== undefined && value.length < field.min)
    return [`${at} must NOT have fewer than ${field.min} characters`];
  if (typeof value === 'string' && field.max !== undefined && value.length > field.max)
    return [`${at} must NOT have more than ${field.max} characters`];
  return [];
}

/**
 * The body with coerced values, or the validator's message (answered as HTTP 400).
 * @param {BodySchema} schema @param {unknown} body
 * @returns {{ ok: true, value: Record<string, any> } | { ok: false, message: string }}
 */
export function validate(schema, body) {
  if (body === undefined) return { ok: false, message: 'Payload is undefined' };
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, message: 'data must be object' };
  const value = /** @type {Record<string, any>} */ ({ ...body });
  /** @type {string[]} */
  const errors = [];
  for (const key of schema.required) if (!(key in value)) errors.push(`data must have required property '${key}'`);
  if (Object.keys(value).some((k) => !(k in schema.fields))) errors.push('data must NOT have additional properties');
  if (schema.minProperties && Object.keys(value).length < schema.minProperties)
    errors.push(`data must NOT have fewer than ${schema.minProperties} properties`);
  for (const [key, field] of Object.entries(schema.fields)) {
    if (!(key in value)) continue;
    value[key] = coerce(field, value[key]);
    errors.push(...check(key, field, value[key]));
  }
  return errors.length > 0 ? { ok: false, message: errors.join(', ') } : { ok: true, value };
}
