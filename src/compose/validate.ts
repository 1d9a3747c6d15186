import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './paths.js';
import { loadSpecValidator, type SpecValidator } from './spec-validator.js';

/**
 * The Compose specification lives beside the repository (`../shared/contracts/`) and is used in
 * place, never copied. An installed plexarr has no such folder: it then relies on rendering from
 * the catalog (whose every scenario the tests validate against the real file) and skips this check.
 */
export const COMPOSE_SPEC_PATH = join(PACKAGE_ROOT, '..', 'shared', 'contracts', 'compose-spec.json');

let compiled: SpecValidator | undefined;

/** Whether validateCompose checks anything on this machine (for a debug note from the caller). */
export function composeSpecAvailable(specPath = COMPOSE_SPEC_PATH): boolean {
  return existsSync(specPath);
}

/** Errors as `<path> <message>` lines; empty when valid (or when the spec file is absent). */
export function validateCompose(compose: unknown, specPath = COMPOSE_SPEC_PATH): string[] {
  if (!existsSync(specPath)) return [];
  const validate = specPath === COMPOSE_SPEC_PATH ? (compiled ??= loadSpecValidator(specPath)) : loadSpecValidator(specPath);
  if (validate(compose)) return [];
  return (validate.errors ?? []).map((e) => {
    const extra = e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : '';
    return `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${extra}`;
  });
}
