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
  /** For answers that change between calls (a container turning healthy): wins over the fields. */
  reply?: () => { exitCode?: number; stdout?: string; stderr?: string };
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
    const r = row.reply ? row.reply() : row;
    return { exitCode: r.exitCode ?? 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };
  return { exec, calls };
}
