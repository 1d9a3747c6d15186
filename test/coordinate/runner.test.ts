import { describe, expect, it } from '@jest/globals';
import { buildGraph, selectTasks } from '../../src/coordinate/graph.js';
import { runGraph, type RunnerOptions } from '../../src/coordinate/runner.js';
import type { Hookup } from '../../src/coordinate/types.js';
import { ProbeError, type Probe } from '../../src/coordinate/wait.js';
import { finishRun, latestTaskStates, startRun, taskRecorder, tasksToRetry } from '../../src/state/task-runs.js';
import { fakeHookup, fakeWorld, httpError, memoryApplied, memoryDb, netError, testConfig, type FakeWorld } from './helpers.js';

const ready: Probe = async () => undefined;
const opts = (o: Partial<RunnerOptions> = {}): RunnerOptions => ({
  concurrency: 6,
  timeoutMs: 10_000,
  dryRun: false,
  renderer: 'silent',
  retryDelayMs: 5,
  ...o,
});

async function run(world: FakeWorld, hookups: Hookup<FakeWorld>[], o: Partial<RunnerOptions> = {}, probe: Probe = ready, secrets = {}) {
  const config = testConfig();
  const graph = buildGraph(hookups, config, secrets);
  const { tasks } = selectTasks(graph, {});
  const db = memoryDb();
  const runId = startRun(db, o.dryRun ? 'dry-run' : 'full', tasks);
  const result = await runGraph(graph, tasks, opts(o), {
    context: { config, secrets, clients: world, applied: memoryApplied() },
    probe,
    recorder: taskRecorder(db, runId, Object.values(secrets)),
    secretValues: Object.values(secrets),
  });
  finishRun(db, runId, result.ok ? 'ok' : 'failed');
  const byId = new Map(result.outcomes.map((x) => [x.id, x]));
  return { result, byId, db };
}

describe('runGraph', () => {
  it('runs independent hookups in parallel up to the concurrency limit, dependencies first', async () => {
    const w = fakeWorld();
    const leaves = Array.from({ length: 8 }, (_, i) =>
      fakeHookup(w, { id: `radarr.leaf${i}`, dependsOn: ['nzbget.categories'], delayMs: 40 }),
    );
    const root = fakeHookup(w, { id: 'nzbget.categories', dependsOn: ['wait.nzbget'], delayMs: 10 });
    const t0 = Date.now();
    const { result } = await run(w, [...leaves, root], { concurrency: 4 });
    expect(result.ok).toBe(true);
    expect(w.maxActive).toBe(4);
    // 8 leaves × (plan + verify-plan) × 40 ms on 4 slots ≈ 160 ms; serial would be ≥ 640 ms.
    expect(Date.now() - t0).toBeLessThan(600);
    const firstLeaf = w.events.findIndex((e) => e.startsWith('plan:radarr.leaf'));
    expect(w.events.indexOf('apply:nzbget.categories')).toBeLessThan(firstLeaf);
    expect([...w.values.keys()].length).toBe(9);
  });

  it('retries transient errors (refused, 5xx) and never a 4xx', async () => {
    const w = fakeWorld();
    const flaky = fakeHookup(w, { id: 'radarr.flaky', planErrors: [netError(), httpError(503)], applyErrors: [httpError(500)] });
    const bad = fakeHookup(w, {
      id: 'radarr.bad',
      applyErrors: [httpError(400, [{ propertyName: 'Path', errorMessage: "Folder '/data/media/movies' does not exist" }])],
    });
    const { byId } = await run(w, [flaky, bad]);
    expect(byId.get('radarr.flaky')).toMatchObject({ status: 'done', attempts: 4 });
    expect(byId.get('radarr.bad')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(byId.get('radarr.bad')!.error).toContain("Folder '/data/media/movies' does not exist");
    expect(byId.get('radarr.bad')!.advice).toContain('plexarr coordinate --retry');
    expect(bad.applies).toBe(1);
  });

  it("retries a 400 in which Prowlarr's application test could not reach the app, bounded by maxAttempts", async () => {
    const w = fakeWorld();
    const said = 'Unable to complete application test, cannot connect to Sonarr. HTTP 500';
    const unreachable = () => httpError(400, [{ propertyName: 'BaseUrl', errorMessage: said, severity: 'error' }]);
    const blip = fakeHookup(w, { id: 'prowlarr.app.sonarr', applyErrors: [unreachable(), unreachable()] });
    const down = fakeHookup(w, { id: 'prowlarr.app.radarr', applyErrors: Array.from({ length: 10 }, unreachable) });
    const { byId } = await run(w, [blip, down], { maxAttempts: 3 });
    expect(byId.get('prowlarr.app.sonarr')).toMatchObject({ status: 'done', attempts: 3 });
    expect(byId.get('prowlarr.app.radarr')).toMatchObject({ status: 'failed', attempts: 3 });
    expect(byId.get('prowlarr.app.radarr')!.advice).toContain('could not reach the app it tests');
  });

  it('gives up after maxAttempts of transient errors', async () => {
    const w = fakeWorld();
    const down = fakeHookup(w, { id: 'radarr.down', planErrors: Array.from({ length: 10 }, () => httpError(502)) });
    const { byId } = await run(w, [down], { maxAttempts: 3 });
    expect(byId.get('radarr.down')).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('marks dependents of a failed task as not run, with the reason, and records it', async () => {
    const w = fakeWorld();
    const a = fakeHookup(w, { id: 'nzbget.categories', applyErrors: [httpError(401)] });
    const b = fakeHookup(w, { id: 'radarr.client', dependsOn: ['nzbget.categories'] });
    const c = fakeHookup(w, { id: 'prowlarr.app', dependsOn: ['radarr.client'] });
    const { byId, db, result } = await run(w, [a, b, c]);
    expect(result.ok).toBe(false);
    expect(byId.get('radarr.client')).toMatchObject({
      status: 'pending',
      reason: 'not run: "Fake nzbget.categories" (nzbget.categories) failed',
    });
    expect(byId.get('prowlarr.app')).toMatchObject({ status: 'pending', reason: expect.stringContaining('(radarr.client) did not run') });
    expect(b.plans).toBe(0);
    const states = latestTaskStates(db);
    expect(states.get('nzbget.categories')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(states.get('radarr.client')).toMatchObject({ status: 'pending', attempts: 0 });
    expect(states.get('wait.radarr')).toMatchObject({ status: 'done' });
    expect(tasksToRetry(db).sort()).toEqual(['nzbget.categories', 'prowlarr.app', 'radarr.client']);
  });

  it('skips with the reason and lets independent work go on', async () => {
    const w = fakeWorld();
    const skip = fakeHookup(w, { id: 'plex.libraries', skip: 'no Plex token: run `plexarr coordinate --plex-token …`' });
    const after = fakeHookup(w, { id: 'radarr.x', dependsOn: ['plex.libraries'] });
    const { byId, result } = await run(w, [skip, after]);
    expect(result.ok).toBe(true);
    expect(byId.get('plex.libraries')).toMatchObject({ status: 'skipped', reason: expect.stringContaining('--plex-token') });
    expect(byId.get('radarr.x')!.status).toBe('done');
    expect(skip.plans).toBe(0);
  });

  it('dry run plans only: no apply, the plan reported per hookup, dependents of unapplied changes left pending', async () => {
    const w = fakeWorld();
    w.values.set('radarr.same', 'on');
    w.values.set('radarr.changed', 'off');
    const same = fakeHookup(w, { id: 'radarr.same' });
    const changed = fakeHookup(w, { id: 'radarr.changed' });
    const created = fakeHookup(w, { id: 'radarr.created' });
    const dependent = fakeHookup(w, { id: 'radarr.dependent', dependsOn: ['radarr.created'], planErrors: [httpError(404)] });
    const { byId, result } = await run(w, [same, changed, created, dependent], { dryRun: true });
    expect(w.events.filter((e) => e.startsWith('apply:'))).toEqual([]);
    expect(byId.get('radarr.same')!.changes).toEqual([{ kind: 'unchanged', target: 'radarr.same' }]);
    expect(byId.get('radarr.changed')!.changes).toEqual([{ kind: 'update', target: 'radarr.changed', fields: ['value'] }]);
    expect(byId.get('radarr.created')!.changes).toEqual([{ kind: 'create', target: 'radarr.created' }]);
    expect(byId.get('radarr.dependent')).toMatchObject({ status: 'pending', reason: expect.stringContaining('cannot be planned') });
    expect(result.ok).toBe(true);
  });

  it('detects a change that did not stick (verify plans again)', async () => {
    const w = fakeWorld();
    const forgetful = fakeHookup(w, { id: 'radarr.forgetful', forgetful: true });
    const { byId } = await run(w, [forgetful]);
    expect(byId.get('radarr.forgetful')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(byId.get('radarr.forgetful')!.error).toMatch(/did not stick.*create radarr.forgetful/);
  });

  it('a second run changes nothing', async () => {
    const w = fakeWorld();
    const hs = () => [fakeHookup(w, { id: 'radarr.a' }), fakeHookup(w, { id: 'radarr.b', dependsOn: ['radarr.a'] })];
    await run(w, hs());
    const again = hs();
    const { result } = await run(w, again);
    expect(again.map((h) => h.applies)).toEqual([0, 0]);
    expect(result.outcomes.filter((o) => o.kind === 'hookup').every((o) => o.changes?.length === 0)).toBe(true);
  });

  it('waits for readiness with backoff capped at 1 s, and fails a wait at the timeout', async () => {
    const w = fakeWorld();
    const calls: number[] = [];
    const t0 = Date.now();
    const probe: Probe = async (service) => {
      if (service !== 'radarr') return;
      calls.push(Date.now() - t0);
      if (calls.length < 6) throw new ProbeError('Radarr did not answer at http://127.0.0.1:7878/ping (ECONNREFUSED)');
    };
    const dep = fakeHookup(w, { id: 'radarr.x', dependsOn: ['wait.radarr'] });
    const { byId } = await run(w, [dep], {}, probe);
    expect(byId.get('wait.radarr')).toMatchObject({ status: 'done', attempts: 6 });
    const gaps = calls.slice(1).map((t, i) => t - calls[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(90);
    expect(Math.max(...gaps)).toBeLessThan(1150);
    expect(gaps[4]).toBeGreaterThanOrEqual(950);
    expect(w.events.indexOf('plan:radarr.x')).toBeGreaterThanOrEqual(0);

    const never: Probe = async () => {
      throw new ProbeError('Radarr did not answer');
    };
    const late = await run(fakeWorld(), [fakeHookup(w, { id: 'radarr.y', dependsOn: ['wait.radarr'] })], { timeoutMs: 300 }, never);
    expect(late.byId.get('wait.radarr')).toMatchObject({ status: 'failed', error: expect.stringContaining('--timeout of 0 s ran out') });
    expect(late.byId.get('radarr.y')!.status).toBe('pending');
  });

  it('fails a wait at once on a fatal probe error', async () => {
    const probe: Probe = async (s) => {
      if (s === 'nzbget') throw new ProbeError('NZBGet refused the login', true);
    };
    const { byId } = await run(fakeWorld(), [], {}, probe);
    expect(byId.get('wait.nzbget')).toMatchObject({
      status: 'failed',
      attempts: 1,
      advice: expect.stringContaining('plexarr credentials'),
    });
  });

  it('redacts secrets in outcomes and stored rows', async () => {
    const w = fakeWorld();
    const secret = 'abcdef0123456789abcdef0123456789';
    const leaky = fakeHookup(w, { id: 'radarr.leaky', applyErrors: [httpError(400, { message: `bad key ${secret}` })] });
    const { byId, db } = await run(w, [leaky], {}, ready, { RADARR_API_KEY: secret });
    expect(byId.get('radarr.leaky')!.error).toContain('bad key ********');
    expect(JSON.stringify(db.prepare('SELECT * FROM task_runs').all())).not.toContain(secret);
  });

  it('a run killed half-way leaves consistent rows; the next run closes it as interrupted', () => {
    const db = memoryDb();
    const first = startRun(db, 'full', ['wait.radarr', 'radarr.a', 'radarr.b']);
    const rec = taskRecorder(db, first, []);
    rec.started('wait.radarr');
    rec.finished('wait.radarr', { status: 'done' });
    rec.started('radarr.a');
    rec.attempt('radarr.a', 2);
    // kill -9 here: nothing else is written.
    expect(latestTaskStates(db).get('radarr.a')).toMatchObject({ status: 'running', attempts: 2 });
    expect(tasksToRetry(db).sort()).toEqual(['radarr.a', 'radarr.b']);
    const second = startRun(db, 'retry', ['radarr.a', 'radarr.b']);
    expect(db.prepare('SELECT outcome FROM coordinate_runs WHERE id = ?').get(first)).toEqual({ outcome: 'interrupted' });
    expect(db.prepare('SELECT status, error FROM task_runs WHERE run_id = ? AND task_id = ?').get(first, 'radarr.a')).toEqual({
      status: 'pending',
      error: 'interrupted: the run stopped before this task finished',
    });
    expect(latestTaskStates(db).get('radarr.a')).toMatchObject({ runId: second, status: 'pending' });
    expect(latestTaskStates(db).get('wait.radarr')).toMatchObject({ runId: first, status: 'done' });
  });
});
