import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { realExec } from '../../src/docker/exec.js';
import { describeNeeding } from '../helpers/tiers.js';
import { e2eEngine } from './engine.js';
import { buildE2EImages } from './images.js';
import {
  docker,
  dockerOk,
  expectPresent,
  fakeLog,
  getJson,
  NETWORK,
  PLEXTV_CONTAINER,
  STACK_FILES,
  plexarr,
  rebuildImage,
  resetFakeLog,
  stackPortArgs,
  startPlexTv,
  waitFor,
  type StackPorts,
} from './stack.js';

/**
 * The default stack on a one-node Docker Swarm: `plexarr init --engine swarm` → `deploy` (docker
 * stack deploy) → coordinate → a second coordinate that changes nothing → `update` onto a new
 * locally built Radarr, and one rolled back → `down` (docker stack rm) keeping every file →
 * `deploy` and `uninstall` keeping media and configuration. Placement is proven on this one node: Plex is constrained to a node label the
 * test puts on it. Skips (one SKIPPED line for the tier) only when no engine or no nzbget can be
 * had, as the other e2e suites do; leaves the swarm it created.
 */
const engine = await e2eEngine();
const maybe = describeNeeding(engine.ok ? undefined : engine.reason);

const PLEX_TOKEN = 'e2e-plex-account-token-0001';
const SERVICES = ['plex', 'radarr', 'sonarr', 'lidarr', 'prowlarr', 'seerr', 'maintainerr', 'nzbget', 'recyclarr'];
const STACK_LABEL = 'com.docker.stack.namespace=plexarr';

afterAll(async () => {
  if (engine.ok) await engine.stop();
}, 120_000);

/** Docker's own view of the stack: one task per service, its state and the node it runs on. */
async function tasks(): Promise<Record<string, { state: string; node: string }>> {
  const out = await dockerOk('stack', 'ps', 'plexarr', '--filter', 'desired-state=running', '--format', '{{json .}}');
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const t = JSON.parse(l) as { Name: string; CurrentState: string; Node: string };
        return [t.Name.replace(/^plexarr_/, '').replace(/\.\d+$/, ''), { state: t.CurrentState.split(' ')[0] ?? '', node: t.Node }];
      }),
  );
}

maybe('plexarr on a one-node Docker Swarm', () => {
  let home = '';
  let env: Record<string, string> = {};
  let ports: StackPorts;
  let nodeName = '';

  beforeAll(async () => {
    const state = (await dockerOk('info', '--format', '{{.Swarm.LocalNodeState}}')).trim();
    // On loopback only: the swarm's management and gossip ports (2377, 7946) are not opened to the network.
    if (state !== 'active') await dockerOk('swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', '127.0.0.1:2377');
    nodeName = (await dockerOk('info', '--format', '{{.Name}}')).trim();
    const nodeId = (await dockerOk('info', '--format', '{{.Swarm.NodeID}}')).trim();
    await dockerOk('node', 'update', '--label-add', 'plexarr-e2e-gpu=true', nodeId);
    await buildE2EImages(realExec, (line) => console.log(line));

    await docker('stack', 'rm', 'plexarr');
    await docker('rm', '-f', PLEXTV_CONTAINER);
    await waitFor(async () => (await docker('network', 'inspect', NETWORK)).exitCode !== 0, 60_000, 'the old stack network to go');
    home = mkdtempSync(join(tmpdir(), 'plexarr-e2e-swarm-'));
    const block = await stackPortArgs();
    ports = block.ports;
    // The stack's network made ahead with the stack's label, so `docker stack deploy` adopts it and
    // plex.tv (outside the stack) is on it before the apps start: what `attachable` is for.
    const { url: plextv } = await startPlexTv(block.plextvPort, ['--driver', 'overlay', '--attachable', '--label', STACK_LABEL]);
    await getJson(`${plextv}/__fake/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'e2e', email: 'e2e@example.com', token: PLEX_TOKEN }),
    });
    env = { PLEXARR_PLEX_TV_URL: plextv, DOCKER_HOST: process.env.DOCKER_HOST ?? '' };
    const init = await plexarr(
      [
        'init',
        '--yes',
        '--home',
        home,
        '--engine',
        'swarm',
        '--place',
        'plex=node.labels.plexarr-e2e-gpu==true',
        '--puid',
        '4242',
        '--pgid',
        '4343',
        '--tz',
        'UTC',
        '--host-address',
        '127.0.0.1',
        '--plex-token',
        PLEX_TOKEN,
        ...block.args,
      ],
      env,
    );
    expect({ exitCode: init.exitCode, stderr: init.stderr }).toEqual({
      exitCode: 0,
      stderr: expect.stringContaining('same shared path on every node'),
    });
  }, 900_000);

  afterAll(async () => {
    await docker('stack', 'rm', 'plexarr');
    await docker('rm', '-f', PLEXTV_CONTAINER);
    // The Compose suites that take the engine next create plexarr_default themselves.
    await waitFor(async () => (await docker('network', 'inspect', NETWORK)).exitCode !== 0, 60_000, 'the stack network to go');
    if (home) rmSync(home, { recursive: true, force: true });
  }, 300_000);

  it('doctor: a manager, its node ready, the placement label present', async () => {
    const r = await plexarr(['doctor', '--home', home, '--json'], env);
    const checks = (JSON.parse(r.stdout) as { checks: { id: string; status: string; message: string }[] }).checks;
    expect(checks.filter((c) => c.id.startsWith('swarm.'))).toEqual([
      { id: 'swarm.manager', status: 'ok', message: 'this engine is a swarm manager' },
      { id: 'swarm.nodes', status: 'ok', message: '1 of 1 nodes ready and active; labels used by placements: plexarr-e2e-gpu' },
    ]);
  }, 120_000);

  it('deploys with docker stack deploy, every service healthy, every hookup linked', async () => {
    const r = await plexarr(['deploy', '--home', home, '--json', '--timeout', '300'], env);
    if (r.exitCode !== 0)
      console.log(`deploy exit ${r.exitCode}\n--- stdout\n${r.stdout.slice(-6000)}\n--- stderr\n${r.stderr.slice(-6000)}`);
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout) as {
      compose: { kind: string };
      commands: string[];
      coordinateExitCode: number;
      timings: Record<string, number>;
    };
    expect(report.compose.kind).toBe('swarm');
    expect(report.commands[0]).toMatch(/^docker stack deploy --prune --resolve-image never -c \S+ plexarr$/);
    expect(report.coordinateExitCode).toBe(0);
    console.log(
      `swarm deploy: total ${report.timings.total} ms, stack deploy ${report.timings.up} ms, health ${report.timings.health} ms, coordinate ${report.timings.coordinate} ms`,
    );
    const t = await tasks();
    expect(Object.keys(t).sort()).toEqual([...SERVICES].sort());
    for (const s of SERVICES) expect([s, t[s]?.state]).toEqual([s, 'Running']);
    expect(t.plex?.node).toBe(nodeName);
    // Prowlarr reached each app from inside its container by service name: dnsrr on the overlay.
    const prowlarr = await getJson<{ applications: { implementation: string; settings: { baseUrl: string } }[] }>(
      `http://127.0.0.1:${ports.prowlarr}/__fake/state`,
    );
    expect(Object.fromEntries(prowlarr.applications.map((a) => [a.implementation, a.settings.baseUrl]))).toEqual({
      Radarr: 'http://radarr:7878',
      Sonarr: 'http://sonarr:8989',
      Lidarr: 'http://lidarr:8686',
    });
    const status = await plexarr(['status', '--home', home, '--json'], env);
    const report2 = JSON.parse(status.stdout) as {
      ok: boolean;
      compose: { kind: string };
      services: { service: string; up: boolean; hookups: { state: string }[] }[];
    };
    expect(report2.compose.kind).toBe('swarm');
    expect(report2.services.filter((s) => !s.up)).toEqual([]);
    expect(report2.ok).toBe(true);
    expect(status.exitCode).toBe(0);
    // Swarm has no `compose exec`: the recyclarr.sync hookup ran `recyclarr sync` once by `docker exec` in its task.
    const syncs = join(home, 'appdata/recyclarr/e2e-syncs.log');
    expect(readFileSync(syncs, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
  }, 900_000);

  it('deploying again changes no file and restarts no task', async () => {
    const ids = async () =>
      (await dockerOk('stack', 'ps', 'plexarr', '--filter', 'desired-state=running', '--format', '{{.ID}}')).trim().split('\n').sort();
    const before = await ids();
    const r = await plexarr(['deploy', '--home', home, '--json', '--no-coordinate', '--timeout', '300'], env);
    expect(r.exitCode).toBe(0);
    expect((JSON.parse(r.stdout) as { changes: string[] }).changes).toEqual([]);
    expect(await ids()).toEqual(before);
  }, 600_000);

  it('a second coordinate sends no mutating request', async () => {
    const fakePorts = [ports.plex, ports.radarr, ports.sonarr, ports.lidarr, ports.prowlarr, ports.requests, ports.maintainerr];
    await Promise.all(fakePorts.map(resetFakeLog));
    const r = await plexarr(['coordinate', '--home', home, '--json'], env);
    expect(r.exitCode).toBe(0);
    // It did ask: the apps logged its reads.
    expect((await Promise.all(fakePorts.map(fakeLog))).flat().filter((e) => e.method === 'GET').length).toBeGreaterThan(fakePorts.length);
    for (const port of fakePorts) {
      const writes = (await fakeLog(port)).filter((e) => e.method !== 'GET' && !/\/test$|\/testall$/.test(e.path));
      expect([port, writes]).toEqual([port, []]);
    }
  }, 600_000);

  describe('update', () => {
    const IMAGE = 'lscr.io/linuxserver/radarr:latest';
    let original = '';
    /** A new Radarr built here under the same tag: no registry has it, so the forced service update runs the local image. */
    const build = (dockerfile: string) => rebuildImage(IMAGE, dockerfile);
    /** The image id Radarr's running task container has (one node: it runs here). */
    const radarrImage = async () => {
      const id = (await dockerOk('ps', '-q', '--filter', 'label=com.docker.swarm.service.name=plexarr_radarr')).trim().split('\n')[0] ?? '';
      return (await dockerOk('inspect', '--format', '{{.Image}}', id)).trim();
    };
    const update = async () => {
      const r = await plexarr(['update', '--home', home, '--service', 'radarr', '--timeout', '60', '--json'], env);
      if (r.exitCode > 1) console.log(`update exit ${r.exitCode}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
      return {
        exitCode: r.exitCode,
        report: JSON.parse(r.stdout) as {
          services: { container: string; outcome: string; previousId?: string; newId?: string; error?: string }[];
          coordinateExitCode?: number;
        },
      };
    };

    beforeAll(async () => {
      original = (await dockerOk('image', 'inspect', '--format', '{{.Id}}', IMAGE)).trim();
    });
    afterAll(async () => {
      if (original) await docker('tag', original, IMAGE);
    });

    it('replaces Radarr\u2019s task on a new local image and leaves the other services\u2019 tasks alone', async () => {
      const before = await radarrImage();
      const others = async () =>
        (await dockerOk('stack', 'ps', 'plexarr', '--filter', 'desired-state=running', '--format', '{{.Name}} {{.ID}}'))
          .trim()
          .split('\n')
          .filter((l) => !l.startsWith('plexarr_radarr.'))
          .sort();
      const othersBefore = await others();
      const fresh = await build('LABEL plexarr.e2e.update=good');
      const t0 = Date.now();
      const { exitCode, report } = await update();
      console.log(`swarm update: ${Date.now() - t0} ms`);
      expect(report.services).toEqual([
        expect.objectContaining({ container: 'radarr', outcome: 'updated', previousId: before, newId: fresh }),
      ]);
      expect(report.coordinateExitCode).toBe(0);
      expect(exitCode).toBe(0);
      expect(await radarrImage()).toBe(fresh);
      expect(await others()).toEqual(othersBefore);
      expect((await tasks()).radarr?.state).toBe('Running');
    }, 600_000);

    it('a new image whose task never gets healthy is rolled back to the recorded one (exit 1)', async () => {
      const good = await radarrImage();
      const bad = await build('CMD ["/usr/bin/node", "-e", "process.exit(3)"]');
      const t0 = Date.now();
      const { exitCode, report } = await update();
      console.log(`swarm update with rollback: ${Date.now() - t0} ms`);
      expect(report.services).toEqual([
        expect.objectContaining({ container: 'radarr', outcome: 'rolled-back', previousId: good, newId: bad }),
      ]);
      expect(exitCode).toBe(1);
      expect(await radarrImage()).toBe(good);
      expect((await dockerOk('image', 'inspect', '--format', '{{.Id}}', IMAGE)).trim()).toBe(good);
      expect((await tasks()).radarr?.state).toBe('Running');
    }, 600_000);
  });

  it('backup scales the running services to 0 for the copy and back to 1', async () => {
    const output = join(home, 'backups', 'swarm.tar.gz');
    const t0 = Date.now();
    const r = await plexarr(['backup', '--home', home, '--output', output, '--json'], env);
    if (r.exitCode !== 0) console.log(`backup exit ${r.exitCode}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout) as { bytes: number; paused: string[]; files: number };
    console.log(`swarm backup: ${Date.now() - t0} ms, ${report.bytes} bytes, ${report.files} files`);
    expect(report.paused.sort()).toEqual([...SERVICES].sort());
    const listing = (await realExec('tar', ['-tzf', output])).stdout.split('\n');
    expect(listing).toEqual(expect.arrayContaining(['manifest.json', 'plexarr.db', 'appdata/radarr/config.xml']));
    await waitFor(
      async () => Object.values(await tasks()).filter((t) => t.state === 'Running').length === SERVICES.length,
      300_000,
      'every task running again',
    );
  }, 600_000);

  it('down removes the stack and keeps every file', async () => {
    await docker('network', 'disconnect', '-f', NETWORK, PLEXTV_CONTAINER);
    const down = await plexarr(['down', '--home', home], env);
    expect({ exitCode: down.exitCode, stderr: down.stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect((await dockerOk('ps', '-aq', '--filter', `label=${STACK_LABEL}`)).trim()).toBe('');
    expect((await docker('network', 'inspect', NETWORK)).exitCode).not.toBe(0);
    expectPresent(home, [...STACK_FILES, 'data/media/movies']);
  }, 300_000);

  it('uninstall removes the stack and its network, keeping media and configuration', async () => {
    const deployed = await plexarr(['deploy', '--home', home, '--no-coordinate', '--timeout', '300'], env);
    expect(deployed.exitCode).toBe(0);
    const media = join(home, 'data/media/movies/Film (2001)/Film.mkv');
    mkdirSync(dirname(media), { recursive: true });
    writeFileSync(media, Buffer.from([0, 1, 2, 255]));
    const r = await plexarr(['uninstall', '--home', home, '--json'], env);
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout) as { removed: { containers: string[]; network: string; paths: string[] }; kept: string[] };
    expect(report.removed.containers.map((c) => c.replace(/^plexarr_/, '').replace(/\.\d+$/, '')).sort()).toEqual([...SERVICES].sort());
    expect(report.removed).toMatchObject({ network: NETWORK, paths: [] });
    expect((await dockerOk('ps', '-aq', '--filter', `label=${STACK_LABEL}`)).trim()).toBe('');
    expect((await docker('network', 'inspect', NETWORK)).exitCode).not.toBe(0);
    expect([...readFileSync(media)]).toEqual([0, 1, 2, 255]);
    expectPresent(home, STACK_FILES);
  }, 600_000);

  it('after uninstall --purge-config, restore then deploy brings the same stack back on swarm', async () => {
    const backup = join(home, 'backups', 'swarm.tar.gz');
    const purge = await plexarr(['uninstall', '--home', home, '--purge-config', '--yes'], env);
    expect(purge.exitCode).toBe(0);
    expect(existsSync(join(home, 'plexarr.db'))).toBe(false);
    const restore = await plexarr(['restore', backup, '--home', home], env);
    expect({ exitCode: restore.exitCode, stderr: restore.stderr }).toEqual({ exitCode: 0, stderr: '' });
    const t0 = Date.now();
    const deployed = await plexarr(['deploy', '--home', home, '--no-coordinate', '--timeout', '300'], env);
    if (deployed.exitCode !== 0)
      console.log(`deploy exit ${deployed.exitCode}\n${deployed.stdout.slice(-4000)}\n${deployed.stderr.slice(-4000)}`);
    expect(deployed.exitCode).toBe(0);
    console.log(`swarm restore + deploy: ${Date.now() - t0} ms for the deploy`);
    const dotenv = (await realExec('tar', ['-xzOf', backup, 'generated-config/.env'])).stdout;
    expect(readFileSync(join(home, 'generated-config/.env'), 'utf8').trim()).toBe(dotenv.trim());
    const t = await tasks();
    expect(Object.keys(t).sort()).toEqual([...SERVICES].sort());
    for (const s of SERVICES) expect([s, t[s]?.state]).toEqual([s, 'Running']);
  }, 600_000);
});
