import { isKnownTimeZone } from '../config/schema.js';
import type { CheckResult, ConfiguredContext } from './types.js';
import { plexarrCommand } from '../ui/invocation.js';

/** Containers get TZ as given; an unknown zone silently falls back to UTC inside them. */
export async function timeZone(ctx: Pick<ConfiguredContext, 'config'>): Promise<CheckResult> {
  if (isKnownTimeZone(ctx.config.tz)) return { id: 'timezone', status: 'ok', message: `time zone ${ctx.config.tz}` };
  return {
    id: 'timezone',
    status: 'fail',
    message: `"${ctx.config.tz}" is not a known time zone`,
    fix: `Pick one from \`timedatectl list-time-zones\` (e.g. Europe/Berlin) and run \`${plexarrCommand('init')}\` again.`,
  };
}
