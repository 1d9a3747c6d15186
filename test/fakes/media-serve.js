// Puts a media fake's route handler on the shared core server (request log, /__fake/*, faults).
import { startFake } from './core/server.js';

/**
 * @typedef {import('./core/server.js').FakeRequest} FakeRequest
 * @typedef {import('./core/server.js').FakeResponse} FakeResponse
 * @typedef {import('./core/server.js').FakeHandle} FakeHandle
 * @typedef {object} MediaFakeOptions options common to every fake (BRIEF "Fakes")
 * @property {string} [host]
 * @property {number} [port]
 * @property {Record<string, string>} [env] the container's environment
 * @property {string} [configDir] host directory mounted as the container's config dir
 * @property {(containerPath: string) => string | undefined} [pathMap] container path → host path (undefined = not mounted)
 * @property {(url: string) => string} [resolve] container-name URL → where that service really listens
 * @property {string} [plexTvUrl]
 * @property {import('./core/faults.js').Faults} [faults]
 */

/**
 * @param {MediaFakeOptions & {
 *   name: string,
 *   state: unknown,
 *   handler: (req: FakeRequest) => Promise<FakeResponse>,
 *   control?: (req: FakeRequest) => FakeResponse | undefined | Promise<FakeResponse | undefined>,
 *   errorBody?: (req: FakeRequest) => unknown,
 * }} options
 * @returns {Promise<FakeHandle>}
 */
export function serveMediaFake(options) {
  return startFake({
    name: options.name,
    host: options.host,
    port: options.port,
    state: options.state,
    faults: options.faults,
    handle: options.handler,
    control: options.control,
    errorBody: options.errorBody,
  });
}
