// The media fakes' entries in the app registry (registry.js merges them with the *arr, Prowlarr
// and NZBGet tables): which images a fake stands in for, the port and config mount of the real
// container, and how to start it. run.js (compose runner) and serve.js (one fake per container) read them all.
import { startMaintainerr } from './maintainerr.js';
import { startNpmProxy } from './npm-proxy.js';
import { startPlex } from './plex.js';
import { startPlexTv } from './plextv.js';
import { startSeerr } from './seerr.js';

/**
 * @typedef {import('./media-serve.js').MediaFakeOptions} FakeOptions
 * @typedef {object} AppEntry
 * @property {string} app registry key (also `node test/fakes/serve.js <app>`)
 * @property {RegExp[]} images image names (tag stripped) this fake stands in for
 * @property {number} internalPort the port the real container listens on
 * @property {string[]} configMounts container paths its config dir may be mounted at (first found wins)
 * @property {(options: FakeOptions) => Promise<import('./core/server.js').FakeHandle>} start
 */

/** @type {AppEntry[]} */
export const APPS = [
  {
    app: 'plex',
    images: [/^(lscr\.io\/|ghcr\.io\/)?linuxserver\/plex$/, /^(docker\.io\/)?plexinc\/pms-docker$/],
    internalPort: 32400,
    configMounts: ['/config'],
    start: (o) => startPlex(o),
  },
  {
    app: 'seerr',
    images: [/^ghcr\.io\/seerr-team\/seerr$/, /^(docker\.io\/)?fallenbagel\/jellyseerr$/],
    internalPort: 5055,
    configMounts: ['/app/config'],
    start: (o) => startSeerr({ ...o, variant: 'seerr' }),
  },
  {
    app: 'overseerr',
    images: [/^(lscr\.io\/|ghcr\.io\/)?linuxserver\/overseerr$/, /^(docker\.io\/)?sctx\/overseerr$/],
    internalPort: 5055,
    configMounts: ['/config', '/app/config'],
    start: (o) => startSeerr({ ...o, variant: 'overseerr' }),
  },
  {
    app: 'maintainerr',
    images: [/^ghcr\.io\/maintainerr\/maintainerr$/, /^(ghcr\.io\/|docker\.io\/)?jorenn92\/maintainerr$/],
    internalPort: 6246,
    configMounts: ['/opt/data'],
    start: (o) => startMaintainerr(o),
  },
  {
    app: 'npm',
    images: [/^(docker\.io\/)?jc21\/nginx-proxy-manager$/],
    internalPort: 81,
    configMounts: ['/data'],
    start: (o) => startNpmProxy(o),
  },
  {
    app: 'plextv',
    images: [],
    internalPort: 80,
    configMounts: [],
    start: (o) => startPlexTv(o),
  },
];
