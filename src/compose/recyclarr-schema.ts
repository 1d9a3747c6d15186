import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ErrorObject } from 'ajv';
import { PACKAGE_ROOT } from './paths.js';

/**
 * Recyclarr's published JSON schema for `recyclarr.yml`, vendored under `schemas/recyclarr/`
 * (its `$ref`s point at `config/*.json` by relative path, so the folder layout is kept).
 */
export const RECYCLARR_SCHEMA_DIR = join(PACKAGE_ROOT, 'schemas', 'recyclarr');

const require = createRequire(import.meta.url);
let compiled: (((data: unknown) => boolean) & { errors?: ErrorObject[] | null }) | undefined;

function compile(): NonNullable<typeof compiled> {
  const { Ajv } = require('ajv') as typeof import('ajv');
  // validateSchema off: the files name draft-07 without the trailing '#' ajv registers it under.
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
  const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  for (const file of readdirSync(join(RECYCLARR_SCHEMA_DIR, 'config')).filter((f) => f.endsWith('.json'))) {
    ajv.addSchema(read(join(RECYCLARR_SCHEMA_DIR, 'config', file)), `config/${file}`);
  }
  return ajv.compile(read(join(RECYCLARR_SCHEMA_DIR, 'config-schema.json')));
}

/** Errors as `<path> <message>` lines; empty when the document is a valid Recyclarr configuration. */
export function validateRecyclarrConfig(document: unknown): string[] {
  const validate = (compiled ??= compile());
  if (validate(document)) return [];
  return (validate.errors ?? []).map((e) => {
    const extra = e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : '';
    return `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${extra}`;
  });
}
