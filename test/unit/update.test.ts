import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runUpdate, type UpdateDeps } from '../../src/commands/update.js';
import { UsageError } from '../../src/errors.js';
import { listImageUpdates, serviceImages } from '../../src/state/image-updates.js';
import { buildStatus } from '../../src/status/build.js';
import { renderStatus } from '../../src/status/render.js';
import { memoryLogger } from '../../src/ui/logger.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { FIXTURE_SECRETS, fixtureConfig } from './compose-fixtures.js';
import { stubExec, type StubRow } from './docker-stub.js';
import { saveStack } from '../helpers/stack-home.js';

const temp = useTempDirs('plexarr-update-');
const IMAGE = { radarr: 'lscr.io/linuxserver/radarr:latest', sonarr: 'lscr.io/linuxserver/sonarr:latest' } as const;
type Name = keyof typeof IMAGE;

function seedHome() {
  const home = temp.make();
  const config = fixtureConfig(['radarr', 'sonarr'], { mediaRoot: join(home, 'media'), configRoot: join(home, 'appdata') });
  saveStack(home, config, FIXTURE_SECRETS);
  return { home, composeFile: join(home, 'generated-config/docker-compose.yml') };
}

/**
 * An engine in a table: each container runs an image id; `pull` moves a name to the registry's
 * newest id; `up --no-deps` recreates a container on the id its name points at; `tag` points a
 * name back. `healthyOn` says which image ids come up healthy (the others exit).
 */
function engine(composeFile: string, o: { registry: Record<Name, string>; healthyOn: (id: string) => boolean; home: string }) {
  const pre = `docker compose -p plexarr -f ${composeFile}`;
  const running: Record<Name, string> = { radarr: 'sha256:radarr-old', sonarr: 'sha256:sonarr-old' };
  const local: Record<string, string> = { [IMAGE.radarr]: running.radarr, [IMAGE.sonarr]: running.sonarr };
  const rowsAtFirstPull: number[] = [];
  const inspect = (names: Name[]) =>
    JSON.stringify(
      names.map((n) => {
        const ok = o.healthyOn(running[n]);
        return {
          Id: n,
          Name: `/${n}`,
          Image: running[n],
          State: { Status: ok ? 'running' : 'exited', ExitCode: ok ? 0 : 1, Health: { Status: ok ? 'healthy' : 'unhealthy', Log: [] } },
          Config: { Labels: {} },
          NetworkSettings: { Ports: {} },
        };
      }),
    );
  const names: Name[] = ['radarr', 'sonarr'];
  const rows: StubRow[] = [
    { command: 'docker compose version --short', stdout: '2.29.1' },
    { command: `${pre} config`, stdout: `services:\n${names.map((n) => `  ${n}:\n    image: ${IMAGE[n]}\n`).join('')}` },
    { command: 'docker inspect --type container radarr sonarr', reply: () => ({ stdout: inspect(names) }) },
    ...names.map((n) => ({ command: `docker inspect --type container ${n}`, reply: () => ({ stdout: inspect([n]) }) })),
    ...names.map((n) => ({
      command: `docker pull ${IMAGE[n]}`,
      reply: () => {
        const db = new Database(join(o.home, 'plexarr.db'), { readonly: true });
        rowsAtFirstPull.push((db.prepare('SELECT COUNT(*) AS n FROM image_updates').get() as { n: number }).n);
        db.close();
        local[IMAGE[n]] = o.registry[n];
        return { stdout: `Status: Downloaded newer image for ${IMAGE[n]}` };
      },
    })),
    ...names.map((n) => ({ command: `docker image inspect --format {{.Id}} ${IMAGE[n]}`, reply: () => ({ stdout: local[IMAGE[n]] }) })),
    ...names.map((n) => ({ command: `${pre} up -d --no-deps ${n}`, reply: () => ((running[n] = local[IMAGE[n]]!), {}) })),
    ...names.flatMap((n) =>
      ['sha256:radarr-old', 'sha256:sonarr-old'].map((id) => ({
        command: `docker tag ${id} ${IMAGE[n]}`,
        reply: () => ((local[IMAGE[n]] = id), {}),
      })),
    ),
  ];
  return { rows, running, rowsAtFirstPull };
}

function deps(rows: StubRow[]) {
  const stub = stubExec(rows);
  const log = memoryLogger();
  const coordinateRuns: unknown[] = [];
  const d: UpdateDeps = {
    exec: stub.exec,
    log,
    now: () => Date.now(),
    sleep: async () => undefined,
    coordinate: async (opts) => (coordinateRuns.push(opts), 0),
    stderr: { write: () => true },
  };
  return { d, stub, log, coordinateRuns };
}

const commands = (stub: ReturnType<typeof stubExec>) =>
  stub.calls.map((c) => c.command).filter((c) => !c.includes(' inspect ') && !c.includes('version') && !c.endsWith(' config'));

describe('plexarr update', () => {
  it('records each container\u2019s image before pulling, recreates only the changed one, then coordinates', async () => {
    const { home, composeFile } = seedHome();
    const e = engine(composeFile, { home, registry: { radarr: 'sha256:radarr-new', sonarr: 'sha256:sonarr-old' }, healthyOn: () => true });
    const { d, stub, coordinateRuns } = deps(e.rows);
    expect(await runUpdate({ home }, d)).toBe(0);
    expect(e.rowsAtFirstPull[0]).toBe(2);
    expect(commands(stub)).toEqual([
      `docker pull ${IMAGE.radarr}`,
      `docker pull ${IMAGE.sonarr}`,
      `docker compose -p plexarr -f ${composeFile} up -d --no-deps radarr`,
    ]);
    expect(e.running).toEqual({ radarr: 'sha256:radarr-new', sonarr: 'sha256:sonarr-old' });
    expect(coordinateRuns).toHaveLength(1);
    const db = new Database(join(home, 'plexarr.db'), { readonly: true });
    expect(listImageUpdates(db).map((u) => [u.service, u.previousId, u.newId, u.outcome])).toEqual([
      ['sonarr', 'sha256:sonarr-old', 'sha256:sonarr-old', 'unchanged'],
      ['radarr', 'sha256:radarr-old', 'sha256:radarr-new', 'updated'],
    ]);
    expect(serviceImages(db).get('radarr')).toMatchObject({ imageId: 'sha256:radarr-new', updatedAt: expect.any(String) });
    expect(serviceImages(db).get('sonarr')).toEqual({ imageId: 'sha256:sonarr-old', updatedAt: null });

    // status shows each service's image and when an update last changed it.
    const config = fixtureConfig(['radarr', 'sonarr']);
    const report = buildStatus({
      home,
      config,
      secrets: FIXTURE_SECRETS,
      containers: { error: 'no engine' },
      hookups: [],
      tasks: new Map(),
      images: serviceImages(db),
    });
    db.close();
    expect(report.services.find((s) => s.service === 'radarr')?.image).toEqual({
      id: 'sha256:radarr-new',
      updatedAt: expect.stringMatching(/^\d{4}-/),
    });
    const text = renderStatus(report, memoryLogger().style);
    expect(text).toMatch(/^ {2}radarr\s+radarr-new\s+last updated \d{4}-/m);
    expect(text).toMatch(/^ {2}sonarr\s+sonarr-old\s+not changed by an update yet$/m);
  });

  it('a new image that does not become healthy is rolled back to the recorded one, and says so (exit 1)', async () => {
    const { home, composeFile } = seedHome();
    const e = engine(composeFile, {
      home,
      registry: { radarr: 'sha256:radarr-bad', sonarr: 'sha256:sonarr-old' },
      healthyOn: (id) => id !== 'sha256:radarr-bad',
    });
    const { d, stub, log, coordinateRuns } = deps(e.rows);
    expect(await runUpdate({ home, service: ['radarr'] }, d)).toBe(1);
    expect(commands(stub)).toEqual([
      `docker pull ${IMAGE.radarr}`,
      `docker compose -p plexarr -f ${composeFile} up -d --no-deps radarr`,
      `docker tag sha256:radarr-old ${IMAGE.radarr}`,
      `docker compose -p plexarr -f ${composeFile} up -d --no-deps radarr`,
    ]);
    expect(e.running.radarr).toBe('sha256:radarr-old');
    expect(coordinateRuns).toEqual([]);
    const text = log.lines.join('\n');
    expect(text).toMatch(/radarr: rolled-back — .*exited/);
    expect(text).toContain('Rolled back');
  });

  it('--no-rollback leaves the unhealthy new image in place and fails', async () => {
    const { home, composeFile } = seedHome();
    const e = engine(composeFile, {
      home,
      registry: { radarr: 'sha256:radarr-bad', sonarr: 'sha256:sonarr-old' },
      healthyOn: (id) => id !== 'sha256:radarr-bad',
    });
    const { d, stub, log } = deps(e.rows);
    expect(await runUpdate({ home, service: ['radarr'], rollback: false }, d)).toBe(1);
    expect(commands(stub).some((c) => c.startsWith('docker tag'))).toBe(false);
    expect(e.running.radarr).toBe('sha256:radarr-bad');
    expect(log.lines.join('\n')).toContain('--no-rollback');
  });

  it('a failed pull with the local image unchanged is reported and exit 1; nothing is recreated', async () => {
    const { home, composeFile } = seedHome();
    const e = engine(composeFile, { home, registry: { radarr: 'sha256:radarr-new', sonarr: 'sha256:sonarr-old' }, healthyOn: () => true });
    const rows = e.rows.map((r) =>
      r.command === `docker pull ${IMAGE.radarr}`
        ? {
            command: r.command,
            exitCode: 1,
            stderr: 'Error response from daemon: Get "https://lscr.io/v2/": dial tcp: lookup lscr.io: no such host',
          }
        : r,
    );
    const { d, stub, log } = deps(rows);
    expect(await runUpdate({ home, service: ['radarr'] }, d)).toBe(1);
    expect(commands(stub)).toEqual([`docker pull ${IMAGE.radarr}`]);
    expect(log.lines.join('\n')).toMatch(/radarr: unchanged — pull failed: Error response from daemon/);
  });

  it('--json: stdout is one JSON value, with coordinate\u2019s report inside it', async () => {
    const { home, composeFile } = seedHome();
    const e = engine(composeFile, { home, registry: { radarr: 'sha256:radarr-new', sonarr: 'sha256:sonarr-old' }, healthyOn: () => true });
    const { d, log } = deps(e.rows);
    d.coordinate = async (opts, capture) => {
      expect(opts.json).toBe(true);
      capture?.(JSON.stringify({ ok: true, tasks: [] }));
      return 0;
    };
    expect(await runUpdate({ home, json: true }, d)).toBe(0);
    const out = JSON.parse(log.lines.join('\n')) as { services: { outcome: string }[]; coordinate: unknown };
    expect(out.services.map((s) => s.outcome)).toEqual(['updated', 'unchanged']);
    expect(out.coordinate).toEqual({ ok: true, tasks: [] });
  });

  it('--dry-run pulls, records and recreates nothing', async () => {
    const { home, composeFile } = seedHome();
    const e = engine(composeFile, { home, registry: { radarr: 'sha256:radarr-new', sonarr: 'sha256:sonarr-new' }, healthyOn: () => true });
    const { d, stub, log } = deps(e.rows);
    expect(await runUpdate({ home, dryRun: true }, d)).toBe(0);
    expect(commands(stub)).toEqual([]);
    expect(log.lines.join('\n')).toContain(`docker pull ${IMAGE.sonarr}`);
    const db = new Database(join(home, 'plexarr.db'), { readonly: true });
    expect(listImageUpdates(db)).toEqual([]);
    db.close();
  });

  it('--service naming a service the stack does not have is exit 2, nothing done', async () => {
    const { home, composeFile } = seedHome();
    const { d, stub } = deps(engine(composeFile, { home, registry: { radarr: 'x', sonarr: 'y' }, healthyOn: () => true }).rows);
    const err = await runUpdate({ home, service: ['plex,radarr'] }, d).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain('--service: not a service of this stack (got plex)');
    expect(stub.calls).toEqual([]);
  });
});
