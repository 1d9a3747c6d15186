import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { renderStack } from '../../src/compose/render.js';
import { writeStackFiles } from '../../src/compose/write.js';
import type { Secrets, StackConfig } from '../../src/config/schema.js';
import { saveConfig } from '../../src/state/configs.js';
import { openState } from '../../src/state/db.js';
import { setSecrets } from '../../src/state/secrets.js';
import { finishRun, startRun, taskRecorder, type TaskFinish } from '../../src/state/task-runs.js';
import { BIN } from '../helpers/run-cli.js';
import { fakeDockerEnv } from '../unit/status-helpers.js';

/**
 * A plexarr home as `init` + `coordinate` would leave it: the saved config and secrets, the
 * generated compose file and `.env`, and one coordinate run with the given task outcomes
 * (`pending` = the run never got to it).
 */
const homes: string[] = [];

export function seedHome(config: StackConfig, secrets: Secrets, tasks: Record<string, TaskFinish | { status: 'pending' }> = {}): string {
  const home = mkdtempSync(join(tmpdir(), 'plexarr-status-'));
  homes.push(home);
  mkdirSync(config.mediaRoot, { recursive: true });
  const state = openState(home);
  try {
    saveConfig(state.db, config);
    setSecrets(state.db, secrets);
    const ids = Object.keys(tasks);
    if (ids.length > 0) {
      const runId = startRun(state.db, 'full', ids);
      const rec = taskRecorder(
        state.db,
        runId,
        Object.values(secrets).filter((v): v is string => typeof v === 'string'),
      );
      for (const [id, outcome] of Object.entries(tasks)) {
        if (outcome.status === 'pending') continue;
        rec.started(id);
        rec.finished(id, outcome);
      }
      finishRun(state.db, runId, Object.values(tasks).every((t) => t.status === 'done' || t.status === 'skipped') ? 'ok' : 'failed');
    }
  } finally {
    state.close();
  }
  writeStackFiles(home, renderStack(config, secrets));
  return home;
}

export function cleanupHomes(): void {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
}

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would, with the fake docker first on PATH. */
export async function plexarr(args: string[], env: Record<string, string>): Promise<CliResult> {
  const r = await execa(process.execPath, [BIN, ...args], { env: { NO_COLOR: '1', ...env }, reject: false, timeout: 60_000 });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

export { fakeDockerEnv };

/** A config whose folders live under a temp dir (doctor creates and links files there). */
export function tempRoots(config: StackConfig): StackConfig {
  const base = mkdtempSync(join(tmpdir(), 'plexarr-roots-'));
  homes.push(base);
  return { ...config, mediaRoot: join(base, 'media'), configRoot: join(base, 'appdata') };
}
