import { mkdirSync, mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { realExec } from '../../src/docker/exec.js';
import { nzbgetMissing } from '../fakes/nzbget.js';

/**
 * A Docker engine for the e2e tier: the one DOCKER_HOST names (CI starts it), or else a private
 * dockerd this process starts with test/e2e/dockerd.sh and stops again. `ok: false` carries the
 * reason a test prints when it skips: no engine could be had at all.
 */
export type Engine = { ok: true; dockerHost: string; stop: () => Promise<void> } | { ok: false; reason: string };

const SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), 'dockerd.sh');

async function answers(): Promise<boolean> {
  return (await realExec('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 20_000 })).exitCode === 0;
}

/**
 * The engine, or why the tier cannot run here: its images are built around the real nzbget too.
 * The e2e suites take turns: they share the engine, the `plexarr` project name and its network
 * (and private engines share the host's iptables), so each holds the engine from its first line
 * until its `stop()`.
 */
export async function e2eEngine(): Promise<Engine> {
  const missing = nzbgetMissing();
  if (missing) return { ok: false, reason: missing };
  const release = await takeEngineTurn();
  const engine = await ensureEngine();
  if (!engine.ok) {
    release();
    return engine;
  }
  return {
    ...engine,
    stop: async () => {
      try {
        await engine.stop();
      } finally {
        release();
      }
    },
  };
}

const TURN_WAIT_MS = 30 * 60_000;

/** One e2e suite at a time per test run: a folder in the run's private TMPDIR, made with mkdir (atomic). */
async function takeEngineTurn(): Promise<() => void> {
  const turn = join(tmpdir(), 'plexarr-e2e-engine-turn');
  const deadline = Date.now() + TURN_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(turn);
      return () => rmdirSync(turn);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (Date.now() > deadline) throw new Error(`another e2e suite held the engine for over ${TURN_WAIT_MS / 60_000} minutes (${turn})`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

export async function ensureEngine(): Promise<Engine> {
  if (process.env.DOCKER_HOST) {
    if (await answers()) return { ok: true, dockerHost: process.env.DOCKER_HOST, stop: async () => {} };
    return { ok: false, reason: `DOCKER_HOST=${process.env.DOCKER_HOST} does not answer \`docker info\`` };
  }
  const dir = mkdtempSync(join(tmpdir(), 'plexarr-e2e-dockerd-'));
  const started = await realExec('bash', [SCRIPT, 'start', dir], { timeoutMs: 90_000 });
  const host = /DOCKER_HOST=(\S+)/.exec(started.stdout)?.[1];
  if (started.exitCode !== 0 || !host) {
    // A start that failed half-way may have left a daemon behind: purge stops it and removes the
    // dir. When not even the script could run, the dir is still empty: remove it (only if empty).
    await realExec('bash', [SCRIPT, 'purge', dir], { timeoutMs: 60_000 });
    try {
      rmdirSync(dir);
    } catch {
      // purge removed it, or left something mounted below it that must not be deleted blindly.
    }
    return {
      ok: false,
      reason: `no DOCKER_HOST and a private dockerd could not be started: ${started.stderr.trim() || started.stdout.trim()}`,
    };
  }
  process.env.DOCKER_HOST = host;
  return {
    ok: true,
    dockerHost: host,
    stop: async () => {
      await realExec('bash', [SCRIPT, 'purge', dir], { timeoutMs: 60_000 });
      delete process.env.DOCKER_HOST;
    },
  };
}
