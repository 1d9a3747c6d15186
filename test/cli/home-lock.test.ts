import { describe, expect, test } from '@jest/globals';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { freePortArgs } from '../helpers/ports.js';
import { BIN, REPO_ROOT, runCli } from '../helpers/run-cli.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { fakeDockerEnv } from '../unit/status-helpers.js';

/**
 * One writing plexarr per home, proven with real processes. The holder is a real `plexarr init`
 * whose answers file is a FIFO: it takes the lock, then waits on the FIFO until the test writes
 * the answers, so the test decides how long the lock is held.
 */

const temp = useTempDirs('plexarr-lock-');

async function savedHome(): Promise<{ home: string; ports: string[] }> {
  const home = temp.make();
  const { args } = await freePortArgs();
  expect((await runCli(['init', '--yes', '--home', home, ...args])).code).toBe(0);
  return { home, ports: args };
}

function holdLock(
  home: string,
  ports: string[],
): { child: ChildProcess; fifo: string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const fifo = join(home, 'answers.fifo');
  execFileSync('mkfifo', [fifo]);
  const env = { ...process.env, CI: 'true', NO_COLOR: '1', PLEXARR_HOME: '', NODE_OPTIONS: '' };
  const child = spawn(process.execPath, [BIN, 'init', '--yes', '--home', home, '--config', fifo, ...ports], {
    cwd: REPO_ROOT,
    env,
    stdio: 'ignore',
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, fifo, exited };
}

async function lockTaken(home: string): Promise<{ pid: number; command: string; since: string }> {
  const path = join(home, 'plexarr.lock');
  for (let i = 0; i < 200; i++) {
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      if (text !== '') return JSON.parse(text) as { pid: number; command: string; since: string };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no lock at ${path} after 10 s`);
}

describe('the per-home lock', () => {
  test('a second writing command exits 1 at once naming the running one; the lock goes when the first finishes', async () => {
    const { home, ports } = await savedHome();
    const holder = holdLock(home, ports);
    const lock = await lockTaken(home);
    expect(lock).toMatchObject({ pid: holder.child.pid, command: 'init' });

    for (const args of [['coordinate'], ['init', '--yes'], ['deploy'], ['down']]) {
      const started = Date.now();
      const second = await runCli([...args, '--home', home]);
      expect([args[0], second.code]).toEqual([args[0], 1]);
      expect(second.stderr).toContain(`Another plexarr init is running on ${home} (pid ${holder.child.pid}, since ${lock.since})`);
      expect(Date.now() - started).toBeLessThan(5000);
    }
    // Readers take no lock.
    expect((await runCli(['credentials', '--home', home])).code).toBe(0);

    writeFileSync(holder.fifo, 'tz: UTC\n');
    expect(await holder.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(join(home, 'plexarr.lock'))).toBe(false);
  });

  test('while backup holds the lock (its tar held back), every other writer exits 1 naming it; readers still work', async () => {
    const { home } = await savedHome();
    // A `tar` ahead of the real one on PATH that waits for the test's go before it writes the archive.
    const shims = temp.make();
    const release = join(temp.make(), 'go');
    const realTar = execFileSync('sh', ['-c', 'command -v tar'], { encoding: 'utf8' }).trim();
    writeFileSync(join(shims, 'tar'), `#!/bin/sh\nwhile [ ! -e '${release}' ]; do sleep 0.05; done\nexec '${realTar}' "$@"\n`);
    chmodSync(join(shims, 'tar'), 0o755);
    const env = fakeDockerEnv('healthy', 'v2-ndjson', { FAKE_DOCKER_DAEMON: 'down' });
    const output = join(temp.make(), 'held.tar.gz');
    const backup = runCli(['backup', '--home', home, '--output', output], {
      env: { ...env, PATH: `${shims}:${env.PATH}` },
      timeoutMs: 60_000,
    });
    const lock = await lockTaken(home);
    expect(lock.command).toBe('backup');

    const writers = [['coordinate'], ['deploy'], ['down'], ['update'], ['uninstall'], ['backup'], ['restore', output], ['init', '--yes']];
    for (const args of writers) {
      const started = Date.now();
      const second = await runCli([...args, '--home', home]);
      expect([args[0], second.code]).toEqual([args[0], 1]);
      expect(second.stderr).toContain(`Another plexarr backup is running on ${home} (pid ${lock.pid}, since ${lock.since})`);
      expect(Date.now() - started).toBeLessThan(5000);
    }
    expect((await runCli(['credentials', '--home', home])).code).toBe(0);

    writeFileSync(release, '');
    const done = await backup;
    expect({ code: done.code, err: done.stderr }).toEqual({ code: 0, err: expect.stringContaining('keep it private') });
    expect(statSync(output).mode & 0o777).toBe(0o600);
    expect(existsSync(join(home, 'plexarr.lock'))).toBe(false);
  }, 90_000);

  test('a lock left by a SIGKILLed process is taken over by the next run', async () => {
    const { home, ports } = await savedHome();
    const holder = holdLock(home, ports);
    const lock = await lockTaken(home);
    holder.child.kill('SIGKILL');
    expect(await holder.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(JSON.parse(readFileSync(join(home, 'plexarr.lock'), 'utf8'))).toEqual(lock);

    const next = await runCli(['init', '--yes', '--home', home, ...ports]);
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    expect(existsSync(join(home, 'plexarr.lock'))).toBe(false);
  });

  test('SIGTERM and SIGINT release the lock and stop the process as the signal would', async () => {
    const home = temp.make();
    // A process that only holds the lock: a blocked read of the FIFO would keep init from exiting.
    // dist/ is one esbuild bundle per command, so the lock module is bundled on its own for it.
    const lockModule = join(temp.make(), 'lock.mjs');
    buildSync({
      entryPoints: [join(REPO_ROOT, 'src/state/lock.ts')],
      outfile: lockModule,
      bundle: true,
      format: 'esm',
      platform: 'node',
      logLevel: 'warning',
    });
    const script = `import('${lockModule}').then((m) => { m.acquireHomeLock(process.argv[1], 'deploy'); setInterval(() => {}, 1000); })`;
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const child = spawn(process.execPath, ['-e', script, home], { stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, got) => resolve(got)));
      expect(await lockTaken(home)).toMatchObject({ pid: child.pid, command: 'deploy' });
      child.kill(signal);
      expect(await exited).toBe(signal);
      expect(existsSync(join(home, 'plexarr.lock'))).toBe(false);
    }
  });
});
