// Which npm packages a process ran code from, given the module URLs trace-imports.mjs recorded:
// packages loaded from node_modules directly, and those bundled into the dist/ files it loaded
// (read from each file's source map, whose sources name the original files).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PACKAGE = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//;

/** @param {string[]} urls @returns {Set<string>} */
export function loadedPackages(urls) {
  const names = new Set();
  for (const url of urls) {
    const direct = PACKAGE.exec(url)?.[1];
    if (direct) {
      names.add(direct);
      continue;
    }
    if (!url.startsWith('file:') || !url.includes('/dist/')) continue;
    const map = `${fileURLToPath(url)}.map`;
    if (!existsSync(map)) continue;
    for (const source of JSON.parse(readFileSync(map, 'utf8')).sources) {
      const bundled = PACKAGE.exec(source)?.[1];
      if (bundled) names.add(bundled);
    }
  }
  return names;
}
