// Root folders (API-NOTES §1.6). The path is a container path: it must be absolute, exist (checked
// on the host through pathMap, i.e. through the container's volume), be writable and not be a
// root folder already. Lidarr also needs a name and existing default profile ids, and has PUT.
import { accessSync, constants, statSync, statfsSync } from 'node:fs';
import { json } from '../core/index.js';
import { badRequest, failure, notEmpty } from './failures.js';

/** @param {string} p */
const clean = (p) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/** @param {string} hostPath */
function diskSpace(hostPath) {
  try {
    const s = statfsSync(hostPath);
    return { freeSpace: s.bavail * s.bsize, totalSpace: s.blocks * s.bsize };
  } catch {
    return { freeSpace: 0, totalSpace: 0 };
  }
}

/**
 * @param {ReturnType<typeof import('../core/index.js').createRouter>} router
 * @param {import('./base.js').ArrContext} ctx
 */
export function mountRootFolders(router, ctx) {
  const root = `${ctx.profile.apiRoot}/rootfolder`;
  const lidarr = ctx.profile.app === 'lidarr';
  /** @type {any[]} */
  const folders = ctx.state.rootFolders;
  let nextId = 1;

  /** @param {any} f */
  function toResource(f) {
    const host = ctx.pathMap(f.path);
    let accessible = false;
    try {
      accessible = statSync(host).isDirectory();
    } catch {
      accessible = false;
    }
    const space = diskSpace(host);
    if (lidarr) return { ...f, accessible, freeSpace: space.freeSpace, totalSpace: space.totalSpace };
    return { id: f.id, path: f.path, accessible, freeSpace: space.freeSpace, unmappedFolders: [] };
  }

  /** @param {any} body @param {boolean} isNew */
  function validate(body, isNew) {
    const failures = [];
    const path = typeof body.path === 'string' ? clean(body.path.trim()) : '';
    if (!path.startsWith('/')) failures.push(failure('Path', `Invalid Path: '${body.path ?? ''}'`, { attemptedValue: body.path ?? null }));
    else if (isNew && folders.some((f) => f.path === path))
      failures.push(failure('Path', `Path '${path}' is already configured as a root folder`, { attemptedValue: path }));
    else {
      const host = ctx.pathMap(path);
      let exists = false;
      try {
        exists = statSync(host).isDirectory();
      } catch {
        exists = false;
      }
      if (!exists) failures.push(failure('Path', `Path '${path}' does not exist`, { attemptedValue: path }));
      else {
        try {
          accessSync(host, constants.W_OK);
        } catch {
          failures.push(failure('Path', `Folder '${path}' is not writable by user 'abc'`, { attemptedValue: path }));
        }
      }
    }
    if (lidarr) {
      if (!body.name || String(body.name).trim() === '') failures.push(notEmpty('Name', body.name ?? null));
      if (!ctx.state.qualityProfiles.some((/** @type {any} */ p) => p.id === body.defaultQualityProfileId)) {
        failures.push(
          failure('DefaultQualityProfileId', 'Quality Profile does not exist', { attemptedValue: body.defaultQualityProfileId ?? 0 }),
        );
      }
      if (!ctx.state.metadataProfiles.some((/** @type {any} */ p) => p.id === body.defaultMetadataProfileId)) {
        failures.push(
          failure('DefaultMetadataProfileId', 'Metadata Profile does not exist', { attemptedValue: body.defaultMetadataProfileId ?? 0 }),
        );
      }
    }
    return { failures, path };
  }

  /** @param {any} body @param {string} path @param {number} id */
  const record = (body, path, id) =>
    lidarr
      ? {
          id,
          name: String(body.name),
          path,
          defaultMetadataProfileId: body.defaultMetadataProfileId,
          defaultQualityProfileId: body.defaultQualityProfileId,
          defaultMonitorOption: body.defaultMonitorOption ?? 'all',
          defaultNewItemMonitorOption: body.defaultNewItemMonitorOption ?? 'all',
          defaultTags: body.defaultTags ?? [],
        }
      : { id, path };

  router.on('GET', root, () => json(200, folders.map(toResource)));
  router.on('GET', `${root}/{id}`, (req) => {
    const f = folders.find((x) => x.id === Number(req.params.id));
    return f ? json(200, toResource(f)) : json(404, { message: 'NotFound' });
  });
  router.on('POST', root, (req) => {
    const body = req.body ?? {};
    const { failures, path } = validate(body, true);
    if (failures.length > 0) return badRequest(failures);
    const f = record(body, path, nextId++);
    folders.push(f);
    return json(201, toResource(f));
  });
  router.on('DELETE', `${root}/{id}`, (req) => {
    const i = folders.findIndex((x) => x.id === Number(req.params.id));
    if (i < 0) return json(404, { message: 'NotFound' });
    folders.splice(i, 1);
    return json(200, {});
  });
  if (lidarr) {
    router.on('PUT', `${root}/{id}`, (req) => {
      const i = folders.findIndex((x) => x.id === Number(req.params.id));
      if (i < 0) return json(404, { message: 'NotFound' });
      const { failures, path } = validate(req.body ?? {}, false);
      if (failures.length > 0) return badRequest(failures);
      folders[i] = record(req.body, path, Number(req.params.id));
      return json(202, toResource(folders[i]));
    });
  }
}
