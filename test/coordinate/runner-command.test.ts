import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCoordinate, type CoordinateDeps } from '../../src/commands/coordinate.js';
import { containerName, enabledServices } from '../../src/catalog/index.js';
import type { StackState } from '../../src/coordinate/stack.js';
import type { Hookup } from '../../src/coordinate/types.js';
import { ProbeError, type Probe } from '../../src/coordinate/wait.js';
import { saveConfig } from '../../src/state/configs.js';
import { openState } from '../../src/state/db.js';
import { getSecrets, setSecrets } from '../../src/state/secrets.js';
import { latestTaskStates } from '../../src/state/task-runs.js';
import { fakeHookup, fakeWorld, httpError, testConfig, type FakeWorld } from './helpers.js';
import { plexarrCommand } from '../../src/ui/invocation.js';

const KEY = '0123456789abcdef0123456789abcdef';
let home: string;
let out: string[];
let err: string[];

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'plexarr-coord-'));
  out = [];
  err = [];
  const state = openState(home);
  saveConfig(state.db, testConfig());
  setSecrets(state.db, { RADARR_API_KEY: KEY });
  state.close();
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** Docker's answer when every enabled service's container runs (`exited` lists the stopped ones). */
function running(exited: string[] = []): StackState {
  const config = testConfig();
  const containers = enabledServices(config).map((id) => {
    const name = containerName(id, config);
    return { service: name, name, state: exited.includes(name) ? 'exited' : 'running', publishedPorts: [] };
  });
  return { state: 'up', containers };
}

function deps(
  world: FakeWorld,
  hookups: () => Hookup<FakeWorld>[],
  stack: StackState = running(),
  probe: Probe = async () => undefined,
): CoordinateDeps<FakeWorld> {
  return {
    log: { info: (t) => out.push(t), warn: (t) => err.push(t), error: (t) => err.push(t) },
    hookups: async () => hookups(),
    clients: async () => world,
    stack: async () => stack,
    probe: async () => probe,
    renderer: 'silent',
    retry: { retryDelayMs: 1 },
  };
}

const withPlex = (secrets: { PLEX_TOKEN?: string }) =>
  secrets.PLEX_TOKEN ? null : 'no Plex token: run `plexarr coordinate --plex-token <token>`';

describe('runCoordinate', () => {
  it('exits 2 on bad options and unknown --only globs, writing nothing', async () => {
    const w = fakeWorld();
    const d = deps(w, () => [fakeHookup(w, { id: 'radarr.a' })]);
    await expect(runCoordinate({ home, concurrency: 0 }, d)).rejects.toMatchObject({ name: 'ZodError' });
    await expect(runCoordinate({ home, timeout: 'soon' } as never, d)).rejects.toMatchObject({ name: 'ZodError' });
    await expect(runCoordinate({ home, only: ['nothing.*'], plexToken: 'tok' }, d)).rejects.toMatchObject({ exitCode: 2, field: 'only' });
    await expect(runCoordinate({ home: join(home, 'missing') }, d)).rejects.toMatchObject({ exitCode: 2 });
    const state = openState(home);
    expect(latestTaskStates(state.db).size).toBe(0);
    expect(getSecrets(state.db).PLEX_TOKEN).toBeUndefined();
    state.close();
  });

  it('fails with a summary (exit 1), then --retry runs only what is not done and stores --plex-token', async () => {
    const w = fakeWorld();
    let failNext = true;
    const hookups = () => [
      fakeHookup(w, { id: 'radarr.a', dependsOn: ['wait.radarr'] }),
      fakeHookup(w, {
        id: 'radarr.b',
        dependsOn: ['radarr.a'],
        ...(failNext
          ? { applyErrors: [httpError(400, [{ propertyName: 'Path', errorMessage: `Folder does not exist (key ${KEY})` }])] }
          : {}),
      }),
      fakeHookup(w, { id: 'radarr.c', dependsOn: ['radarr.b'] }),
      { ...fakeHookup(w, { id: 'plex.libraries' }), skipReason: (_c: unknown, s: { PLEX_TOKEN?: string }) => withPlex(s) },
    ];
    expect(await runCoordinate({ home }, deps(w, hookups))).toBe(1);
    const report = out.join('\n');
    expect(report).toContain('✖ Fake radarr.b (radarr.b) after 1 attempt');
    expect(report).toContain('what went wrong: ');
    expect(report).toContain('Folder does not exist');
    expect(report).toContain('what to do: Radarr rejected the request');
    expect(report).toContain('Fake radarr.c (radarr.c): not run: "Fake radarr.b" (radarr.b) failed');
    expect(report).toMatch(
      /Skipped:\n {2}- Fake plex.libraries \(plex.libraries\): no Plex token: run `plexarr coordinate --plex-token <token>`/,
    );
    expect(report + err.join('\n')).not.toContain(KEY);
    expect(err.join('\n')).toContain('1 failed, 1 not run');

    failNext = false;
    out = [];
    w.events.length = 0;
    expect(await runCoordinate({ home, retry: true, plexToken: 'plex-token-123', json: true }, deps(w, hookups))).toBe(0);
    const json = JSON.parse(out.join('\n')) as { mode: string; ok: boolean; tasks: { id: string; status: string }[] };
    expect(json).toMatchObject({ mode: 'retry', ok: true });
    expect(json.tasks.map((t) => `${t.id}:${t.status}`)).toEqual(['plex.libraries:done', 'radarr.b:done', 'radarr.c:done']);
    expect(w.events).not.toContain('plan:radarr.a');
    const state = openState(home);
    expect(getSecrets(state.db).PLEX_TOKEN).toBe('plex-token-123');
    expect([...latestTaskStates(state.db).values()].every((s) => s.status === 'done')).toBe(true);
    state.close();

    out = [];
    expect(await runCoordinate({ home, retry: true }, deps(w, hookups))).toBe(0);
    expect(out.join('\n')).toContain('Nothing to retry');
  });

  it('--dry-run prints the plan and stores nothing as done', async () => {
    const w = fakeWorld();
    w.values.set('radarr.same', 'on');
    const hookups = () => [fakeHookup(w, { id: 'radarr.same' }), fakeHookup(w, { id: 'radarr.new' })];
    expect(await runCoordinate({ home, dryRun: true, only: 'radarr.*' }, deps(w, hookups))).toBe(0);
    const report = out.join('\n');
    expect(report).toContain('= radarr.same: unchanged');
    expect(report).toContain('+ radarr.new: create radarr.new');
    expect(w.events.some((e) => e.startsWith('apply:'))).toBe(false);
    const state = openState(home);
    expect(latestTaskStates(state.db).size).toBe(0);
    state.close();
  });

  it('stops at once when Docker says the stack is not running, before any wait or write', async () => {
    const w = fakeWorld();
    let probed = 0;
    const hookups = () => [fakeHookup(w, { id: 'radarr.a', dependsOn: ['wait.radarr'] })];
    const down: StackState = { state: 'down', why: 'Docker has no plexarr containers' };
    for (const dryRun of [false, true]) {
      await expect(
        runCoordinate(
          { home, dryRun },
          deps(w, hookups, down, async () => void probed++),
        ),
      ).rejects.toMatchObject({
        exitCode: 1,
        message: expect.stringContaining(
          `The stack is not running: Docker has no plexarr containers — run \`${plexarrCommand('deploy')}\``,
        ),
      });
    }
    expect(probed).toBe(0);
    const state = openState(home);
    expect(latestTaskStates(state.db).size).toBe(0);
    state.close();
  });

  it('does not wait for a service whose container is stopped, and warns when Docker cannot be asked', async () => {
    const w = fakeWorld();
    const hookups = () => [
      fakeHookup(w, { id: 'radarr.a', dependsOn: ['wait.radarr'] }),
      fakeHookup(w, { id: 'sonarr.a', services: ['sonarr'], dependsOn: ['wait.sonarr'] }),
    ];
    // Radarr would never answer: without the container check this run would wait out its 20 s.
    const radarrSilent: Probe = async (service) => {
      if (service === 'radarr') throw new ProbeError('not answering yet');
    };
    const started = Date.now();
    expect(await runCoordinate({ home, timeout: 20 }, deps(w, hookups, running(['radarr']), radarrSilent))).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(out.join('\n')).toContain(`Radarr's container radarr is exited; run \`${plexarrCommand('deploy')}\``);
    expect(w.events).toContain('apply:sonarr.a');

    out = [];
    err = [];
    const unknown: StackState = { state: 'unknown', why: 'the docker command is not installed' };
    expect(await runCoordinate({ home, only: 'radarr.*' }, deps(w, hookups, unknown))).toBe(0);
    expect(err.join('\n')).toContain('Could not ask Docker whether the stack is running (the docker command is not installed)');
  });
});
