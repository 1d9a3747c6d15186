import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './paths.js';
import { loadSpecValidator, type SpecValidator } from './spec-validator.js';

/** The Compose specification, vendored into the package (its source and version: SOURCES.md). */
export const COMPOSE_SPEC_PATH = join(PACKAGE_ROOT, 'schemas', 'compose-spec.json');

let compiled: SpecValidator | undefined;

/**
 * Errors as `<path> <message>` lines; empty when valid. A missing spec file means a broken
 * package, never "nothing to check": it throws rather than let an unvalidated file through.
 */
export function validateCompose(compose: unknown, specPath = COMPOSE_SPEC_PATH): string[] {
  if (!existsSync(specPath))
    throw new Error(`the Compose specification is missing from the plexarr package (${specPath}); reinstall plexarr`);
  const validate = specPath === COMPOSE_SPEC_PATH ? (compiled ??= loadSpecValidator(specPath)) : loadSpecValidator(specPath);
  if (validate(compose)) return [];
  return (validate.errors ?? []).map((e) => {
    const extra = e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : '';
    return `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${extra}`;
  });
}
