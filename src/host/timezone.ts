import { isKnownTimeZone } from '../config/schema.js';

/**
 * The host's time zone: `TZ` when it names a zone, else what the runtime resolved from
 * /etc/localtime. Containers get the same zone so schedules and logs line up with the host.
 */
export function detectTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.TZ?.replace(/^:/, '');
  if (fromEnv && isKnownTimeZone(fromEnv)) return fromEnv;
  const resolved = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return resolved && isKnownTimeZone(resolved) ? resolved : 'Etc/UTC';
}
