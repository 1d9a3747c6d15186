import { afterAll, describe, expect, test } from '@jest/globals';
import { runCredentials } from '../../src/commands/credentials.js';
import { runStatus } from '../../src/commands/status.js';
import { memoryLogger } from '../../src/ui/logger.js';
import { cleanupHomes, seedHome, tempRoots } from '../cli/status-home.js';
import { fixtureConfig, FIXTURE_SECRETS } from './compose-fixtures.js';
import { fakeDockerEnv, fakeDockerExec, info } from './status-helpers.js';

/** The commands with injected deps: what the CLI wires, without spawning it. */
afterAll(cleanupHomes);

describe('runStatus / runCredentials with injected deps', () => {
  test('runStatus renders the report through the logger and returns the exit code', async () => {
    const home = seedHome(tempRoots(fixtureConfig(['radarr'])), FIXTURE_SECRETS, { 'radarr.root-folder': { status: 'done' } });
    const log = memoryLogger();
    const code = await runStatus(
      { home, json: true },
      {
        exec: fakeDockerExec(fakeDockerEnv('healthy', 'v2-ndjson')),
        log,
        hookups: async () => [{ ...info('radarr.root-folder', ['radarr']), dependsOn: [], plan: async () => [], apply: async () => {} }],
        clients: async () => ({}),
      },
    );
    expect(code).toBe(0);
    expect(JSON.parse(log.lines.join('\n'))).toMatchObject({ ok: true, summary: { services: 1, up: 1, linked: 1 } });
  });

  test('runCredentials on a terminal prints without the pipe warning', async () => {
    const home = seedHome(tempRoots(fixtureConfig(['radarr'])), FIXTURE_SECRETS);
    const log = memoryLogger();
    expect(await runCredentials({ home }, { log, stdoutIsTTY: true })).toBe(0);
    expect(log.lines.some((l) => l.startsWith('! '))).toBe(false);
    expect(log.lines.join('\n')).toContain(FIXTURE_SECRETS.RADARR_API_KEY);
  });

  test('bad options are usage errors (exit 2 through the top-level handler)', async () => {
    const log = memoryLogger();
    await expect(
      runStatus(
        { home: '/x', live: true, timeout: 0 },
        { exec: fakeDockerExec({}), log, hookups: async () => [], clients: async () => ({}) },
      ),
    ).rejects.toMatchObject({
      name: 'ZodError',
    });
  });
});
