import { existsSync, statSync } from 'node:fs';
import type { CheckResult, DoctorContext } from './types.js';
import { plexarrCommand } from '../ui/invocation.js';

/** `.env` and the state database hold every secret: only their owner may read them. */
export async function secretFileModes(ctx: Pick<DoctorContext, 'envFile' | 'dbFile'>): Promise<CheckResult> {
  const files = [ctx.envFile, ctx.dbFile, `${ctx.dbFile}-wal`, `${ctx.dbFile}-shm`].filter((f) => existsSync(f));
  if (files.length === 0)
    return { id: 'file-modes', status: 'ok', message: `no .env or plexarr.db yet (created by \`${plexarrCommand('init')}\`)` };
  const open = files.map((f) => ({ f, mode: statSync(f).mode & 0o777 })).filter((x) => (x.mode & 0o077) !== 0);
  if (open.length === 0) return { id: 'file-modes', status: 'ok', message: `${files.join(', ')}: mode 0600` };
  return {
    id: 'file-modes',
    status: 'fail',
    message: `readable by others: ${open.map((x) => `${x.f} (mode ${x.mode.toString(8).padStart(4, '0')})`).join(', ')}`,
    fix: `\`chmod 600 ${open.map((x) => x.f).join(' ')}\``,
  };
}
