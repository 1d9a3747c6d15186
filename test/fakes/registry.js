// The app registry run.js and serve.js start fakes from. Two sources:
// - test/fakes/registry-*.js files exporting `APPS: AppEntry[]` (registry-media.js: Plex, plex.tv,
//   Seerr/Overseerr, Maintainerr);
// - fake modules exporting `APPS = { <app>: { start, internalPort, configMount } }` (arr.js,
//   prowlarr.js, nzbget.js), all linuxserver images named after the app.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const APP_MODULES = ['arr.js', 'prowlarr.js', 'nzbget.js'];

/**
 * Images that are deliberately not faked.
 * @type {{ image: RegExp, reason: string }[]}
 */
export const NOT_FAKED = [
  { image: /(^|\/)linuxserver\/wireguard$/, reason: 'wireguard is not faked (no HTTP API)' },
  { image: /(^|\/)jc21\/nginx-proxy-manager$/, reason: 'nginx-proxy-manager is not faked' },
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

/** @returns {Promise<import('./registry-media.js').AppEntry[]>} */
export async function loadApps() {
  const registries = readdirSync(HERE).filter((f) => /^registry-[\w-]+\.js$/.test(f)).sort();
  const tables = APP_MODULES.filter((f) => existsSync(`${HERE}/${f}`));
  const [lists, modules] = await Promise.all([
    Promise.all(registries.map((f) => import(new URL(f, import.meta.url).href))),
    Promise.all(tables.map((f) => import(new URL(f, import.meta.url).href))),
  ]);
  return [
    ...lists.flatMap((m) => /** @type {import('./registry-media.js').AppEntry[]} */ (m.APPS ?? [])),
    ...modules.flatMap((m) => (m.APPS && !Array.isArray(m.APPS) ? fromAppTable(m.APPS) : [])),
  ];
}

/**
 * @param {import('./registry-media.js').AppEntry[]} apps
 * @param {string} image image name without tag
 */
export function appForImage(apps, image) {
  return apps.find((a) => a.images.some((re) => re.test(image)));
}
