import { closeSync, openSync, readSync } from 'node:fs';
import { WorkError } from '../../errors.js';
import { commandLine, type Exec, type ExecResult } from '../../docker/exec.js';

/**
 * The archive and its encryption as child processes: GNU tar with gzip, and `openssl enc`
 * (AES-256-CBC, key from the passphrase through PBKDF2). The passphrase travels in the child's
 * environment, never on its command line, where `ps` would show it.
 */

const TAR_TIMEOUT_MS = 60 * 60_000;
const PASS_VAR = 'PLEXARR_BACKUP_KEY';
const OPENSSL_ENC = ['enc', '-aes-256-cbc', '-pbkdf2', '-iter', '200000', '-md', 'sha256'];

function failure(what: string, file: string, args: string[], r: ExecResult): WorkError {
  return new WorkError(
    `${what} failed (exit ${r.exitCode}): ${commandLine(file, args)}\n${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')}`,
  );
}

/** Writes the listed members of `cwd` (a NUL-separated list, no recursion) to a gzipped tar. */
export async function createTarGz(exec: Exec, opts: { cwd: string; listFile: string; out: string }): Promise<void> {
  const args = [
    '-C',
    opts.cwd,
    '--create',
    '--gzip',
    '--format=pax',
    '--file',
    opts.out,
    '--no-recursion',
    '--null',
    '--files-from',
    opts.listFile,
  ];
  const r = await exec('tar', args, { timeoutMs: TAR_TIMEOUT_MS });
  if (r.exitCode !== 0) throw failure('Writing the archive', 'tar', args, r);
}

/**
 * Extracts a gzipped tar into `dest`; `strip` and `members` pick a folder out of it (as root, tar
 * keeps each file's owner, so the apps can still read their restored settings).
 */
export async function extractTarGz(
  exec: Exec,
  archive: string,
  dest: string,
  opts: { strip?: number; members?: string[] } = {},
): Promise<ExecResult> {
  const args = ['-C', dest, '--extract', '--gzip', '--file', archive];
  if (opts.strip) args.push(`--strip-components=${opts.strip}`);
  args.push(...(opts.members ?? []));
  return exec('tar', args, { timeoutMs: TAR_TIMEOUT_MS });
}

export async function encryptFile(exec: Exec, input: string, out: string, passphrase: string): Promise<void> {
  const args = [...OPENSSL_ENC, '-salt', '-in', input, '-out', out, '-pass', `env:${PASS_VAR}`];
  const r = await exec('openssl', args, { env: { [PASS_VAR]: passphrase }, timeoutMs: TAR_TIMEOUT_MS });
  if (r.exitCode !== 0) throw failure('Encrypting the archive', 'openssl', args, r);
}

/** Exit code 0 when the passphrase was right; openssl says "bad decrypt" otherwise. */
export async function decryptFile(exec: Exec, input: string, out: string, passphrase: string): Promise<ExecResult> {
  const args = [...OPENSSL_ENC, '-d', '-in', input, '-out', out, '-pass', `env:${PASS_VAR}`];
  return exec('openssl', args, { env: { [PASS_VAR]: passphrase }, timeoutMs: TAR_TIMEOUT_MS });
}

/** What a file starts with: gzip's magic, or openssl's salted header. */
export function archiveKind(path: string): 'gzip' | 'encrypted' | 'unknown' {
  const head = Buffer.alloc(8);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 8, 0);
  } finally {
    closeSync(fd);
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.toString('latin1') === 'Salted__') return 'encrypted';
  return 'unknown';
}
