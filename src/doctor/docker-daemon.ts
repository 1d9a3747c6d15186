import { dockerInfo } from '../docker/docker.js';
import { INSTALL_FIX } from './docker-installed.js';
import type { CheckResult, DoctorContext } from './types.js';

export const START_FIX =
  'Start the daemon (`sudo systemctl start docker`); if you set DOCKER_HOST, check that it points at a running engine.';

/** The daemon answers, and this user may talk to it (the socket's group is the usual blocker). */
export async function dockerDaemon(ctx: Pick<DoctorContext, 'exec' | 'uid'>): Promise<CheckResult> {
  const id = 'docker.daemon';
  const info = await dockerInfo(ctx.exec);
  if (info.ok) return { id, status: 'ok', message: `Docker Engine ${info.serverVersion} is reachable` };
  if (/not installed/.test(info.reason))
    return { id, status: 'fail', message: 'not checked: the docker command is not installed', fix: INSTALL_FIX };
  if (/permission denied/i.test(info.reason)) {
    return {
      id,
      status: 'fail',
      message: `this user (uid ${ctx.uid}) may not use the Docker daemon: permission denied on its socket`,
      fix: 'Add the user to the docker group (`sudo usermod -aG docker $USER`), then log out and back in — or run plexarr with sudo.',
    };
  }
  return {
    id,
    status: 'fail',
    message: info.reason,
    fix: START_FIX,
  };
}
