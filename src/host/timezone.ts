import { readFileSync, readlinkSync } from 'node:fs';
import { isKnownTimeZone } from '../config/schema.js';

/**
 * The host's time zone, so schedules and logs in the containers line up with the host: `TZ` when
 * it names a zone, else the /etc/localtime link (or /etc/timezone), else what the runtime resolved.
 * The files come first because building an Intl.DateTimeFormat loads ICU's locale data, which
 * costs more than the rest of detection together.
 */
export function detectTimeZone(env: NodeJS.ProcessEnv = process.env, files: { localtime?: string; timezone?: string } = {}): string {
  const candidates = [
    () => env.TZ?.replace(/^:/, ''),
    () => /zoneinfo\/(.+)$/.exec(readlinkSync(files.localtime ?? '/etc/localtime'))?.[1],
    () => readFileSync(files.timezone ?? '/etc/timezone', 'utf8').trim(),
    () => Intl.DateTimeFormat().resolvedOptions().timeZone,
  ];
  for (const candidate of candidates) {
    const zone = attempt(candidate);
    if (zone && isKnownTimeZone(zone)) return zone;
  }
  return 'Etc/UTC';
}

function attempt(read: () => string | undefined): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
