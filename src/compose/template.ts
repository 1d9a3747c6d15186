import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from './paths.js';

export type TemplateValue = string | number | readonly unknown[] | Record<string, unknown> | undefined;

const PLACEHOLDER = /\{\{([A-Za-z]+)\}\}/g;
const WHOLE = /^\{\{([A-Za-z]+)\}\}$/;
const cache = new Map<string, unknown>();

export function loadTemplate(name: string): unknown {
  let parsed = cache.get(name);
  if (parsed === undefined) {
    parsed = parse(readFileSync(join(PACKAGE_ROOT, 'templates', 'services', `${name}.yml`), 'utf8'));
    cache.set(name, parsed);
  }
  return parsed;
}

function lookup(values: Record<string, TemplateValue>, key: string, template: string): TemplateValue {
  if (!(key in values)) throw new Error(`template ${template} uses unknown placeholder {{${key}}}`);
  return values[key];
}

/**
 * Fills `{{name}}` placeholders in an already-parsed template. Substituting after parsing means
 * no value can change the YAML structure; the serializer quotes whatever needs quoting. A string
 * that is one whole placeholder takes the value as is (a list, a map); a key whose value is
 * `undefined` is dropped, so an empty `depends_on` simply disappears.
 */
export function fillTemplate(node: unknown, values: Record<string, TemplateValue>, template: string): unknown {
  if (typeof node === 'string') {
    const whole = WHOLE.exec(node);
    if (whole?.[1] !== undefined) return lookup(values, whole[1], template);
    return node.replace(PLACEHOLDER, (_m, key: string) => {
      const value = lookup(values, key, template);
      if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`template ${template}: {{${key}}} is not a scalar`);
      return String(value);
    });
  }
  if (Array.isArray(node)) return node.map((item) => fillTemplate(item, values, template));
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      const filled = fillTemplate(value, values, template);
      if (filled !== undefined) out[key] = filled;
    }
    return out;
  }
  return node;
}
