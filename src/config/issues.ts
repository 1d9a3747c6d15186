import { basename } from 'node:path';
import type { z } from 'zod';
import { UsageError } from '../errors.js';
import { holdsSecrets, isSecretField, MASK, redact } from '../redact.js';
import { echo, hasControl } from '../ui/echo.js';
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

/** Names come from the user too (a key of the answers file, a `--port` key): echoed like values. */
export function fieldLabel(path: readonly (string | number)[], source: AnswerSource): string {
  const [question, key] = path;
  if (source.kind === 'file') return echo(`${basename(source.file)} ${path.filter((p) => typeof p === 'string').join('.')}`);
  if (question === 'home' || question === 'config') return `--${question}`;
  const flag = flagFor(question as QuestionName);
  const detail = path[2];
  if (question === 'usenetServers' && (detail === 'user' || detail === 'password' || detail === 'connections')) return `--usenet-${detail}`;
  return (question === 'ports' || question === 'place') && typeof key === 'string' ? `${flag} ${echo(key)}` : flag;
}

/**
 * A value quoted back: masked when it answers a secret question or sits under a key that looks
 * like one (a misspelled `adminpassword:`), masked whole when it is (part of) an account list
 * other than one named field of an entry, and any secret given elsewhere in the same input masked.
 */
export function showValue(path: readonly (string | number)[], value: unknown, secrets: readonly string[] = []): string {
  if (path.some((p) => typeof p === 'string' && isSecretField(p))) return MASK;
  if (
    holdsSecrets(String(path[0])) &&
    (path.length < 2 || typeof path[path.length - 1] !== 'string' || (value !== null && typeof value === 'object'))
  )
    return MASK;
  return echo(redact(plainValue(value), secrets));
}

function plainValue(value: unknown): string {
  // JSON quoting makes a newline or tab in a value visible instead of breaking the line.
  if (typeof value === 'string') return JSON.stringify(value).slice(1, -1) === value ? value : JSON.stringify(value);
  // A list of names reads as it is typed (`--services plex,radarr`); anything else as JSON.
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value.join(',');
  return JSON.stringify(value) ?? String(value);
}

/** `<field>: <message> (got <value>)` — the one shape every input error is printed in. */
export function formatIssue(issue: AnswerIssue, source: AnswerSource, secrets: readonly string[] = []): string {
  const got = issue.value === undefined ? '' : ` (got ${showValue(issue.path, issue.value, secrets)})`;
  return `${fieldLabel(issue.path, source)}: ${issue.message}${got}`;
}

/** `source` may depend on the issue: a merged answer names the flag or the file key it came from. */
export function usageErrorFrom(
  issues: readonly AnswerIssue[],
  source: AnswerSource | ((issue: AnswerIssue) => AnswerSource),
  secrets: readonly string[] = [],
): UsageError {
  const sourceOf = typeof source === 'function' ? source : () => source;
  const lines = issues.map((i) => formatIssue(i, sourceOf(i), secrets));
  const first = issues[0];
  const field = first ? fieldLabel(first.path, sourceOf(first)) : undefined;
  return new UsageError(lines.length === 1 ? (lines[0] ?? '') : `Invalid input:\n  ${lines.join('\n  ')}`, field);
}

/** Strings in an input that must not be echoed: secret answers and values under secret-looking keys. */
export function secretsIn(input: unknown, underSecret = false): string[] {
  if (typeof input === 'string') return underSecret ? [input] : [];
  if (input === null || typeof input !== 'object') return [];
  return Object.entries(input).flatMap(([key, value]) => secretsIn(value, underSecret || isSecretField(key)));
}

/** Text with a control character in it, anywhere in the input (keys included). */
export function controlCharIssues(input: unknown, path: (string | number)[] = []): AnswerIssue[] {
  if (typeof input === 'string')
    return hasControl(input.replace(/[\r\n]/g, '')) ? [{ path, message: 'must not contain control characters', value: input }] : [];
  if (input === null || typeof input !== 'object') return [];
  return Object.entries(input).flatMap(([key, value]) => {
    const at = [...path, Array.isArray(input) ? Number(key) : key];
    return hasControl(key)
      ? [{ path: at, message: 'is not a known answer (it contains control characters)' }]
      : controlCharIssues(value, at);
  });
}

function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let node = input;
  for (const p of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[p];
  }
  return node;
}
