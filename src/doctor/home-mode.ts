import { statSync } from 'node:fs';
import { HOME_MODE } from '../home.js';
import type { CheckResult, DoctorContext } from './types.js';
import { plexarrCommand } from '../ui/invocation.js';

/**
 * Anyone who can write the home can replace plexarr.db or the generated compose file (and so
 * choose what runs as root in Docker): only its owner and group may write it.
 */
export async function homeMode(ctx: Pick<DoctorContext, 'home'>): Promise<CheckResult> {
  const id = 'home-mode';
  let mode: number;
  try {
    mode = statSync(ctx.home).mode & 0o7777;
  } catch {
    return {
      id,
      status: 'ok',
      message: `${ctx.home} does not exist yet (created by \`${plexarrCommand('init')}\`, mode ${octal(HOME_MODE)})`,
    };
  }
  if ((mode & 0o002) === 0) return { id, status: 'ok', message: `${ctx.home}: mode ${octal(mode)}, not writable by others` };
  return {
    id,
    status: 'fail',
    message: `${ctx.home} is writable by every user (mode ${octal(mode)}): anyone could replace plexarr.db or the compose file`,
    fix: `\`chmod ${HOME_MODE.toString(8)} ${ctx.home}\``,
  };
}

function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}
