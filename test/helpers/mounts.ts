import { spawnSync } from 'node:child_process';

/**
 * Real mounts for the tests that need a full disk or a read-only file system. Mounting needs root
 * (CAP_SYS_ADMIN); without it `mount` returns why, and the caller skips with that reason printed.
 */
export function mount(args: readonly string[]): string | undefined {
  if (process.getuid?.() !== 0) return 'mounting needs root';
  const r = spawnSync('mount', args, { encoding: 'utf8' });
  return r.status === 0 ? undefined : `mount ${args.join(' ')} failed: ${(r.stderr || r.error?.message || '').trim()}`;
}

/** A read-only view of `dir` on top of itself. */
export function mountReadOnly(dir: string): string | undefined {
  return mount(['--bind', '-o', 'ro', dir, dir]);
}

export function unmount(dir: string): void {
  spawnSync('umount', [dir]);
}

/** Prints why a test did not run, so a skipped case is visible in the output. */
export function skipBecause(reason: string): void {
  process.stdout.write(`skipped: ${reason}\n`);
}
