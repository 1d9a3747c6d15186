import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/plexarr.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string;
  /** Run as another user (only when the tests run as root), e.g. to meet a directory we cannot write. */
  uid?: number;
  gid?: number;
  timeoutMs?: number;
}

/**
 * Runs `node bin/plexarr.js <args>` the way a script would: no TTY, CI=true, no colour, and no
 * PLEXARR_HOME leaking in from the caller. Uses the built `dist/` (npm test builds first).
 */
export function runCli(args: readonly string[], opts: RunCliOptions = {}): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({
    ...process.env,
    CI: 'true',
    NO_COLOR: '1',
    PLEXARR_HOME: undefined,
    NODE_OPTIONS: undefined,
    ...opts.env,
  })) {
    if (v !== undefined) env[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? REPO_ROOT,
      env,
      uid: opts.uid,
      gid: opts.gid,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 30_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
