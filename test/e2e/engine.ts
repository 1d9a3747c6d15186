import { mkdtempSync, rmdirSync } from 'node:fs';
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

/** The engine, or why the tier cannot run here: its images are built around the real nzbget too. */
export async function e2eEngine(): Promise<Engine> {
  const missing = nzbgetMissing();
  return missing ? { ok: false, reason: missing } : ensureEngine();
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
