/**
 * How a value the user gave is quoted back in a message. Terminal control characters (ESC, BEL,
 * the C1 range) could recolour, retitle or rewrite the user's terminal, so they are shown escaped;
 * a value can be megabytes long, so only its start is shown.
 */

export const ECHO_LIMIT = 80;

/** C0 controls, DEL and C1 controls. */
function isControl(c: string): boolean {
  const code = c.charCodeAt(0);
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  return NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

function escapeWhere(text: string, escaped: (c: string) => boolean): string {
  let out = '';
  for (const c of text) out += escaped(c) ? escapeOne(c) : c;
  return out;
}

export function hasControl(text: string): boolean {
  for (const c of text) if (isControl(c)) return true;
  return false;
}

/** `a\x1b[31mb` for a value holding ESC; newlines and tabs too, so one value stays on one line. */
export function escapeControl(text: string): string {
  return hasControl(text) ? escapeWhere(text, isControl) : text;
}

/** A whole message: its own line breaks kept, any other control character escaped. */
export function escapeProse(text: string): string {
  return hasControl(text) ? escapeWhere(text, (c) => isControl(c) && c !== '\n' && c !== '\t') : text;
}

export function capEcho(text: string, limit = ECHO_LIMIT): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

/** A value as it may appear in a message: its start, escaped, cut to the limit. */
export function echo(text: string): string {
  const escaped = escapeControl(text.slice(0, ECHO_LIMIT));
  return text.length > ECHO_LIMIT ? `${escaped.slice(0, ECHO_LIMIT - 1)}…` : capEcho(escaped);
}
