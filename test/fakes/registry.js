// Collects every app registry file (test/fakes/registry-*.js, each exporting `APPS`).
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));

/**
 * Images that are deliberately not faked (no HTTP API plexarr drives, or out of scope).
 * @type {{ image: RegExp, reason: string }[]}
 */
export const NOT_FAKED = [
  { image: /(^|\/)linuxserver\/wireguard$/, reason: 'wireguard is not faked (no HTTP API)' },
  { image: /(^|\/)jc21\/nginx-proxy-manager$/, reason: 'nginx-proxy-manager is not faked' },
];

/** @returns {Promise<import('./registry-media.js').AppEntry[]>} */
export async function loadApps() {
  const files = readdirSync(HERE).filter((f) => /^registry-[\w-]+\.js$/.test(f)).sort();
  const modules = await Promise.all(files.map((f) => import(new URL(f, import.meta.url).href)));
  return modules.flatMap((m) => /** @type {import('./registry-media.js').AppEntry[]} */ (m.APPS ?? []));
}

/**
 * @param {import('./registry-media.js').AppEntry[]} apps
 * @param {string} image image name without tag
 */
export function appForImage(apps, image) {
  return apps.find((a) => a.images.some((re) => re.test(image)));
}
