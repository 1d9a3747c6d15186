/**
 * Replaces every known secret value in a text with a mask. Used on every error message and log
 * line that may echo an app's response or a URL.
 */
export const MASK = '********';

export function redact(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  const values = [...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 4);
  // Longest first, so a secret that contains another is masked whole.
  values.sort((a, b) => b.length - a.length);
  for (const value of values) out = out.split(value).join(MASK);
  return out;
}
