import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { echo } from '../ui/echo.js';
import type { Answers } from './answers.js';
import { parseAnswers } from './flags.js';

/**
 * Aliases expand when the document becomes data: ten nested aliases of ten ("billion laughs")
 * would take gigabytes. A real answers file needs none, so a handful is plenty.
 */
const MAX_ALIASES = 20;

/**
 * `--config answers.yaml`: the wizard's answers as a YAML (or JSON) mapping, unknown keys rejected.
 * `knownSecrets` (given as flags) are masked if the file repeats them under another key.
 */
export async function loadAnswersFile(path: string, knownSecrets: readonly string[] = []): Promise<Answers> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(
      `--config: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}) (got ${echo(path)})`,
      '--config',
    );
  }
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text, { uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    // The message's first line already ends with "at line L, column C:".
    const why = (yamlError.message.split('\n')[0] ?? yamlError.code).replace(/:$/, '');
    throw new UsageError(`--config: is not valid YAML: ${why} (got ${echo(path)})`, '--config');
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    // yaml throws a ReferenceError for too many aliases and for an alias to no anchor.
    if (!(err instanceof ReferenceError)) throw err;
    const why = /alias count/i.test(err.message)
      ? `uses more than ${MAX_ALIASES} YAML aliases (*name); write the values out instead`
      : `is not valid YAML: ${err.message}`;
    throw new UsageError(`--config: ${why} (got ${echo(path)})`, '--config');
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(`--config: must be a mapping of answers such as "mediaRoot: /srv/data" (got ${echo(path)})`, '--config');
  }
  return parseAnswers(data, { kind: 'file', file: path }, [], knownSecrets);
}
