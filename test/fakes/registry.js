// The app registry run.js and serve.js start fakes from: the media fakes' entries
// (registry-media.js) plus the tables arr.js, prowlarr.js and nzbget.js export as
// `APPS = { <app>: { start, internalPort, configMount } }` (all linuxserver images named after the app).
import { APPS as ARR_APPS } from './arr.js';
import { APPS as NZBGET_APPS } from './nzbget.js';
import { APPS as PROWLARR_APPS } from './prowlarr.js';
import { APPS as MEDIA_APPS } from './registry-media.js';

/**
 * Images that are deliberately not faked.
 * @type {{ image: RegExp, reason: string }[]}
 */
export const NOT_FAKED = [
  { image: /(^|\/)linuxserver\/wireguard$/, reason: 'wireguard is not faked (no HTTP API)' },
  {
    image: /(^|\/)recyclarr\/recyclarr$/,
    reason: 'recyclarr is not faked (no HTTP API; plexarr runs `recyclarr sync` in it through docker compose exec)',
  },
];

/** @param {string} app */
const linuxserverImage = (app) => new RegExp(`^((lscr|ghcr)\\.io/|docker\\.io/)?linuxserver/${app}$`);

/**
 * @param {Record<string, { start: (o: any) => Promise<import('./core/server.js').FakeHandle>, internalPort: number, configMount?: string }>} apps
 * @returns {import('./registry-media.js').AppEntry[]}
 */
function fromAppTable(apps) {
  return Object.entries(apps).map(([app, a]) => ({
    app,
    images: [linuxserverImage(app)],
    internalPort: a.internalPort,
    configMounts: a.configMount ? [a.configMount] : [],
    start: (o) => a.start(o),
  }));
}

/** @type {import('./registry-media.js').AppEntry[]} */
export const ALL_APPS = [...MEDIA_APPS, ...fromAppTable({ ...ARR_APPS, ...PROWLARR_APPS, ...NZBGET_APPS })];

/**
 * @param {import('./registry-media.js').AppEntry[]} apps
 * @param {string} image image name without tag
 */
export function appForImage(apps, image) {
  return apps.find((a) => a.images.some((re) => re.test(image)));
}
