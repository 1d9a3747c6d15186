import { firstLine } from '../docker/docker.js';
import type { Exec } from '../docker/exec.js';
import type { CheckResult, DoctorContext } from './types.js';

export const INSTALL_FIX =
  'Install Docker Engine (Debian/Ubuntu: `sudo apt-get install docker.io`, or see https://docs.docker.com/engine/install/).';

/** The client alone: `docker --version` needs no daemon. */
async function dockerClientVersion(exec: Exec): Promise<string | undefined> {
  const r = await exec('docker', ['--version'], { timeoutMs: 10_000 });
  if (r.exitCode !== 0) return undefined;
  return /version\s+([^\s,]+)/i.exec(r.stdout)?.[1] ?? firstLine(r.stdout);
}

export async function dockerInstalled(ctx: Pick<DoctorContext, 'exec'>): Promise<CheckResult> {
  const version = await dockerClientVersion(ctx.exec);
  if (version === undefined)
    return { id: 'docker.installed', status: 'fail', message: 'the docker command is not installed (or not on PATH)', fix: INSTALL_FIX };
  return { id: 'docker.installed', status: 'ok', message: `Docker client ${version}` };
}
