import { describe, expect, it } from '@jest/globals';
import { buildGraph, globToRegExp, GraphError, selectTasks } from '../../src/coordinate/graph.js';
import { fakeHookup, fakeWorld, testConfig } from './helpers.js';

const world = fakeWorld();
const h = (id: string, dependsOn: string[] = [], skip: string | null = null) => fakeHookup(world, { id, dependsOn, skip });

describe('buildGraph', () => {
  it('adds a wait node per enabled service and orders dependencies first', () => {
    const g = buildGraph(
      [h('radarr.download-client', ['nzbget.categories', 'wait.radarr']), h('nzbget.categories', ['wait.nzbget'])],
      testConfig(),
      {},
    );
    expect([...g.nodes.keys()].filter((id) => id.startsWith('wait.')).sort()).toEqual([
      'wait.lidarr',
      'wait.maintainerr',
      'wait.nzbget',
      'wait.plex',
      'wait.prowlarr',
      'wait.radarr',
      'wait.recyclarr',
      'wait.requests',
      'wait.sonarr',
    ]);
    expect(g.order.indexOf('nzbget.categories')).toBeGreaterThan(g.order.indexOf('wait.nzbget'));
    expect(g.order.indexOf('radarr.download-client')).toBeGreaterThan(g.order.indexOf('nzbget.categories'));
    expect(g.nodes.get('wait.nzbget')!.height).toBe(3);
  });

  it('leaves out hookups of disabled services; drops dependencies on them and on skipped hookups', () => {
    const nzbget2 = fakeHookup(world, { id: 'nzbget2.categories', services: ['nzbget2'] });
    const g = buildGraph(
      [
        nzbget2,
        h('radarr.client2', ['nzbget2.categories', 'wait.nzbget2', 'npm.admin']),
        h('maint.radarr', ['maint.plex']),
        h('maint.plex', [], 'no Plex token'),
      ],
      testConfig(),
      {},
    );
    expect(g.nodes.has('nzbget2.categories')).toBe(false);
    expect(g.nodes.get('radarr.client2')!.dependsOn).toEqual([]);
    expect(g.nodes.get('maint.radarr')!.dependsOn).toEqual([]);
    expect(g.nodes.get('maint.plex')!.skipReason).toBe('no Plex token');
  });

  it('keeps dependencies on enabled optional services', () => {
    const g = buildGraph([h('nzbget2.categories', ['wait.nzbget2'])], testConfig(['nzbget2']), {});
    expect(g.nodes.get('nzbget2.categories')!.dependsOn).toEqual(['wait.nzbget2']);
  });

  it('rejects unknown dependencies, duplicates and cycles', () => {
    expect(() => buildGraph([h('radarr.a', ['radarr.missing'])], testConfig(), {})).toThrow(/'radarr.a' depends on 'radarr.missing'/);
    expect(() => buildGraph([h('radarr.a', ['nonsense'])], testConfig(), {})).toThrow(GraphError);
    expect(() => buildGraph([h('radarr.a'), h('radarr.a')], testConfig(), {})).toThrow(/share the id/);
    expect(() => buildGraph([h('a', ['c']), h('b', ['a']), h('c', ['b']), h('d', [])], testConfig(), {})).toThrow(
      /cycle: (a → b → c → a|b → c → a → b|c → a → b → c)/,
    );
  });
});

describe('globs and selection', () => {
  it('matches whole ids, * across dots', () => {
    expect(globToRegExp('radarr.*').test('radarr.download-client.nzbget')).toBe(true);
    expect(globToRegExp('radarr.*').test('sonarr.root-folder')).toBe(false);
    expect(globToRegExp('*.root-folder').test('lidarr.root-folder')).toBe(true);
    expect(globToRegExp('radarr.r?ot-folder').test('radarr.root-folder')).toBe(true);
  });

  const graph = () =>
    buildGraph(
      [
        h('nzbget.categories', ['wait.nzbget']),
        h('radarr.client', ['nzbget.categories', 'wait.radarr']),
        h('sonarr.client', ['nzbget.categories', 'wait.sonarr']),
      ],
      testConfig(),
      {},
    );

  it('selects everything by default', () => {
    expect(selectTasks(graph(), {}).tasks.length).toBe(graph().nodes.size);
  });

  it('--only pulls in unfinished dependencies and waits, not finished ones', () => {
    const fresh = selectTasks(graph(), { only: ['radarr.*'] });
    expect(fresh.tasks).toEqual(['wait.radarr', 'wait.nzbget', 'nzbget.categories', 'radarr.client']);
    const afterDone = selectTasks(graph(), { only: ['radarr.*'], latest: new Map([['nzbget.categories', { status: 'done' as const }]]) });
    expect(afterDone.tasks).toEqual(['wait.radarr', 'radarr.client']);
    expect(selectTasks(graph(), { only: ['nope.*', 'radarr.*'] }).unmatched).toEqual(['nope.*']);
  });

  it('--retry selects hookups not done (incl. never run) plus the waits they need', () => {
    const latest = new Map([
      ['nzbget.categories', { status: 'done' as const }],
      ['radarr.client', { status: 'failed' as const }],
      ['sonarr.client', { status: 'done' as const }],
    ]);
    expect(selectTasks(graph(), { retry: true, latest }).tasks).toEqual(['wait.radarr', 'radarr.client']);
  });
});
