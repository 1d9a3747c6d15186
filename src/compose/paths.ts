import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root, where `templates/` and `schemas/` ship: the nearest folder above this module
 * with a package.json. Found by walking up because this code runs from `src/compose/` (tests),
 * and from a bundle in `dist/` (the CLI), at different depths.
 */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}: the plexarr package is incomplete`);
  }
}
