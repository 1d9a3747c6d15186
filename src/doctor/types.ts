import type { Secrets, StackConfig } from '../config/schema.js';
import type { Exec } from '../docker/exec.js';
import type { Protocol } from '../host/ports.js';

/**
 * One host check: a result a person can act on. `fix` says what to do when the status is not ok.
 * Checks take only the part of the context they use (`Pick<DoctorContext, …>`), so a test builds
 * exactly that by hand.
 */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  id: string;
  status: CheckStatus;
  message: string;
  fix?: string;
}

export interface DoctorContext {
  exec: Exec;
  home: string;
  /** Absent before `plexarr init`: the checks that need it are left out. */
  config?: StackConfig;
  secrets: Secrets;
  envFile: string;
  dbFile: string;
  /** The effective uid of this process: root may test writes as PUID/PGID for real. */
  uid: number;
  /** The node binary, to run the as-PUID write probe in a child process. */
  nodePath: string;
  plexTvUrl: string;
  isPortFree(port: number, protocol: Protocol): Promise<boolean>;
  stackPorts(exec: Exec): Promise<Set<number>>;
}

export type ConfiguredContext = DoctorContext & { config: StackConfig };

export const GiB = 1024 ** 3;

export function formatBytes(bytes: number): string {
  return bytes >= GiB ? `${(bytes / GiB).toFixed(1)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}

export function worst(statuses: readonly CheckStatus[]): CheckStatus {
  if (statuses.includes('fail')) return 'fail';
  return statuses.includes('warn') ? 'warn' : 'ok';
}
