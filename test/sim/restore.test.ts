import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fakeDockerEnv } from '../unit/status-helpers.js';
import { runCli, startSim, storedSecrets } from './harness.js';

/**
 * backup → wipe the home → restore → coordinate, against the fakes and a real NZBGet: the restored
 * plexarr.db gives back the same keys and the fingerprints of what each app was given, so the
 * apps (still wired) need nothing: the coordinate after the restore sends no mutating request.
 * Needs `npm run build` first (the CLI runs from dist/).
 */

type Sim = Awaited<ReturnType<typeof startSim>>;
let sim: Sim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('restore onto an empty home, then coordinate', () => {
  it('gives back the same keys and makes 0 mutating requests', async () => {
    sim = await startSim();
    const s = sim;
    expect((await s.coordinate()).code).toBe(0);
    const keys = s.secrets();
    // The engine is down here: backup copies without stopping anything.
    const env = fakeDockerEnv('healthy', 'v2-ndjson', { FAKE_DOCKER_DAEMON: 'down' });
    const file = join(s.root, 'backup.tar.gz');
    const backup = await runCli(['backup', '--home', s.home, '--output', file], { env });
    expect({ code: backup.code, err: backup.stderr }).toEqual({ code: 0, err: expect.stringContaining('keep it private') });

    for (const name of readdirSync(s.home)) rmSync(join(s.home, name), { recursive: true, force: true });
    rmSync(join(s.root, 'appdata'), { recursive: true, force: true });
    const restore = await runCli(['restore', file, '--home', s.home], { env });
    expect({ code: restore.code, err: restore.stderr }).toEqual({ code: 0, err: '' });
    expect(existsSync(join(s.home, 'generated-config', '.env'))).toBe(true);
    expect(s.secrets()).toEqual(keys);

    s.resetLogs();
    const after = await s.coordinate(['--json']);
    expect(after.code).toBe(0);
    const report = JSON.parse(after.stdout) as { tasks: { id: string; kind: string; status: string; changes?: unknown[] }[] };
    expect(
      report.tasks.filter((t) => t.kind === 'hookup' && ((t.status !== 'done' && t.status !== 'skipped') || (t.changes?.length ?? 0) > 0)),
    ).toEqual([]);
    expect(s.nonGet().map((e: { service: string; method: string; path: string }) => `${e.service} ${e.method} ${e.path}`)).toEqual([]);
    expect(storedSecrets(s.home)).toEqual(keys);
  }, 180_000);
});
