import { SECRET_SPECS } from './catalog/index.js';
import type { Secrets } from './config/schema.js';

/**
 * What counts as secret and how it is masked, for every command: each secret value plexarr keeps
 * is replaced by a mask in every error message and log line that may echo an app's response or a
 * URL, except the user names (NZBGet's control user is `nzbget`, which also names a container and
 * a host: masking it would garble "NZBGet (nzbget)" and every URL).
 */
export const MASK = '********';

const NOT_SECRET = new Set(SECRET_SPECS.filter((s) => s.kind === 'username').map((s) => s.name));

/**
 * Whether an answer or option (`adminPassword`, `--plex-token`) holds a secret: its value is never
 * echoed back, not even in an error message.
 */
export function isSecretField(name: string): boolean {
  return /token|password|secret|key/i.test(name);
}

/**
 * Answers and options that hold a list of the user's accounts (`usenetServers`, `indexers`,
 * `--indexer 'Name=url,KEY'`): their values carry passwords and API keys, so only a named field of
 * one entry that is not itself secret (`indexers.0.url`) may be echoed.
 */
export function holdsSecrets(name: string): boolean {
  return /^(usenetServers|indexers?)$/.test(name);
}

/** The values to mask, from a full set of secrets (each server password and indexer key included). */
export function maskedValues(secrets: Secrets): string[] {
  return Object.entries(secrets)
    .filter(([name, value]) => !NOT_SECRET.has(name as keyof Secrets) && typeof value === 'string' && value !== '')
    .map(([, value]) => value as string);
}

/** A function that masks `secrets` in a text. */
export function masker(secrets: Secrets): (text: string) => string {
  const values = maskedValues(secrets);
  return (text) => redact(text, values);
}

export function redact(text: string, values: Iterable<string | undefined>): string {
  let out = text;
  const masked = [...values].filter((s): s is string => typeof s === 'string' && s.length >= 4);
  // Longest first, so a secret that contains another is masked whole.
  masked.sort((a, b) => b.length - a.length);
  for (const value of masked) out = out.split(value).join(MASK);
  return out;
}
