import { describe, expect, test } from '@jest/globals';
import { SERVICE_IDS } from '../../src/config/schema.js';
import { buildGraph } from '../../src/coordinate/graph.js';
import { allHookups } from '../../src/coordinate/hookups/index.js';
import { baseConfig, stackSecrets } from './hookups-stack.js';

/** The hookup list as the runner sees it: ids, dependencies and skip reasons. */
describe('allHookups()', () => {
  const ids = allHookups().map((h) => h.id);

  test('ids are unique and glob-able (<service>.<what>)', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(\.[a-z0-9-]+)+$/);
    expect(ids).toEqual(
      expect.arrayContaining([
        'nzbget.categories',
        'nzbget2.categories',
        'radarr.root-folder',
        'sonarr.download-client.nzbget',
        'lidarr.download-client.nzbget2',
        'radarr.auth',
        'prowlarr.app.lidarr',
        'prowlarr.download-client.nzbget',
        'prowlarr.auth',
        'plex.libraries',
        'requests.admin',
        'requests.plex',
        'requests.libraries',
        'requests.radarr',
        'requests.sonarr',
        'requests.initialize',
        'maintainerr.plex',
        'maintainerr.radarr',
        'maintainerr.sonarr',
        'maintainerr.requests',
        'npm.admin',
        'npm.proxy-hosts',
        'nzbget.servers',
        'prowlarr.indexers',
        'radarr.indexers',
        'plex.scan-settings',
        'radarr.plex-notification',
        'lidarr.plex-notification',
      ]),
    );
  });

  test('every dependency is a known task with everything enabled, and the graph has no cycle', () => {
    const config = baseConfig(SERVICE_IDS);
    config.npm.domain = 'example.com';
    config.usenetServers = [{ host: 'news.example.com', port: 563, tls: true, connections: 8, level: 0, retention: 0 }];
    config.indexers = [{ name: 'Geek', url: 'https://api.nzbgeek.info' }];
    const graph = buildGraph(allHookups(), config, stackSecrets());
    // Removals exist only while the service they clean up after is off.
    const wiring = allHookups().filter((h) => h.whenOff === undefined);
    expect(graph.order.filter((id) => !id.startsWith('wait.'))).toHaveLength(wiring.length);
    for (const node of graph.nodes.values()) expect([node.id, node.skipReason]).toEqual([node.id, null]);
  });

  test('the order the issue asks for: download clients after NZBGet categories, request manager servers after root folders', () => {
    const deps = Object.fromEntries(allHookups().map((h) => [h.id, h.dependsOn]));
    expect(deps['radarr.download-client.nzbget']).toEqual(expect.arrayContaining(['nzbget.categories', 'wait.radarr']));
    expect(deps['sonarr.download-client.nzbget2']).toEqual(expect.arrayContaining(['nzbget2.categories']));
    expect(deps['prowlarr.app.radarr']).toEqual(expect.arrayContaining(['wait.prowlarr', 'wait.radarr']));
    expect(deps['requests.radarr']).toEqual(expect.arrayContaining(['requests.admin', 'radarr.root-folder']));
    expect(deps['requests.libraries']).toEqual(expect.arrayContaining(['requests.plex', 'plex.libraries']));
  });

  test('the default stack builds (NZBGet 2, WireGuard and NPM off); hookups of a disabled service say why', () => {
    const config = baseConfig(['plex', 'radarr', 'sonarr', 'lidarr', 'prowlarr', 'requests', 'maintainerr', 'nzbget']);
    const graph = buildGraph(allHookups(), config, stackSecrets());
    expect(graph.nodes.get('radarr.download-client.nzbget')?.skipReason).toBeNull();
    expect(graph.nodes.has('radarr.download-client.nzbget2')).toBe(false);
    const nzbget2 = allHookups().find((h) => h.id === 'radarr.download-client.nzbget2');
    expect(nzbget2?.skipReason(config, stackSecrets())).toBe('NZBGet 2 is not enabled in this stack');
  });

  test.each(['radarr', 'sonarr', 'lidarr', 'prowlarr', 'plex', 'requests', 'maintainerr', 'nzbget'] as const)(
    'the graph builds with %s turned off',
    (off) => {
      const on = SERVICE_IDS.filter((id) => id !== off);
      const config = baseConfig(on);
      config.npm.domain = 'example.com';
      expect(() => buildGraph(allHookups(), config, stackSecrets())).not.toThrow();
    },
  );

  test('NPM without a domain skips its proxy hosts with what to do', () => {
    const config = baseConfig(['npm']);
    expect(
      allHookups()
        .find((h) => h.id === 'npm.proxy-hosts')
        ?.skipReason(config, stackSecrets()),
    ).toMatch(/no domain/);
  });
});
