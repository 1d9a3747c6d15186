import type { Exec, ExecOptions } from '../../src/docker/exec.js';

/**
 * A table-driven stand-in for `Exec` (np-style): each row answers one exact command line.
 * Unknown commands fail loudly so a test never passes by accident; every call is recorded.
 */
export interface StubRow {
  command: string;
  exitCode?: number;
  stdout?: string;
  stderr?: string;
}

export interface StubExec {
  exec: Exec;
  calls: { command: string; opts?: ExecOptions }[];
}

export function stubExec(rows: readonly StubRow[]): StubExec {
  const calls: StubExec['calls'] = [];
  const exec: Exec = async (file, args, opts) => {
    const command = [file, ...args].join(' ');
    calls.push({ command, opts });
    const row = rows.find((r) => r.command === command);
    if (!row) return { exitCode: 99, stdout: '', stderr: `unexpected command in test: ${command}` };
    return { exitCode: row.exitCode ?? 0, stdout: row.stdout ?? '', stderr: row.stderr ?? '' };
  };
  return { exec, calls };
}
