// The *arr provider contract (API-NOTES §1.4, traps 1, 3, 4): list/get/schema/POST/PUT/DELETE/
// test for download clients and Prowlarr applications. Omitted top-level properties default to
// false/0; omitted `fields` take the settings class defaults (names matched case-sensitively);
// secrets come back masked and a masked value keeps the stored one; forceSave only drops
// warnings; a disabled provider is neither validated nor tested.
import { json } from '../core/index.js';
import { badRequest, blocking, failure, notEmpty } from './failures.js';

export const MASK = '********';

/**
 * @typedef {import('./failures.js').ValidationFailure} ValidationFailure
 *
 * @typedef {object} FieldSpec
 * @property {string} name camelCase C# property name
 * @property {string} label
 * @property {'textbox'|'number'|'checkbox'|'password'|'select'|'tag'|'url'} type UI type
 * @property {'string'|'int'|'number'|'bool'|'intArray'} kind how a sent value is converted
 * @property {unknown} default settings-class constructor default
 * @property {'normal'|'password'|'apiKey'|'userName'} [privacy]
 * @property {boolean} [advanced]
 * @property {string} [helpText]
 *
 * @typedef {object} Implementation
 * @property {string} implementation 'Nzbget'
 * @property {string} implementationName 'NZBGet'
 * @property {string} configContract 'NzbgetSettings'
 * @property {string} infoLink
 * @property {FieldSpec[]} fields
 * @property {(settings: Record<string, any>) => ValidationFailure[]} validate
 * @property {(settings: Record<string, any>, definition: Definition) => Promise<ValidationFailure[]>} test
 * @property {Record<string, unknown>} [resourceExtras] top-level values the implementation decides (protocol)
 *
 * @typedef {{ id: number, name: string, implementation: string, configContract: string, tags: number[], settings: Record<string, any>, top: Record<string, any> }} Definition
 *
 * @typedef {object} ProviderKind
 * @property {string} resource path segment: 'downloadclient' | 'applications'
 * @property {Implementation[]} implementations
 * @property {Record<string, unknown>} topDefaults model defaults shown by /schema (priority 1, …)
 * @property {Record<string, 'bool'|'int'|'string'|'any'>} topFields resource top-level properties besides the common ones; omitted → false/0/null
 * @property {Record<string, unknown>} [topOmitted] what an omitted top-level property becomes when not false/0/null (enum zero values)
 * @property {(top: Record<string, any>) => boolean} enabled
 * @property {(top: Record<string, any>) => ValidationFailure[]} [validateTop]
 * @property {boolean} retestEveryPut Prowlarr re-tests every enabled PUT; Radarr/Sonarr/Lidarr only changed ones
 * @property {(template: Record<string, any>, impl: Implementation) => Record<string, any>[]} [templates] what /schema lists for one
 *   implementation (Prowlarr lists each preset definition as its own entry); default the one template
 * @property {(def: Definition) => Promise<void>} [afterSave] runs after a create/update is stored (Prowlarr syncs the indexer to the apps)
 */

const omittedDefault = { bool: false, int: 0, string: null, any: null };

/** @param {FieldSpec} spec @param {unknown} value @returns {{ value?: unknown, error?: string }} */
function convert(spec, value) {
  if (value === null || value === undefined) return { value: spec.kind === 'string' ? null : spec.default };
  if (spec.kind === 'string') return { value: typeof value === 'string' ? value : String(value) };
  if (spec.kind === 'bool') {
    if (typeof value === 'boolean') return { value };
    if (typeof value === 'string' && /^(true|false)$/i.test(value)) return { value: value.toLowerCase() === 'true' };
    return { error: `'${String(value)}' is not a valid boolean` };
  }
  if (spec.kind === 'int' || spec.kind === 'number') {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (spec.kind === 'number') return Number.isFinite(n) ? { value: n } : { error: `'${String(value)}' is not a valid number` };
    return Number.isInteger(n) ? { value: n } : { error: `'${String(value)}' is not a valid integer` };
  }
  const list = Array.isArray(value) ? value : [value];
  const ints = list.map((v) => Number(v));
  return ints.every(Number.isInteger) ? { value: ints } : { error: `'${JSON.stringify(value)}' is not a list of integers` };
}

/** @param {FieldSpec} spec */
const isSecret = (spec) => spec.privacy === 'password' || spec.privacy === 'apiKey';

/**
 * Mounts the provider endpoints of one kind.
 * @param {ReturnType<typeof import('../core/index.js').createRouter>} router
 * @param {string} apiRoot
 * @param {ProviderKind} kind
 * @param {Definition[]} store
 */
export function mountProviders(router, apiRoot, kind, store) {
  const base = `${apiRoot}/${kind.resource}`;
  let nextId = 1;
  const byImpl = (/** @type {unknown} */ name) =>
    kind.implementations.find((i) => i.implementation.toLowerCase() === String(name ?? '').toLowerCase());

  /** @param {Implementation} impl @param {Record<string, any>} settings */
  const fieldsOut = (impl, settings) =>
    impl.fields.map((f, order) => {
      const raw = settings[f.name];
      const value = isSecret(f) && raw ? MASK : raw;
      return {
        order,
        name: f.name,
        label: f.label,
        ...(f.helpText ? { helpText: f.helpText } : {}),
        value,
        type: f.type,
        advanced: f.advanced ?? false,
        privacy: f.privacy ?? 'normal',
        isFloat: false,
      };
    });

  /** @param {Definition} def */
  function toResource(def) {
    const impl = /** @type {Implementation} */ (byImpl(def.implementation));
    return {
      id: def.id,
      name: def.name,
      fields: fieldsOut(impl, def.settings),
      implementationName: impl.implementationName,
      implementation: impl.implementation,
      configContract: impl.configContract,
      infoLink: impl.infoLink,
      tags: def.tags,
      ...def.top,
      ...(impl.resourceExtras ?? {}),
    };
  }

  /**
   * Resource → definition, the way ProviderControllerBase.GetDefinition does it.
   * @param {any} body @param {Definition | undefined} existing @param {boolean} requireFields
   * @returns {{ def?: Definition, impl?: Implementation, failures: ValidationFailure[] }}
   */
  function toDefinition(body, existing, requireFields) {
    /** @type {ValidationFailure[]} */
    const failures = [];
    const name = typeof body.name === 'string' ? body.name : '';
    if (name.trim() === '') failures.push(notEmpty('Name', body.name ?? null));
    else if (store.some((d) => d.name.toLowerCase() === name.toLowerCase() && d.id !== existing?.id)) {
      failures.push(failure('Name', 'Should be unique', { attemptedValue: name }));
    }
    if (!body.implementation) failures.push(notEmpty('Implementation', body.implementation ?? null));
    if (!body.configContract) failures.push(notEmpty('ConfigContract', body.configContract ?? null));
    if (requireFields && !Array.isArray(body.fields))
      failures.push(failure('Fields', "'Fields' must not be empty.", { attemptedValue: null }));
    /** @type {Record<string, any>} */
    const top = {};
    for (const [key, type] of Object.entries(kind.topFields)) top[key] = body[key] ?? kind.topOmitted?.[key] ?? omittedDefault[type];
    failures.push(...(kind.validateTop?.(top) ?? []));
    const impl = byImpl(body.implementation);
    if (body.implementation && !impl)
      failures.push(failure('Implementation', `Unknown implementation '${body.implementation}'`, { attemptedValue: body.implementation }));
    if (impl && body.configContract && body.configContract !== impl.configContract) {
      failures.push(
        failure(
          'ConfigContract',
          `Config contract '${body.configContract}' does not match implementation '${impl.implementation}' (${impl.configContract})`,
        ),
      );
    }
    if (failures.length > 0 || !impl) return { failures };

    /** @type {Map<string, unknown>} */
    const sent = new Map((body.fields ?? []).map((/** @type {any} */ f) => [f?.name, f?.value]));
    /** @type {Record<string, any>} */
    const settings = {};
    for (const spec of impl.fields) {
      if (!sent.has(spec.name)) {
        settings[spec.name] = structuredClone(spec.default);
        continue;
      }
      const value = sent.get(spec.name);
      if (isSecret(spec) && value === MASK) {
        settings[spec.name] =
          existing && existing.implementation === impl.implementation ? existing.settings[spec.name] : structuredClone(spec.default);
        continue;
      }
      const converted = convert(spec, value);
      if (converted.error)
        failures.push(failure(spec.name.charAt(0).toUpperCase() + spec.name.slice(1), converted.error, { attemptedValue: value }));
      else settings[spec.name] = converted.value;
    }
    const tags = Array.isArray(body.tags) ? body.tags : [];
    return {
      failures,
      impl,
      def: { id: existing?.id ?? 0, name, implementation: impl.implementation, configContract: impl.configContract, tags, settings, top },
    };
  }

  /** validate settings (+ test) the way ProviderControllerBase does; returns what blocks the save. */
  /** @param {Definition} def @param {Implementation} impl @param {boolean} includeWarnings @param {boolean} runTest */
  async function check(def, impl, includeWarnings, runTest) {
    const validation = blocking(impl.validate(def.settings), includeWarnings);
    if (validation.length > 0) return validation;
    if (!runTest) return [];
    try {
      return blocking(await impl.test(def.settings, def), includeWarnings);
    } catch (err) {
      return [failure('', `Test was aborted due to an error: ${/** @type {Error} */ (err).message}`)];
    }
  }

  const findDef = (/** @type {string} */ id) => store.find((d) => d.id === Number(id));

  router.on('GET', base, () => json(200, [...store].sort((a, b) => a.name.localeCompare(b.name)).map(toResource)));
  router.on('GET', `${base}/schema`, () =>
    json(
      200,
      kind.implementations.flatMap((impl) => {
        const template = {
          name: '',
          fields: fieldsOut(impl, Object.fromEntries(impl.fields.map((f) => [f.name, f.default]))),
          implementationName: impl.implementationName,
          implementation: impl.implementation,
          configContract: impl.configContract,
          infoLink: impl.infoLink,
          tags: [],
          presets: [],
          ...kind.topDefaults,
          ...(impl.resourceExtras ?? {}),
        };
        return kind.templates ? kind.templates(template, impl) : [template];
      }),
    ),
  );
  router.on('GET', `${base}/{id}`, (req) => {
    const def = findDef(req.params.id ?? '');
    return def ? json(200, toResource(def)) : json(404, { message: 'NotFound' });
  });
  router.on('POST', base, async (req) => {
    const forceSave = req.query.forceSave === /** @type {any} */ (true);
    const { def, impl, failures } = toDefinition(req.body ?? {}, undefined, true);
    if (!def || !impl || failures.length > 0) return badRequest(failures);
    const enabled = kind.enabled(def.top);
    const blockers = enabled ? await check(def, impl, !forceSave, true) : [];
    if (blockers.length > 0) return badRequest(blockers);
    def.id = nextId++;
    store.push(def);
    await kind.afterSave?.(def);
    return json(201, toResource(def));
  });
  router.on('PUT', `${base}/{id}`, async (req) => {
    const existing = findDef(req.params.id ?? '');
    if (!existing) return json(404, { message: 'NotFound' });
    const forceSave = req.query.forceSave === /** @type {any} */ (true);
    const { def, impl, failures } = toDefinition(req.body ?? {}, existing, false);
    if (!def || !impl || failures.length > 0) return badRequest(failures);
    const enabled = kind.enabled(def.top);
    const changed = JSON.stringify(existing) !== JSON.stringify(def);
    const retest = enabled && !forceSave && (kind.retestEveryPut || changed);
    const blockers = enabled ? await check(def, impl, !forceSave, retest) : [];
    if (blockers.length > 0) return badRequest(blockers);
    store.splice(store.indexOf(existing), 1, def);
    await kind.afterSave?.(def);
    return json(202, toResource(def));
  });
  router.on('DELETE', `${base}/{id}`, (req) => {
    const existing = findDef(req.params.id ?? '');
    if (!existing) return json(404, { message: 'NotFound' });
    store.splice(store.indexOf(existing), 1);
    return json(200, {});
  });
  router.on('POST', `${base}/test`, async (req) => {
    const forceTest = req.query.forceTest === /** @type {any} */ (true);
    const body = req.body ?? {};
    const existing = typeof body.id === 'number' && body.id > 0 ? findDef(String(body.id)) : undefined;
    const { def, impl, failures } = toDefinition({ ...body, name: body.name || 'test' }, existing, true);
    if (!def || !impl || failures.length > 0) return badRequest(failures.filter((f) => f.errorMessage !== 'Should be unique'));
    const blockers = await check(def, impl, !forceTest, true);
    return blockers.length > 0 ? badRequest(blockers) : json(200, {});
  });
}
