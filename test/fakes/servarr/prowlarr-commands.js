// Prowlarr's app sync profiles (`/api/v1/appprofile`) and commands (`/api/v1/command`), of which
// the fake runs ApplicationIndexerSync. Verified against the real app's source (Prowlarr 2.x):
// Profiles/AppSyncProfileService.cs (one "Standard" profile on first start: RSS, automatic and
// interactive search on, minimum seeders 1), Prowlarr.Api.V1/Commands/CommandController.cs (the
// name is the command class name without "Command", case-insensitive; an unknown name fails in
// `.Single(...)`, which the error pipeline answers with a 500; a known one is queued and answered
// 201 with the command resource, which GET /command/{id} follows to "completed").
import { json } from '../core/index.js';
import { syncIndexers } from './prowlarr-sync.js';

/**
 * @typedef {import('./providers.js').Definition} Definition
 * @typedef {{ indexerSaved: (indexer: Definition) => Promise<void>, applicationSaved: (app: Definition) => Promise<void> }} SyncHooks
 */

/**
 * Mounts the routes and returns what ApplicationService does when an indexer or an application is
 * added or changed: that indexer goes to every app, or every enabled indexer to that app.
 * @param {ReturnType<typeof import('../core/index.js').createRouter>} router
 * @param {import('./base.js').ArrContext} ctx
 * @returns {SyncHooks}
 */
export function mountProwlarrCommands(router, ctx) {
  const root = ctx.profile.apiRoot;
  const state = ctx.state;
  const deps = { resolve: ctx.resolve, apiKey: () => ctx.config.apiKey, profiles: () => state.appProfiles, log: state.syncLog };
  /** @param {Definition[]} apps @param {Definition[]} indexers @param {{ removeRemote: boolean, forceSync: boolean }} how */
  const sync = (apps, indexers, how) => syncIndexers(apps, indexers, deps, how);
  const once = { removeRemote: false, forceSync: false };

  router.on('GET', `${root}/appprofile`, () => json(200, state.appProfiles));
  router.on('GET', `${root}/appprofile/{id}`, (req) => {
    const profile = state.appProfiles.find((/** @type {{ id: number }} */ p) => p.id === Number(req.params.id));
    return profile ? json(200, profile) : json(404, { message: 'NotFound' });
  });

  /** @type {{ id: number, name: string, commandName: string, body: Record<string, unknown>, priority: string, status: string, queued: string, started?: string, ended?: string, trigger: string, done: Promise<void> }[]} */
  const commands = (state.commands ??= []);
  /** @param {(typeof commands)[number]} c */
  const resource = ({ done: _done, ...c }) => ({ ...c, sendUpdatesToClient: true, updateScheduledTask: true });

  router.on('POST', `${root}/command`, (req) => {
    const body = /** @type {Record<string, unknown>} */ (req.body ?? {});
    if (String(body.name ?? '').toLowerCase() !== 'applicationindexersync') {
      return json(500, {
        message: 'Sequence contains no matching element',
        description: 'System.InvalidOperationException: Sequence contains no matching element',
      });
    }
    const forceSync = body.forceSync === true;
    const now = new Date().toISOString();
    const command = {
      id: commands.length + 1,
      name: 'ApplicationIndexerSync',
      commandName: 'Application Indexer Sync',
      body: {
        forceSync,
        sendUpdatesToClient: true,
        updateScheduledTask: true,
        requiresDiskAccess: false,
        isExclusive: false,
        isTypeExclusive: false,
        isLongRunning: false,
        name: 'ApplicationIndexerSync',
        trigger: 'manual',
        suppressMessages: false,
      },
      priority: 'normal',
      status: 'queued',
      queued: now,
      trigger: 'manual',
      done: Promise.resolve(),
    };
    // Queued first, run right after the answer, like the real command queue.
    command.done = new Promise((resolve) => setImmediate(resolve)).then(async () => {
      command.status = 'started';
      command.started = new Date().toISOString();
      await sync(state.applications, state.indexers, { removeRemote: true, forceSync });
      command.status = 'completed';
      command.ended = new Date().toISOString();
    });
    commands.push(command);
    return json(201, resource(command));
  });
  router.on('GET', `${root}/command`, () => json(200, commands.map(resource)));
  router.on('GET', `${root}/command/{id}`, (req) => {
    const command = commands.find((c) => c.id === Number(req.params.id));
    return command ? json(200, resource(command)) : json(404, { message: 'NotFound' });
  });
  return {
    indexerSaved: (indexer) => sync(state.applications, [indexer], once),
    applicationSaved: (app) =>
      sync(
        [app],
        state.indexers.filter((/** @type {Definition} */ i) => i.top.enable === true),
        once,
      ),
  };
}
