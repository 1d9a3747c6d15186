import type { TaskStatus } from '../state/task-runs.js';
import type { PlannedChange } from './types.js';

/** What a run produced per task, shared by the runner that makes it and the report that shows it. */

export type OutcomeStatus = Exclude<TaskStatus, 'running'>;

export interface TaskOutcome {
  id: string;
  title: string;
  kind: 'hookup' | 'wait';
  status: OutcomeStatus;
  attempts: number;
  durationMs: number;
  /** What went wrong, in the app's words (failed). */
  error?: string;
  /** What to do about it (failed). */
  advice?: string;
  /** Why it was skipped or not run (skipped, pending). */
  reason?: string;
  /** Dry run: the plan. Otherwise: what was changed. Never the hookup's private `data`. */
  changes?: PlannedChange[];
}

export interface RunResult {
  outcomes: TaskOutcome[];
  ok: boolean;
}

export function describeChange(c: Pick<PlannedChange, 'kind' | 'target' | 'fields'>): string {
  if (c.kind === 'update' && c.fields && c.fields.length > 0) return `update ${c.target} (${c.fields.join(', ')})`;
  return `${c.kind} ${c.target}`;
}

/** Planning again after `apply` still found differences: the app did not keep what was sent. */
export class VerifyError extends Error {
  constructor(readonly left: PlannedChange[]) {
    super(`the change did not stick: after applying, planning again still wants to ${left.map(describeChange).join('; ')}`);
    this.name = 'VerifyError';
  }
}
