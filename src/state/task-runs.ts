import type { Database } from 'better-sqlite3';
import { redact } from '../redact.js';

/**
 * The record of every coordinate run and every task in it (`coordinate_runs`, `task_runs`).
 * Each write is its own short statement or transaction, so a run killed at any point (kill -9)
 * leaves rows that say exactly how far it got; `--retry` and `plexarr status` read them back.
 */

export type TaskStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

/** `full` = every task; `retry` = what was not done; `only` = a `--only` subset; `dry-run` = plan only. */
export type RunMode = 'full' | 'retry' | 'only' | 'dry-run';
export type RunOutcome = 'running' | 'ok' | 'failed' | 'interrupted';

export interface TaskState {
  taskId: string;
  runId: number;
  status: TaskStatus;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
  detail: string | null;
}

export interface TaskFinish {
  status: Exclude<TaskStatus, 'running'>;
  error?: string;
  detail?: string;
}

/** What the runner calls while it works; bound to one run. */
export interface TaskRecorder {
  started(taskId: string): void;
  attempt(taskId: string, attempt: number): void;
  finished(taskId: string, finish: TaskFinish): void;
}

const INTERRUPTED = 'interrupted: the run stopped before this task finished';

function now(): string {
  return new Date().toISOString();
}

/**
 * Opens a run and writes a `pending` row for every task it will attempt, in one transaction, so
 * a kill before a task starts still leaves it visible to `--retry`. Runs left `running` by a
 * killed process are closed as `interrupted` first (one coordinate per home at a time).
 */
export function startRun(db: Database, mode: RunMode, taskIds: readonly string[]): number {
  const at = now();
  return db.transaction(() => {
    db.prepare(
      `UPDATE task_runs SET status = 'pending', error = COALESCE(error, ?)
       WHERE status = 'running' AND run_id IN (SELECT id FROM coordinate_runs WHERE outcome = 'running')`,
    ).run(INTERRUPTED);
    db.prepare(`UPDATE coordinate_runs SET outcome = 'interrupted', finished_at = ? WHERE outcome = 'running'`).run(at);
    const runId = Number(db.prepare('INSERT INTO coordinate_runs (started_at, mode) VALUES (?, ?)').run(at, mode).lastInsertRowid);
    const insert = db.prepare(`INSERT INTO task_runs (run_id, task_id, status) VALUES (?, ?, 'pending')`);
    for (const id of taskIds) insert.run(runId, id);
    return runId;
  })();
}

export function finishRun(db: Database, runId: number, outcome: Exclude<RunOutcome, 'running'>): void {
  db.prepare('UPDATE coordinate_runs SET outcome = ?, finished_at = ? WHERE id = ?').run(outcome, now(), runId);
}

/** Every error and detail is redacted with every known secret before it is stored. */
export function taskRecorder(db: Database, runId: number, secretValues: readonly string[]): TaskRecorder {
  const clean = (text: string | undefined) => (text === undefined ? null : redact(text, secretValues));
  const startedAt = new Map<string, number>();
  const start = db.prepare(
    `UPDATE task_runs SET status = 'running', started_at = ?, finished_at = NULL, error = NULL WHERE run_id = ? AND task_id = ?`,
  );
  const attempt = db.prepare('UPDATE task_runs SET attempts = ? WHERE run_id = ? AND task_id = ?');
  const finish = db.prepare(
    `UPDATE task_runs SET status = ?, finished_at = ?, duration_ms = ?, error = ?, detail = ? WHERE run_id = ? AND task_id = ?`,
  );
  return {
    started(taskId) {
      startedAt.set(taskId, Date.now());
      start.run(now(), runId, taskId);
    },
    attempt(taskId, n) {
      attempt.run(n, runId, taskId);
    },
    finished(taskId, { status, error, detail }) {
      const began = startedAt.get(taskId);
      const duration = began === undefined ? null : Date.now() - began;
      finish.run(status, now(), duration, clean(error), clean(detail), runId, taskId);
    },
  };
}

interface TaskRow {
  task_id: string;
  run_id: number;
  status: TaskStatus;
  attempts: number;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  error: string | null;
  detail: string | null;
}

/**
 * Per task id, its row from the most recent run that included it. Dry runs change nothing, so
 * they never count as a task's state.
 */
export function latestTaskStates(db: Database): Map<string, TaskState> {
  const rows = db
    .prepare(
      `SELECT t.* FROM task_runs t
       JOIN (SELECT task_id, MAX(run_id) AS run_id FROM task_runs
             WHERE run_id IN (SELECT id FROM coordinate_runs WHERE mode != 'dry-run')
             GROUP BY task_id) latest
       ON latest.task_id = t.task_id AND latest.run_id = t.run_id
       ORDER BY t.task_id`,
    )
    .all() as TaskRow[];
  return new Map(
    rows.map((r) => [
      r.task_id,
      {
        taskId: r.task_id,
        runId: r.run_id,
        status: r.status,
        attempts: r.attempts,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        durationMs: r.duration_ms,
        error: r.error,
        detail: r.detail,
      },
    ]),
  );
}

/**
 * Tasks whose latest state is not `done`: failed, never finished (pending/running after a kill),
 * or skipped (a skip reason such as a missing Plex token may have been fixed since).
 * Tasks that never ran at all are not listed here; the graph selection adds them.
 */
export function tasksToRetry(db: Database): string[] {
  return [...latestTaskStates(db).values()].filter((s) => s.status !== 'done').map((s) => s.taskId);
}
