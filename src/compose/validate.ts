import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { PACKAGE_ROOT } from './paths.js';

/**
 * The Compose specification lives beside the repository (`../shared/contracts/`) and is used in
 * place, never copied. An installed plexarr has no such folder: it then relies on rendering from
 * the catalog (whose every scenario the tests validate against the real file) and skips this check.
 */
export const COMPOSE_SPEC_PATH = join(PACKAGE_ROOT, '..', 'shared', 'contracts', 'compose-spec.json');

let compiled: ValidateFunction | null | undefined;

function validator(specPath: string): ValidateFunction | null {
  if (!existsSync(specPath)) return null;
  const schema = JSON.parse(readFileSync(specPath, 'utf8')) as Record<string, unknown>;
  // The file names draft-07 by an https URL ajv does not know; ajv's default dialect is draft-07.
  delete schema.$schema;
  // strict: false because the spec uses annotation keywords (`deprecated`) outside draft-07.
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

/** Whether validateCompose checks anything on this machine (for a debug note from the caller). */
export function composeSpecAvailable(specPath = COMPOSE_SPEC_PATH): boolean {
  return existsSync(specPath);
}

/** Errors as `<path> <message>` lines; empty when valid (or when the spec file is absent). */
export function validateCompose(compose: unknown, specPath = COMPOSE_SPEC_PATH): string[] {
  const validate = specPath === COMPOSE_SPEC_PATH ? (compiled ??= validator(specPath)) : validator(specPath);
  if (!validate || validate(compose)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}
