import { fileURLToPath } from 'node:url';

/**
 * The package root, where `templates/` ships. This module sits two levels below it both as
 * source (`src/compose/`) and built (`dist/compose/`), so one relative step works for both.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
