import type { PromptProvider, Validate } from '../../src/wizard/prompt.js';

/** Several answers to one question, tried in order until one passes its validation. */
export interface Tries {
  tries: unknown[];
}
export const tries = (...values: unknown[]): Tries => ({ tries: values });

/**
 * A prompt provider that answers by question name, as a person would: each answer goes through
 * the question's own validation, and a rejected answer is recorded with the message the prompt
 * showed. Asking a question the test did not expect fails the test.
 */
export function scriptedPrompts(answers: Record<string, unknown>): PromptProvider & {
  asked: string[];
  rejected: Record<string, string[]>;
  defaults: Record<string, unknown>;
  messages: Record<string, string>;
} {
  const asked: string[] = [];
  const rejected: Record<string, string[]> = {};
  const defaults: Record<string, unknown> = {};
  const messages: Record<string, string> = {};

  async function answer<T>(q: { name: string; message: string; default?: unknown }, validate?: Validate<T>): Promise<T> {
    asked.push(q.name);
    defaults[q.name] = q.default;
    messages[q.name] = q.message;
    if (!(q.name in answers)) throw new Error(`unexpected question "${q.name}" (${q.message})`);
    const given = answers[q.name];
    const candidates = given !== null && typeof given === 'object' && 'tries' in given ? (given as Tries).tries : [given];
    for (const candidate of candidates) {
      const value = (candidate === undefined ? q.default : candidate) as T;
      if (value instanceof Error) throw value;
      const verdict = validate ? await validate(value) : true;
      if (verdict === true) return value;
      (rejected[q.name] ??= []).push(verdict);
    }
    throw new Error(`no valid answer for "${q.name}": ${(rejected[q.name] ?? []).join('; ')}`);
  }

  return {
    asked,
    rejected,
    defaults,
    messages,
    input: (q) => answer<string>(q, q.validate),
    password: (q) => answer<string>(q, q.validate),
    confirm: (q) => answer<boolean>(q),
    select: <T extends string>(q: Parameters<PromptProvider['select']>[0]) => answer<T>(q),
    checkbox: <T extends string>(q: {
      name: string;
      message: string;
      validate?: Validate<readonly T[]>;
      choices: { value: T; checked?: boolean }[];
    }) => answer<T[]>({ ...q, default: q.choices.filter((c) => c.checked).map((c) => c.value) }, q.validate as Validate<T[]> | undefined),
  };
}
