import { basename } from 'node:path';
import type { z } from 'zod';
import { UsageError } from '../errors.js';
import { holdsSecrets, isSecretField, MASK } from '../redact.js';
import { flagFor, type QuestionName } from './answers.js';

/**
 * A problem with one answer. `path` starts with the question name (`['ports', 'radarr']`,
 * `['mediaRoot']`) or with `home`/`config` for the two flags that are not questions.
 */
export interface AnswerIssue {
  path: (string | number)[];
  message: string;
  value?: unknown;
}

/** Where answers came from decides how an error names the field: a flag or a key of the file. */
export type AnswerSource = { kind: 'flags' } | { kind: 'file'; file: string };

export const FLAGS: AnswerSource = { kind: 'flags' };

export function issuesFromZod(error: z.ZodError, input: unknown): AnswerIssue[] {
  return error.issues.flatMap((issue): AnswerIssue[] => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key], message: 'is not a known answer', value: valueAt(input, [...path, key]) }));
    }
    return [{ path, message: issue.message, value: 'input' in issue && issue.input !== undefined ? issue.input : valueAt(input, path) }];
  });
}

export function fieldLabel(path: readonly (string | number)[], source: AnswerSource): string {
  const [question, key] = path;
  if (source.kind === 'file') return `${basename(source.file)} ${path.filter((p) => typeof p === 'string').join('.')}`;
  if (question === 'home' || question === 'config') return `--${question}`;
  const flag = flagFor(question as QuestionName);
  const detail = path[2];
  if (question === 'usenetServers' && (detail === 'user' || detail === 'password' || detail === 'connections')) return `--usenet-${detail}`;
  return question === 'ports' && typeof key === 'string' ? `${flag} ${key}` : flag;
}

export function showValue(path: readonly (string | number)[], value: unknown): string {
  if (path.some((p) => isSecretField(String(p)))) return MASK;
  if (holdsSecrets(String(path[0])) && (path.length < 2 || typeof path[path.length - 1] !== 'string' || (value !== null && typeof value === 'object'))) return MASK;
  // JSON quoting makes a newline or tab in a value visible instead of breaking the line.
  if (typeof value === 'string') return JSON.stringify(value).slice(1, -1) === value ? value : JSON.stringify(value);
  // A list of names reads as it is typed (`--services plex,radarr`); anything else as JSON.
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  return JSON.stringify(value) ?? String(value);
}

/** `<field>: <message> (got <value>)` — the one shape every input error is printed in. */
export function formatIssue(issue: AnswerIssue, source: AnswerSource): string {
  const got = issue.value === undefined ? '' : ` (got ${showValue(issue.path, issue.value)})`;
  return `${fieldLabel(issue.path, source)}: ${issue.message}${got}`;
}

/** `source` may depend on the issue: a merged answer names the flag or the file key it came from. */
export function usageErrorFrom(issues: readonly AnswerIssue[], source: AnswerSource | ((issue: AnswerIssue) => AnswerSource)): UsageError {
  const sourceOf = typeof source === 'function' ? source : () => source;
  const lines = issues.map((i) => formatIssue(i, sourceOf(i)));
  const first = issues[0];
  const field = first ? fieldLabel(first.path, sourceOf(first)) : undefined;
  return new UsageError(lines.length === 1 ? (lines[0] ?? '') : `Invalid input:\n  ${lines.join('\n  ')}`, field);
}

function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let node = input;
  for (const p of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[p];
  }
  return node;
}
