import { execa } from 'execa';
import { WorkError } from '../errors.js';

/**
 * How plexarr runs a program. Argument arrays only (never a shell string), and a non-zero exit is
 * a result, not an exception: callers decide what a failure means. Tests pass a table-driven stub.
 */
export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  input?: string;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type Exec = (file: string, args: string[], opts?: ExecOptions) => Promise<ExecResult>;

/** 127 is what a shell reports for a missing program; callers treat it as "not installed". */
export const EXIT_NOT_FOUND = 127;

export const realExec: Exec = async (file, args, opts = {}) => {
  const result = await execa(file, args, {
    reject: false,
    cwd: opts.cwd,
    env: opts.env,
    timeout: opts.timeoutMs,
    input: opts.input,
    stdin: opts.input === undefined ? 'ignore' : undefined,
    stripFinalNewline: true,
  });
  if (result.failed && result.exitCode === undefined) {
    // Spawn errors (ENOENT, EACCES) and timeouts have no exit code.
    const missing = (result as { code?: string }).code === 'ENOENT';
    return {
      exitCode: missing ? EXIT_NOT_FOUND : 1,
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? '') || (result.shortMessage ?? ''),
    };
  }
  return { exitCode: result.exitCode ?? 0, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
};

/** The command line as a person would type it, for dry-run output and error messages. */
export function commandLine(file: string, args: readonly string[]): string {
  return [file, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** A docker or compose call that failed, as a sentence: what failed, the command line, the last lines it printed. */
export function commandFailure(what: string, line: string, r: ExecResult): WorkError {
  const tail = (r.stderr || r.stdout).trim().split('\n').slice(-8).join('\n');
  return new WorkError(`${what} failed (exit ${r.exitCode}): ${line}\n${tail}`);
}
