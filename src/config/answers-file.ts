import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import type { Answers } from './answers.js';
import { parseAnswers } from './flags.js';

/** `--config answers.yaml`: the wizard's answers as a YAML (or JSON) mapping, unknown keys rejected. */
export async function loadAnswersFile(path: string): Promise<Answers> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`--config: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}) (got ${path})`, '--config');
  }
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text, { uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    // The message's first line already ends with "at line L, column C:".
    const why = (yamlError.message.split('\n')[0] ?? yamlError.code).replace(/:$/, '');
    throw new UsageError(`--config: is not valid YAML: ${why} (got ${path})`, '--config');
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(`--config: must be a mapping of answers such as "mediaRoot: /srv/data" (got ${path})`, '--config');
  }
  return parseAnswers(data, { kind: 'file', file: path });
}
