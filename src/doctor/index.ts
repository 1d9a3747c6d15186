import { composeAvailable } from './compose.js';
import { diskSpace } from './disk.js';
import { dockerDaemon } from './docker-daemon.js';
import { dockerInstalled } from './docker-installed.js';
import { secretFileModes } from './file-modes.js';
import { hardlinkLayout } from './hardlink.js';
import { homeMode } from './home-mode.js';
import { plexToken } from './plex-token.js';
import { portsFree } from './ports.js';
import { rootsWritable } from './permissions.js';
import { swarmManager, swarmNodesReady } from './swarm.js';
import { timeZone } from './timezone.js';
import type { CheckResult, ConfiguredContext, DoctorContext } from './types.js';
import { plexarrCommand } from '../ui/invocation.js';

export type { CheckResult, CheckStatus, DoctorContext } from './types.js';

/**
 * Every check, in the order they are printed. They run concurrently (each is I/O bound and has
 * its own timeout), so the whole doctor takes about as long as its slowest check.
 */
type Check<C> = [id: string, run: (ctx: C) => Promise<CheckResult>];
const HOST_CHECKS: Check<DoctorContext>[] = [
  ['docker.installed', dockerInstalled],
  ['docker.daemon', dockerDaemon],
  ['compose', composeAvailable],
];
const CONFIG_CHECKS: Check<ConfiguredContext>[] = [
  ['ports', portsFree],
  ['hardlink', hardlinkLayout],
  ['permissions', rootsWritable],
  ['disk', diskSpace],
  ['timezone', timeZone],
];
/** Only for a stack that runs on Docker Swarm. */
const SWARM_CHECKS: Check<ConfiguredContext>[] = [
  ['swarm.manager', swarmManager],
  ['swarm.nodes', swarmNodesReady],
];
const STATE_CHECKS: Check<DoctorContext>[] = [
  ['plex-token', plexToken],
  ['file-modes', secretFileModes],
  ['home-mode', homeMode],
];

export async function runChecks(ctx: DoctorContext): Promise<CheckResult[]> {
  const config = ctx.config;
  const configured: Promise<CheckResult>[] = config
    ? [...CONFIG_CHECKS, ...(config.engine === 'swarm' ? SWARM_CHECKS : [])].map(([id, check]) =>
        guard(id, () => check({ ...ctx, config })),
      )
    : [Promise.resolve(noConfig(ctx.home))];
  return Promise.all([
    // A Swarm stack is deployed with `docker stack`: Compose is not needed there.
    ...HOST_CHECKS.filter(([id]) => !(id === 'compose' && config?.engine === 'swarm')).map(([id, check]) => guard(id, () => check(ctx))),
    ...configured,
    ...STATE_CHECKS.map(([id, check]) => guard(id, () => check(ctx))),
  ]);
}

function noConfig(home: string): CheckResult {
  return {
    id: 'config',
    status: 'warn',
    message: `no saved configuration in ${home}: ports, folders, permissions, disk and time zone were not checked`,
    fix: `Run \`${plexarrCommand('init')}\` (or pass --home to where you ran it).`,
  };
}

/** A check that throws is a bug or a surprise of the host; it must not hide the other results. */
async function guard(id: string, run: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await run();
  } catch (e) {
    return { id, status: 'fail', message: `the check itself failed: ${(e as Error).message}` };
  }
}
