import { describe, expect, it } from '@jest/globals';
import { swarmManager, swarmNodesReady } from '../../src/doctor/swarm.js';
import { runChecks } from '../../src/doctor/index.js';
import { swarmNodes } from '../../src/swarm/nodes.js';
import { fixtureConfig } from './compose-fixtures.js';
import { stubExec, type StubRow } from './docker-stub.js';

const info = (swarm: Record<string, unknown>): StubRow => ({
  command: 'docker info --format {{json .}}',
  stdout: JSON.stringify({ ServerVersion: '28.2.2', Swarm: swarm }),
});

/** `docker node inspect` as the Engine API's Node object has it (Spec.Labels, Description.Hostname, Status.State). */
function node(
  id: string,
  hostname: string,
  opts: { labels?: Record<string, string>; role?: string; availability?: string; state?: string } = {},
) {
  return {
    ID: id,
    Spec: { Labels: opts.labels ?? {}, Role: opts.role ?? 'worker', Availability: opts.availability ?? 'active' },
    Description: { Hostname: hostname },
    Status: { State: opts.state ?? 'ready' },
  };
}

function nodeRows(nodes: ReturnType<typeof node>[]): StubRow[] {
  return [
    { command: 'docker node ls -q', stdout: nodes.map((n) => n.ID).join('\n') },
    { command: `docker node inspect ${nodes.map((n) => n.ID).join(' ')}`, stdout: JSON.stringify(nodes) },
  ];
}

const placed = (placements: Record<string, string[]>) => fixtureConfig(undefined, { engine: 'swarm', placements });

describe('doctor on swarm', () => {
  it('manager or not', async () => {
    expect(await swarmManager({ exec: stubExec([info({ LocalNodeState: 'active', ControlAvailable: true })]).exec })).toMatchObject({
      status: 'ok',
    });
    expect(await swarmManager({ exec: stubExec([info({ LocalNodeState: 'active', ControlAvailable: false })]).exec })).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('worker'),
    });
    expect(await swarmManager({ exec: stubExec([info({ LocalNodeState: 'inactive' })]).exec })).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('docker swarm init'),
    });
  });

  it('lists nodes with their labels and host names', async () => {
    const stub = stubExec(nodeRows([node('n2', 'box2', { labels: { gpu: 'true' } }), node('n1', 'box1', { role: 'manager' })]));
    expect(await swarmNodes(stub.exec)).toEqual([
      { id: 'n1', hostname: 'box1', status: 'ready', availability: 'active', manager: true, labels: {} },
      { id: 'n2', hostname: 'box2', status: 'ready', availability: 'active', manager: false, labels: { gpu: 'true' } },
    ]);
    expect(
      await swarmNodes(stubExec([{ command: 'docker node ls -q', exitCode: 1, stderr: 'This node is not a swarm manager.' }]).exec),
    ).toBeUndefined();
  });

  it('a label a placement needs that no usable node has fails, naming the label command', async () => {
    const exec = stubExec(
      nodeRows([node('n1', 'box1', { role: 'manager' }), node('n2', 'box2', { labels: { gpu: 'true' }, availability: 'drain' })]),
    ).exec;
    const r = await swarmNodesReady({ exec, config: placed({ plex: ['node.labels.gpu==true'], radarr: ['node.role!=worker'] }) });
    expect(r.status).toBe('fail');
    expect(r.message).toContain('no ready, active node satisfies plex: node.labels.gpu==true');
    expect(r.message).toContain('labels used by placements: gpu');
    expect(r.fix).toContain('docker node update --label-add gpu=true <node>');
  });

  it('met placements pass; a drained node is a warning; an unknown host name fails', async () => {
    const rows = nodeRows([node('n1', 'box1', { role: 'manager', labels: { gpu: 'true' } }), node('n2', 'box2', { state: 'down' })]);
    expect(
      await swarmNodesReady({
        exec: stubExec(rows).exec,
        config: placed({ plex: ['node.labels.gpu==true'], radarr: ['node.hostname==box1'] }),
      }),
    ).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('not taking tasks: box2 (down, active)'),
    });
    const gone = await swarmNodesReady({ exec: stubExec(rows).exec, config: placed({ radarr: ['node.hostname==box9'] }) });
    expect(gone).toMatchObject({ status: 'fail', message: expect.stringContaining('radarr: node.hostname==box9') });
  });

  it('swarm checks run for a swarm config only, and the compose check does not', async () => {
    const base = {
      home: '/nonexistent',
      secrets: {},
      envFile: '/nonexistent/.env',
      dbFile: '/nonexistent/plexarr.db',
      uid: 1000,
      nodePath: process.execPath,
      plexTvUrl: 'http://127.0.0.1:9',
      isPortFree: async () => true,
      stackPorts: async () => new Set<number>(),
    };
    const exec = stubExec([]).exec;
    const ids = async (config: ReturnType<typeof fixtureConfig>) => (await runChecks({ ...base, exec, config })).map((c) => c.id);
    const compose = await ids(fixtureConfig());
    expect(compose).toContain('compose');
    expect(compose).not.toContain('swarm.manager');
    const swarm = await ids(placed({}));
    expect(swarm).toEqual(expect.arrayContaining(['swarm.manager', 'swarm.nodes']));
    expect(swarm).not.toContain('compose');
  });
});
