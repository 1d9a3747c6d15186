import { outcomeBase, runHookup, waitForService, type RunContext } from './executors.js';
import type { TaskNode } from './graph.js';
import type { TaskOutcome } from './outcome.js';

/**
 * When each task may start: as soon as its selected dependencies have settled (and none failed),
 * with at most `concurrency` hookups talking to the apps at once (readiness waits are cheap and
 * do not count) and the tallest remaining chain first.
 */

class Slots {
  private readonly queue: { priority: number; go: () => void }[] = [];
  constructor(private free: number) {}
  acquire(priority: number): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return Promise.resolve();
    }
    return new Promise((go) => {
      this.queue.push({ priority, go });
      this.queue.sort((a, b) => b.priority - a.priority);
    });
  }
  release(): void {
    const next = this.queue.shift();
    if (next) next.go();
    else this.free += 1;
  }
}

export interface Scheduler<C> {
  /** Runs `node` once its dependencies allow; `onWaiting` hears which ones it waits for. */
  run(node: TaskNode<C>, onWaiting: (ids: string[]) => void): Promise<TaskOutcome>;
  /** Records a task's outcome, releasing the tasks that wait for it. */
  settle(id: string, outcome: TaskOutcome): void;
}

export function createScheduler<C>(run: RunContext<C>, selected: readonly string[], concurrency: number): Scheduler<C> {
  const chosen = new Set(selected);
  const slots = new Slots(Math.max(1, concurrency));
  const settled = new Map<string, Promise<TaskOutcome>>();
  const resolvers = new Map<string, (o: TaskOutcome) => void>();
  for (const id of selected) settled.set(id, new Promise((r) => resolvers.set(id, r)));

  async function runNode(node: TaskNode<C>, onWaiting: (ids: string[]) => void): Promise<TaskOutcome> {
    const queued = Date.now();
    if (node.skipReason !== null) return { ...outcomeBase(node, queued, 0), status: 'skipped', reason: run.clean(node.skipReason) };
    const pendingDeps = node.dependsOn.filter((d) => chosen.has(d));
    if (pendingDeps.length > 0) onWaiting(pendingDeps);
    const depOutcomes = await Promise.all(pendingDeps.map((d) => settled.get(d)!));
    const upstreamUnapplied = run.dryRun && node.dependsOn.some((d) => run.unapplied.has(d));
    const blocker = depOutcomes.find((o) => o.status === 'failed' || (o.status === 'pending' && !(run.dryRun && run.unapplied.has(o.id))));
    if (blocker) {
      const why = blocker.status === 'failed' ? 'failed' : 'did not run';
      return { ...outcomeBase(node, queued, 0), status: 'pending', reason: `not run: "${blocker.title}" (${blocker.id}) ${why}` };
    }
    if (node.kind === 'hookup') await slots.acquire(node.height);
    try {
      if (run.signal.aborted) return { ...outcomeBase(node, queued, 0), status: 'pending', reason: `not run: ${run.timeoutText} first` };
      run.recorder?.started(node.id);
      const started = Date.now();
      return node.kind === 'wait' ? await waitForService(run, node, started) : await runHookup(run, node, started, upstreamUnapplied);
    } finally {
      if (node.kind === 'hookup') slots.release();
    }
  }

  return {
    run: runNode,
    settle: (id, outcome) => resolvers.get(id)!(outcome),
  };
}
