import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackState } from '../../src/coordinate/stack.js';
import type { Exec } from '../../src/docker/exec.js';
import { FIXTURES, fakeDockerEnv, fakeDockerExec } from './status-helpers.js';

/** What Docker says about the stack decides whether coordinate waits at all. */

let dir: string;
let composeFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'plexarr-stack-'));
  composeFile = join(dir, 'docker-compose.yml');
  writeFileSync(composeFile, 'services: {}\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EMPTY = { FAKE_DOCKER_SCENARIO: join(FIXTURES, 'empty') };

describe('stackState', () => {
  it('is up when containers run, listing them all (stopped ones too)', async () => {
    const up = await stackState(fakeDockerExec(fakeDockerEnv('mixed', 'v2-ndjson')), composeFile);
    expect(up.state).toBe('up');
    if (up.state === 'up') expect(up.containers.find((c) => c.name === 'lidarr')?.state).toBe('exited');
  });

  it('is up through docker-compose v1 as well', async () => {
    expect((await stackState(fakeDockerExec(fakeDockerEnv('healthy', 'v1')), composeFile)).state).toBe('up');
  });

  it('is down when the project has no containers', async () => {
    const exec = fakeDockerExec(fakeDockerEnv('healthy', 'v2-ndjson', EMPTY));
    expect(await stackState(exec, composeFile)).toEqual({ state: 'down', why: 'Docker has no plexarr containers' });
  });

  it('is down when every container is stopped', async () => {
    const env = fakeDockerEnv('healthy', 'v1');
    const containers = JSON.parse(readFileSync(join(FIXTURES, 'healthy', 'inspect.json'), 'utf8')) as { State: Record<string, unknown> }[];
    for (const c of containers) Object.assign(c.State, { Status: 'exited', Running: false });
    const inspect = join(dir, 'exited.json');
    writeFileSync(inspect, JSON.stringify(containers));
    const down = await stackState(fakeDockerExec({ ...env, FAKE_DOCKER_INSPECT: inspect }), composeFile);
    expect(down).toMatchObject({ state: 'down', why: expect.stringContaining('every plexarr container is stopped (lidarr: exited') });
  });

  it('is down when the engine is stopped', async () => {
    const exec = fakeDockerExec(fakeDockerEnv('healthy', 'v2-ndjson', { FAKE_DOCKER_DAEMON: 'down' }));
    expect(await stackState(exec, composeFile)).toMatchObject({
      state: 'down',
      why: expect.stringContaining('Cannot connect to the Docker daemon'),
    });
  });

  it('is down when there is no compose file (never deployed)', async () => {
    expect(await stackState(fakeDockerExec(fakeDockerEnv('healthy', 'v2-ndjson')), join(dir, 'missing.yml'))).toMatchObject({
      state: 'down',
    });
  });

  it('is unknown when Docker cannot be asked: access denied, no Compose, or no docker here at all', async () => {
    const denied = fakeDockerExec(fakeDockerEnv('healthy', 'v2-ndjson', { FAKE_DOCKER_DAEMON: 'denied' }));
    expect(await stackState(denied, composeFile)).toMatchObject({ state: 'unknown', why: expect.stringContaining('permission denied') });
    const noCompose = fakeDockerExec(fakeDockerEnv('healthy', 'none'));
    expect(await stackState(noCompose, composeFile)).toMatchObject({
      state: 'unknown',
      why: expect.stringContaining('Docker Compose is missing'),
    });
    const missing: Exec = async () => ({ exitCode: 127, stdout: '', stderr: '' });
    expect(await stackState(missing, composeFile)).toEqual({ state: 'unknown', why: 'the docker command is not installed' });
  });
});
