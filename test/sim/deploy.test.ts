import { afterEach, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nzbgetMissing } from '../fakes/nzbget.js';
import { describeNeeding } from '../helpers/tiers.js';
import { FIXTURES } from '../unit/status-helpers.js';
import { startSim } from './harness.js';

/**
 * `plexarr deploy` against the fake docker on PATH and the fakes on loopback: once its health wait
 * has seen every container healthy, its coordinate goes straight to the services, asking Docker
 * nothing more; `plexarr coordinate` alone still asks Docker first.
 * Needs `npm run build` first (the CLI runs from dist/).
 */

type Sim = Awaited<ReturnType<typeof startSim>>;
interface DockerCall {
  t: number;
  argv: string[];
}
interface Inspect {
  Name: string;
  State: { Health?: { Log?: unknown[] } };
  NetworkSettings: { Ports: Record<string, { HostPort: string }[]> };
}

let sim: Sim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/**
 * The fixture's healthy containers, publishing the ports the fakes listen on (so deploy takes them
 * for its own) and without a health log, so "healthy" dates from when the health wait sees it.
 */
function writeInspect(s: Sim): string {
  const containers = JSON.parse(readFileSync(join(FIXTURES, 'healthy', 'inspect.json'), 'utf8')) as Inspect[];
  for (const c of containers) {
    const name = c.Name.replace(/^\//, '');
    const port = String(s.ports[name === 'seerr' ? 'requests' : name]);
    for (const bindings of Object.values(c.NetworkSettings.Ports)) for (const b of bindings) b.HostPort = port;
    delete c.State.Health?.Log;
  }
  const file = join(s.root, 'inspect.json');
  writeFileSync(file, JSON.stringify(containers));
  return file;
}

function dockerCalls(file: string): DockerCall[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as DockerCall);
}

const command = (c: DockerCall) => c.argv.join(' ');
const isInfo = (c: DockerCall) => c.argv[0] === 'docker' && c.argv[1] === 'info';

describeNeeding(nzbgetMissing())('plexarr deploy against the fake docker, the fakes and a real NZBGet', () => {
  it('asks Docker nothing between the health wait and the first hookup request; coordinate alone still does', async () => {
    sim = await startSim();
    const s = sim;
    const dockerLog = join(s.root, 'docker.log');
    const env = { FAKE_DOCKER_INSPECT: writeInspect(s), FAKE_DOCKER_LOG: dockerLog };
    s.resetLogs();

    const run = await s.deploy(['--json'], { env });
    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(run.stdout) as { coordinateExitCode: number; timings: { healthyToCoordinate: number } };
    expect(report.coordinateExitCode).toBe(0);

    const calls = dockerCalls(dockerLog);
    const lastInspect = calls.findLastIndex((c) => c.argv[1] === 'inspect');
    expect(command(calls[lastInspect]!)).toMatch(/^docker inspect --type container .*\bradarr\b/);
    // The health wait's read of the containers is the last thing asked of Docker; the engine is asked once.
    expect(calls.slice(lastInspect + 1).map(command)).toEqual([]);
    expect(calls.filter(isInfo)).toHaveLength(1);

    const sawHealthy = calls[lastInspect]!.t;
    const requests = s.requests().filter((e: { t: number; service: string }) => e.t >= sawHealthy && e.service !== 'plex.tv');
    const readiness = /^\/(ping|identity|api\/v1\/status|api\/health\/ready|jsonrpc\/version)$/;
    const firstHookup = requests.find((e: { path: string }) => !readiness.test(e.path.split('?')[0] ?? ''));
    expect(firstHookup).toBeDefined();
    console.log(
      `deploy on the fakes: healthy → coordinate ${report.timings.healthyToCoordinate} ms; last docker inspect → first request ${
        requests[0]!.t - sawHealthy
      } ms, → first hookup request ${firstHookup!.t - sawHealthy} ms`,
    );

    writeFileSync(dockerLog, '');
    const alone = await s.coordinate([], { env: { FAKE_DOCKER_SCENARIO: join(FIXTURES, 'empty'), FAKE_DOCKER_LOG: dockerLog } });
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain('The stack is not running: Docker has no plexarr containers');
    expect(dockerCalls(dockerLog).filter(isInfo)).toHaveLength(1);
  }, 180_000);
});
