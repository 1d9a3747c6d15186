import { describe, expect, test } from '@jest/globals';
import { composePs, detectCompose } from '../../src/docker/compose.js';
import { allHookups } from '../../src/coordinate/hookups/index.js';
import { buildStatus } from '../../src/status/build.js';
import { plexarrCommand } from '../../src/ui/invocation.js';
import { FIXTURE_SECRETS, fixtureConfig } from './compose-fixtures.js';
import { fakeDockerEnv, fakeDockerExec } from './status-helpers.js';

/** A stack deployed without servers or indexers: status says what is missing and the command to add it. */
describe('status of a stack that cannot download yet', () => {
  test('the news-server and indexer hookups are skipped with the init command to add them; with them they are pending', async () => {
    const exec = fakeDockerExec(fakeDockerEnv('healthy', 'v2-ndjson'));
    const compose = await detectCompose(exec);
    const containers = { list: await composePs(exec, compose, '/dev/null'), compose: { kind: compose.kind, version: compose.version } };
    const input = { home: '/h', secrets: FIXTURE_SECRETS, containers, hookups: allHookups(), tasks: new Map() };
    const bare = buildStatus({ ...input, config: fixtureConfig() });
    const reason = (id: string) => bare.hookups.find((h) => h.id === id);
    expect(reason('nzbget.servers')).toMatchObject({
      state: 'skipped',
      reason: expect.stringContaining(`\`${plexarrCommand('init --usenet-server news.example.com:563')}`),
    });
    expect(reason('prowlarr.indexers')).toMatchObject({
      state: 'skipped',
      reason: expect.stringContaining(`\`${plexarrCommand("init --indexer 'Name=https://indexer.example,<api key>'")}\``),
    });
    expect(reason('radarr.indexers')).toMatchObject({ state: 'skipped' });
    expect(reason('prowlarr.indexers')!.reason).toContain(`then \`${plexarrCommand('coordinate')}\``);

    const ready = buildStatus({
      ...input,
      config: fixtureConfig(undefined, {
        usenetServers: [{ host: 'news.example.com', port: 563, tls: true, connections: 8, level: 0, retention: 0 }],
        indexers: [{ name: 'Geek', url: 'https://api.nzbgeek.info' }],
      }),
    });
    for (const id of ['nzbget.servers', 'prowlarr.indexers', 'radarr.indexers'])
      expect([id, ready.hookups.find((h) => h.id === id)?.state]).toEqual([id, 'pending']);
  });
});
