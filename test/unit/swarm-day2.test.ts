import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runUpdate, type UpdateDeps } from '../../src/commands/update.js';
import { runUninstall } from '../../src/commands/uninstall.js';
import { listImageUpdates } from '../../src/state/image-updates.js';
import { memoryLogger } from '../../src/ui/logger.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { stubExec, type StubRow } from './docker-stub.js';
import { LOCAL_TASKS, localContainers, PS, seedSwarmHome, taskLine } from './swarm-helpers.js';

const temp = useTempDirs('plexarr-swarm-day2-');
const REF = { radarr: 'lscr.io/linuxserver/radarr:latest', sonarr: 'lscr.io/linuxserver/sonarr:latest' } as const;
type Name = keyof typeof REF;
const NAMES: Name[] = ['radarr', 'sonarr'];
/** The registry digest of a test image id: `sha256:radarr-new` is `radarr@sha256:radarr-new`. */
const digest = (id: string) => `${id.replace(/^sha256:/, '').split('-')[0]}@${id}`;

/**
 * A one-node swarm in a table. Each service has one task (an id and the image id it runs); `pull`
 * moves a tag to the registry's newest id; `service update --image <repo@digest> --force` starts a
 * new task on that image, but Swarm still lists the old task for `lag` polls (the update returns
 * before the old task is told to stop); a task turns `Running` only on an image `healthyOn`
 * accepts (otherwise it stays `Starting`, as Swarm keeps a task whose health check fails).
 */
function swarm(
  stackFile: string,
  o: { registry: Record<Name, string>; healthyOn: (id: string) => boolean; lag?: number; remote?: Name[] },
) {
  const task: Record<Name, { id: string; image: string; n: number }> = {
    radarr: { id: 'r1', image: 'sha256:radarr-old', n: 1 },
    sonarr: { id: 's1', image: 'sha256:sonarr-old', n: 1 },
  };
  const local: Record<string, string> = { [REF.radarr]: task.radarr.image, [REF.sonarr]: task.sonarr.image };
  const stale: Partial<Record<Name, { id: string; image: string; polls: number }>> = {};
  const ids = [...new Set(['sha256:radarr-old', 'sha256:sonarr-old', ...Object.values(o.registry)])];
  const rows: StubRow[] = [
    {
      command: `docker stack config -c ${stackFile}`,
      stdout: `version: "3.9"\nservices:\n${NAMES.map((n) => `  ${n}:\n    image: ${REF[n]}\n`).join('')}`,
    },
    {
      command: PS,
      reply: () => ({
        stdout: NAMES.map((n) => {
          const old = stale[n];
          if (old && old.polls-- > 0) return taskLine(n, old.id, 'Running');
          return taskLine(n, task[n].id, o.healthyOn(task[n].image) ? 'Running' : 'Starting');
        }).join('\n'),
      }),
    },
    {
      command: LOCAL_TASKS,
      stdout: NAMES.filter((n) => !o.remote?.includes(n))
        .map((n) => `c-${n}`)
        .join('\n'),
    },
    {
      command: `docker inspect --type container ${NAMES.filter((n) => !o.remote?.includes(n))
        .map((n) => `c-${n}`)
        .join(' ')}`,
      reply: () => ({
        stdout: localContainers(Object.fromEntries(NAMES.filter((n) => !o.remote?.includes(n)).map((n) => [n, task[n].image]))),
      }),
    },
    ...NAMES.map((n) => ({
      command: `docker pull ${REF[n]}`,
      reply: () => ((local[REF[n]] = o.registry[n]), { stdout: `Status: Downloaded newer image for ${REF[n]}` }),
    })),
    ...NAMES.map((n) => ({ command: `docker image inspect --format {{.Id}} ${REF[n]}`, reply: () => ({ stdout: local[REF[n]] }) })),
    ...ids.map((id) => ({
      command: `docker image inspect --format {{json .RepoDigests}} ${id}`,
      stdout: JSON.stringify([`lscr.io/linuxserver/${digest(id)}`]),
    })),
    ...NAMES.flatMap((n) => ids.map((id) => ({ command: `docker tag ${id} ${REF[n]}`, reply: () => ((local[REF[n]] = id), {}) }))),
    ...NAMES.flatMap((n) =>
      ids.map((id) => ({
        command: `docker service update --detach --no-resolve-image --image lscr.io/linuxserver/${digest(id)} --force plexarr_${n}`,
        reply: () => {
          stale[n] = { id: task[n].id, image: task[n].image, polls: o.lag ?? 0 };
          task[n] = { id: `${n[0]}${++task[n].n}`, image: id, n: task[n].n };
          return { stdout: `plexarr_${n}` };
        },
      })),
    ),
  ];
  return { rows, task };
}

function updateDeps(rows: StubRow[]) {
  const stub = stubExec(rows);
  const log = memoryLogger();
  let clock = 0;
  let coordinated = 0;
  const d: UpdateDeps = {
    exec: stub.exec,
    log,
    now: () => (clock += 1000),
    sleep: async () => undefined,
    coordinate: async () => (coordinated++, 0),
    stderr: { write: () => true },
  };
  return { d, stub, log, coordinated: () => coordinated };
}

const actions = (stub: ReturnType<typeof stubExec>) =>
  stub.calls.map((c) => c.command).filter((c) => /^docker (pull|tag|service|stack deploy|stack rm|compose)/.test(c));

describe('plexarr update on swarm', () => {
  it('records the running image ids, pulls, updates only the changed service pinned to its digest, waits for the new task, coordinates', async () => {
    const { home, stackFile } = seedSwarmHome(temp.make(), ['radarr', 'sonarr']);
    const e = swarm(stackFile, { registry: { radarr: 'sha256:radarr-new', sonarr: 'sha256:sonarr-old' }, healthyOn: () => true, lag: 2 });
    const t = updateDeps(e.rows);
    expect(await runUpdate({ home, timeout: 30 }, t.d)).toBe(0);
    expect(actions(t.stub)).toEqual([
      `docker pull ${REF.radarr}`,
      `docker pull ${REF.sonarr}`,
      'docker service update --detach --no-resolve-image --image lscr.io/linuxserver/radarr@sha256:radarr-new --force plexarr_radarr',
    ]);
    expect(e.task.radarr).toMatchObject({ id: 'r2', image: 'sha256:radarr-new' });
    expect(t.coordinated()).toBe(1);
    const db = new Database(join(home, 'plexarr.db'), { readonly: true });
    expect(listImageUpdates(db).map((u) => [u.service, u.previousId, u.newId, u.outcome])).toEqual([
      ['sonarr', 'sha256:sonarr-old', 'sha256:sonarr-old', 'unchanged'],
      ['radarr', 'sha256:radarr-old', 'sha256:radarr-new', 'updated'],
    ]);
    db.close();
  });

  it('a new image whose task never turns healthy is rolled back: tag again, update pinned to the recorded digest (exit 1)', async () => {
    const { home, stackFile } = seedSwarmHome(temp.make(), ['radarr', 'sonarr']);
    // The old, healthy task is still listed for a few polls after the update: it must not count as the new one.
    const e = swarm(stackFile, {
      registry: { radarr: 'sha256:radarr-bad', sonarr: 'sha256:sonarr-old' },
      healthyOn: (id) => id !== 'sha256:radarr-bad',
      lag: 3,
    });
    const t = updateDeps(e.rows);
    expect(await runUpdate({ home, service: ['radarr'], timeout: 10 }, t.d)).toBe(1);
    expect(actions(t.stub)).toEqual([
      `docker pull ${REF.radarr}`,
      'docker service update --detach --no-resolve-image --image lscr.io/linuxserver/radarr@sha256:radarr-bad --force plexarr_radarr',
      `docker tag sha256:radarr-old ${REF.radarr}`,
      'docker service update --detach --no-resolve-image --image lscr.io/linuxserver/radarr@sha256:radarr-old --force plexarr_radarr',
    ]);
    expect(e.task.radarr).toMatchObject({ id: 'r3', image: 'sha256:radarr-old' });
    expect(t.coordinated()).toBe(0);
    expect(t.log.lines.join('\n')).toMatch(/radarr: rolled-back — Not healthy after 10 s/);
  });

  it('--no-rollback leaves the new service spec in place and fails', async () => {
    const { home, stackFile } = seedSwarmHome(temp.make(), ['radarr', 'sonarr']);
    const e = swarm(stackFile, {
      registry: { radarr: 'sha256:radarr-bad', sonarr: 'sha256:sonarr-old' },
      healthyOn: (id) => id !== 'sha256:radarr-bad',
    });
    const t = updateDeps(e.rows);
    expect(await runUpdate({ home, service: ['radarr'], rollback: false, timeout: 10 }, t.d)).toBe(1);
    expect(actions(t.stub).filter((c) => c.startsWith('docker service update') || c.startsWith('docker tag'))).toHaveLength(1);
    expect(e.task.radarr.image).toBe('sha256:radarr-bad');
  });

  it('a task on another node: its previous image is the id the tag had here before the pull', async () => {
    const { home, stackFile } = seedSwarmHome(temp.make(), ['radarr', 'sonarr']);
    const e = swarm(stackFile, {
      registry: { radarr: 'sha256:radarr-new', sonarr: 'sha256:sonarr-old' },
      healthyOn: () => true,
      remote: ['radarr'],
    });
    const t = updateDeps(e.rows);
    expect(await runUpdate({ home, service: ['radarr'], json: true, timeout: 30 }, t.d)).toBe(0);
    const report = JSON.parse(t.log.lines.join('\n')) as {
      services: { service: string; previousId: string; newId: string; outcome: string }[];
    };
    expect(report.services).toEqual([
      expect.objectContaining({ service: 'radarr', previousId: 'sha256:radarr-old', newId: 'sha256:radarr-new', outcome: 'updated' }),
    ]);
  });

  it('--dry-run names the service update and runs nothing', async () => {
    const { home, stackFile } = seedSwarmHome(temp.make(), ['radarr', 'sonarr']);
    const t = updateDeps(
      swarm(stackFile, { registry: { radarr: 'sha256:radarr-new', sonarr: 'sha256:sonarr-new' }, healthyOn: () => true }).rows,
    );
    expect(await runUpdate({ home, dryRun: true }, t.d)).toBe(0);
    expect(actions(t.stub)).toEqual([]);
    expect(t.log.lines.join('\n')).toContain(
      'docker service update --detach --no-resolve-image --image <image> --force plexarr_<service> (each service whose image changed)',
    );
  });
});

describe('plexarr uninstall on swarm', () => {
  it('docker stack rm, waits until the tasks and the network are gone, keeps every file and says so', async () => {
    const { home, config } = seedSwarmHome(temp.make(), ['radarr', 'sonarr']);
    mkdirSync(join(config.configRoot, 'radarr'), { recursive: true });
    writeFileSync(join(config.configRoot, 'radarr', 'config.xml'), '<Config/>');
    let gone = false;
    let checks = 0;
    const stub = stubExec([
      { command: PS, stdout: [taskLine('radarr', 'r1', 'Running'), taskLine('sonarr', 's1', 'Running')].join('\n') },
      { command: 'docker stack rm plexarr', reply: () => ((gone = true), { stdout: 'Removing service plexarr_radarr' }) },
      {
        command: 'docker ps -aq --filter label=com.docker.stack.namespace=plexarr',
        reply: () => ({ stdout: gone && checks++ > 1 ? '' : 'c-radarr' }),
      },
      { command: 'docker network ls -q --filter name=^plexarr_default$', reply: () => ({ stdout: checks > 2 ? '' : 'n1' }) },
    ]);
    const log = memoryLogger();
    expect(
      await runUninstall(
        { home, json: true },
        { exec: stub.exec, log, interactive: false, confirm: async () => true, sleep: async () => undefined },
      ),
    ).toBe(0);
    const report = JSON.parse(log.lines.join('\n')) as {
      removed: { containers: string[]; network: string; paths: string[] };
      kept: string[];
    };
    expect(report.removed).toEqual({ containers: ['plexarr_radarr.1', 'plexarr_sonarr.1'], network: 'plexarr_default', paths: [] });
    expect(report.kept).toEqual(
      expect.arrayContaining([
        config.mediaRoot,
        join(config.configRoot, 'radarr'),
        join(home, 'plexarr.db'),
        join(home, 'generated-config'),
      ]),
    );
    expect(checks).toBeGreaterThan(2);
    expect(stub.calls.some((c) => c.command.includes('compose'))).toBe(false);
    expect(readFileSync(join(config.configRoot, 'radarr', 'config.xml'), 'utf8')).toBe('<Config/>');
    expect(existsSync(join(home, 'generated-config/docker-compose.yml'))).toBe(true);
  });
});
