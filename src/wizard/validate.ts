import { answersSchema, type QuestionName } from '../config/answers.js';
import { directoryProblem } from '../host/paths.js';

/**
 * Prompt validators built from the answers schema, so a typed answer is held to exactly the
 * rules a flag or the answers file is. A message is what the prompt shows under the input.
 */
export function schemaCheck(name: QuestionName): (value: unknown) => true | string {
  const schema = answersSchema.shape[name];
  return (value) => {
    const result = schema.safeParse(value);
    return result.success ? true : (result.error.issues[0]?.message ?? 'is not valid');
  };
}

export function textCheck(name: QuestionName) {
  const check = schemaCheck(name);
  return (value: string) => check(value.trim());
}

export function numberCheck(name: QuestionName) {
  const check = schemaCheck(name);
  return (value: string) => (/^\s*-?\d+(\.\d+)?\s*$/.test(value) ? check(Number(value)) : 'must be a number');
}

/** An absolute path that is (or can be created as) a writable directory. */
export function directoryCheck(name: QuestionName) {
  const check = schemaCheck(name);
  return async (value: string) => {
    const valid = check(value.trim());
    if (valid !== true) return valid;
    return (await directoryProblem(value.trim())) ?? true;
  };
}

/** Empty means "no answer" for the optional questions (domain, password, Plex token). */
export function optionalCheck(name: QuestionName) {
  const check = textCheck(name);
  return (value: string) => (value.trim() === '' ? true : check(value));
}
