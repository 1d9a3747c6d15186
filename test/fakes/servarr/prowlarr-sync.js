// Prowlarr's application indexer sync: each sync-enabled application (Radarr/Sonarr/Lidarr) gets
// every enabled indexer as a Newznab indexer named "<indexer> (Prowlarr)" with baseUrl
// `<prowlarrUrl>/<id>/`, apiPath /api, Prowlarr's API key and the categories the indexer offers
// out of the app's sync categories. Verified against the real app's source (Prowlarr 2.x):
// Applications/ApplicationService.cs (SyncIndexers, ShouldHandleIndexer, removal on the full
// command), Applications/Radarr/Radarr.cs (GetIndexerMappings, AddIndexer, UpdateIndexer,
// BuildRadarrIndexer: the fields come from the target's own /indexer/schema), RadarrV3Proxy.cs
// (a 400 on POST/PUT is retried once with forceSave=true), RadarrIndexer.Equals (what counts as a
// change: a masked apiKey from the target matches). Sonarr/Lidarr work the same way; Sonarr also
// gets animeCategories from animeSyncCategories, Lidarr is called on /api/v1.
import { callJson } from '../core/index.js';
import { categoryIds } from './prowlarr-indexers.js';
import { MASK } from './providers.js';

const SYNC_FIELDS = [
  'baseUrl',
  'apiPath',
  'apiKey',
  'categories',
  'animeCategories',
  'minimumSeeders',
  'seedCriteria.seedRatio',
  'seedCriteria.seedTime',
  'rejectBlocklistedTorrentHashesWhileGrabbing',
];
const FIRST_SYNC_FIELDS = ['multiLanguages', 'removeYear', 'requiredFlags', 'additionalParameters'];

/**
 * @typedef {import('./providers.js').Definition} Definition
 * @typedef {{ id: number, enableRss: boolean, enableAutomaticSearch: boolean, enableInteractiveSearch: boolean }} AppProfile
 * @typedef {{ resolve: (url: string) => string, apiKey: () => string, profiles: () => AppProfile[], log: string[] }} SyncDeps
 */

/** @param {any} resource @param {string} name */
const field = (resource, name) => (resource.fields ?? []).find((/** @type {any} */ f) => f.name === name);

/** The app's categories the indexer supports, in the app's order. @param {number[]} wanted @param {Definition} indexer */
const supported = (wanted, indexer) => {
  const offered = new Set(categoryIds(indexer.top.capabilities));
  return (wanted ?? []).filter((c) => offered.has(c));
};

/** @param {Definition} app @param {Definition} indexer */
function shouldHandle(app, indexer) {
  if (typeof indexer.settings.baseUrl !== 'string' || indexer.settings.baseUrl.trim() === '') return false;
  return app.tags.length === 0 || app.tags.some((t) => indexer.tags.includes(t));
}

/** @param {any} mine @param {any} remote */
function same(mine, remote) {
  const v = (/** @type {any} */ r, /** @type {string} */ n) => field(r, n)?.value ?? null;
  const remoteKey = v(remote, 'apiKey');
  return (
    ['enableRss', 'enableAutomaticSearch', 'enableInteractiveSearch', 'name', 'implementation', 'priority', 'id'].every(
      (k) => mine[k] === remote[k],
    ) &&
    (remoteKey === MASK || remoteKey === v(mine, 'apiKey')) &&
    ['baseUrl', 'apiPath'].every((n) => v(mine, n) === v(remote, n)) &&
    JSON.stringify(v(mine, 'categories')) === JSON.stringify(v(remote, 'categories'))
  );
}

/**
 * One application's sync.
 * @param {Definition} app @param {Definition[]} indexers @param {SyncDeps} deps
 * @param {{ removeRemote: boolean, forceSync: boolean }} how
 */
async function syncApp(app, indexers, deps, how) {
  const s = app.settings;
  const prowlarrUrl = String(s.prowlarrUrl).replace(/\/+$/, '');
  const root = `${deps.resolve(String(s.baseUrl).replace(/\/+$/, ''))}${app.implementation === 'Lidarr' ? '/api/v1' : '/api/v3'}`;
  const headers = { 'X-Api-Key': String(s.apiKey) };
  /** @param {string} method @param {string} path @param {unknown} [body] */
  const call = (method, path, body) => callJson(`${root}${path}`, { method, headers, body, timeoutMs: 15000 });
  /** POST/PUT, retried with forceSave once when the target answers 400. @param {string} method @param {string} path @param {unknown} body */
  const save = async (method, path, body) => {
    const first = await call(method, path, body);
    const res = first.status === 400 ? await call(method, `${path}?forceSave=true`, body) : first;
    deps.log.push(`${app.name}: ${method} ${path} → ${res.status || res.error}`);
    return res;
  };

  const list = await call('GET', '/indexer');
  if (list.status !== 200 || !Array.isArray(list.body)) {
    deps.log.push(`${app.name}: GET /indexer → ${list.status || list.error}`);
    return;
  }
  /** @type {Map<number, any>} Prowlarr indexer id → the target's indexer */
  const mapped = new Map();
  for (const remote of list.body.filter((/** @type {any} */ r) => r.implementation === 'Newznab' || r.implementation === 'Torznab')) {
    const baseUrl = String(field(remote, 'baseUrl')?.value ?? '');
    const id = /\/(\d+)\/?$/.exec(baseUrl)?.[1];
    if (id && baseUrl.startsWith(prowlarrUrl)) mapped.set(Number(id), remote);
  }
  /** @type {any[] | undefined} */
  let schema;

  /** @param {Definition} indexer @param {number} remoteId */
  const build = async (indexer, remoteId) => {
    schema ??= (await call('GET', '/indexer/schema')).body;
    const template = (schema ?? []).find((/** @type {any} */ t) => t.implementation === 'Newznab');
    if (!template) throw new Error(`${app.name} lists no Newznab indexer in its schema`);
    const profile = deps.profiles().find((p) => p.id === indexer.top.appProfileId);
    const keep = remoteId === 0 ? [...SYNC_FIELDS, ...FIRST_SYNC_FIELDS] : SYNC_FIELDS;
    const values = {
      baseUrl: `${prowlarrUrl}/${indexer.id}/`,
      apiPath: '/api',
      apiKey: deps.apiKey(),
      categories: supported(s.syncCategories, indexer),
      animeCategories: supported(s.animeSyncCategories, indexer),
    };
    const on = indexer.top.enable === true;
    return {
      id: remoteId,
      name: `${indexer.name} (Prowlarr)`,
      enableRss: on && Boolean(profile?.enableRss),
      enableAutomaticSearch: on && Boolean(profile?.enableAutomaticSearch),
      enableInteractiveSearch: on && Boolean(profile?.enableInteractiveSearch),
      priority: indexer.top.priority,
      implementation: 'Newznab',
      configContract: template.configContract,
      tags: [],
      fields: template.fields
        .filter((/** @type {any} */ f) => keep.includes(f.name))
        .map((/** @type {any} */ f) => ({
          name: f.name,
          value: f.name in values ? values[/** @type {keyof typeof values} */ (f.name)] : f.value,
        })),
    };
  };

  for (const indexer of [...indexers].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))) {
    const remote = mapped.get(indexer.id);
    const offered = supported(s.syncCategories, indexer).length > 0;
    if (!remote) {
      if (indexer.top.enable === true && shouldHandle(app, indexer) && offered) await save('POST', '/indexer', await build(indexer, 0));
      continue;
    }
    if (app.top.syncLevel !== 'fullSync' || !shouldHandle(app, indexer)) continue;
    const mine = await build(indexer, remote.id);
    if (same(mine, remote) && !how.forceSync) continue;
    if (!offered) {
      deps.log.push(`${app.name}: DELETE /indexer/${remote.id} → ${(await call('DELETE', `/indexer/${remote.id}`)).status}`);
      continue;
    }
    // What the user set on the target and Prowlarr does not manage stays as it is.
    mine.fields.push(...remote.fields.filter((/** @type {any} */ f) => !mine.fields.some((m) => m.name === f.name)));
    mine.tags = [...new Set([...mine.tags, ...(remote.tags ?? [])])];
    await save('PUT', `/indexer/${remote.id}`, { ...mine, downloadClientId: remote.downloadClientId ?? 0 });
  }

  if (!how.removeRemote) return;
  for (const [indexerId, remote] of mapped) {
    const indexer = indexers.find((i) => i.id === indexerId);
    if (!indexer || (app.top.syncLevel === 'fullSync' && !shouldHandle(app, indexer))) {
      deps.log.push(`${app.name}: DELETE /indexer/${remote.id} → ${(await call('DELETE', `/indexer/${remote.id}`)).status}`);
    }
  }
}

/**
 * Syncs the indexers to every sync-enabled application, one after the other. A failing app is
 * recorded in deps.log and the others still run.
 * @param {Definition[]} apps @param {Definition[]} indexers @param {SyncDeps} deps
 * @param {{ removeRemote: boolean, forceSync: boolean }} how
 */
export async function syncIndexers(apps, indexers, deps, how) {
  for (const app of apps.filter((a) => a.top.syncLevel === 'addOnly' || a.top.syncLevel === 'fullSync')) {
    try {
      await syncApp(app, indexers, deps, how);
    } catch (err) {
      deps.log.push(`${app.name}: ${/** @type {Error} */ (err).message}`);
    }
  }
}
