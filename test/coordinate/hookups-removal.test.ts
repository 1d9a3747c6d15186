import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { buildGraph } from '../../src/coordinate/graph.js';
import { allHookups } from '../../src/coordinate/hookups/index.js';
import { arrDownloadClient } from '../../src/coordinate/hookups/arr-download-client.js';
import { downloadClientRemoval } from '../../src/coordinate/hookups/download-client-removal.js';
import { nzbgetCategories } from '../../src/coordinate/hookups/nzbget-categories.js';
import { describeChange } from '../../src/coordinate/outcome.js';
import { nzbgetMissing } from '../fakes/nzbget.js';
import { describeNeeding } from '../helpers/tiers.js';
import { memoryApplied } from './helpers.js';
import { converge, kinds, mutations, startTestStack, type TestStack } from './hookups-stack.js';

const d = describeNeeding(nzbgetMissing());

d('taking NZBGet 2 out of the stack removes only the download clients plexarr made for it', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(['nzbget', 'nzbget2', 'radarr', 'sonarr']);
    for (const h of [
      nzbgetCategories('nzbget'),
      nzbgetCategories('nzbget2'),
      ...(['radarr', 'sonarr'] as const).flatMap((a) => [arrDownloadClient(a, 'nzbget'), arrDownloadClient(a, 'nzbget2')]),
    ]) {
      await converge(h, stack.ctx());
    }
    // A client the user added by hand, to the same NZBGet 2 container, under a name of their own.
    const api = stack.clients.radarr.downloadClients;
    const { id: _id, ...mine } = (await api.list()).find((r) => r.name === 'NZBGet 2')!;
    // The list masks the password; the app tests the connection on save, so the real one is sent.
    await api.create({
      ...mine,
      name: 'My NZBGet',
      fields: mine.fields.map((f) => (f.name === 'password' ? { ...f, value: stack.secrets.NZBGET2_PASS } : f)),
    });
    stack.config.services.nzbget2.enabled = false;
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  const names = (app: 'radarr' | 'sonarr') => (stack.fakes[app]!.state.downloadClients as { name: string }[]).map((c) => c.name).sort();

  test('the graph holds the removals only while NZBGet 2 is off, and not the NZBGet 2 hookups', () => {
    const off = buildGraph(allHookups(), stack.config, stack.secrets);
    expect([...off.nodes.keys()].filter((id) => id.includes('nzbget2'))).toEqual([
      'radarr.download-client.nzbget2.remove',
      'sonarr.download-client.nzbget2.remove',
    ]);
    stack.config.services.nzbget2.enabled = true;
    const on = buildGraph(allHookups(), stack.config, stack.secrets);
    stack.config.services.nzbget2.enabled = false;
    expect([...on.nodes.keys()].filter((id) => id.endsWith('.remove'))).toEqual([]);
  });

  test('the dry-run plan shows a delete line, with GET requests only', async () => {
    const mark = stack.fakes.radarr!.log.length;
    const plan = await downloadClientRemoval('radarr', 'nzbget2').plan(stack.ctx({ dryRun: true }));
    expect(plan.map(describeChange)).toEqual(["delete download client 'NZBGet 2' in Radarr"]);
    expect(mutations({ ...stack.fakes.radarr!, log: stack.fakes.radarr!.log.slice(mark) })).toEqual([]);
  });

  test('apply deletes plexarr\u2019s NZBGet 2 client; NZBGet and the hand-made one stay; then unchanged', async () => {
    for (const app of ['radarr', 'sonarr'] as const) {
      const mark = stack.fakes[app]!.log.length;
      const { first, second } = await converge(downloadClientRemoval(app, 'nzbget2'), stack.ctx());
      expect(kinds(first)).toEqual(['delete']);
      expect(kinds(second)).toEqual(['unchanged']);
      expect(mutations({ ...stack.fakes[app]!, log: stack.fakes[app]!.log.slice(mark) })).toEqual([
        expect.stringMatching(/^DELETE \/api\/v3\/downloadclient\/\d+$/),
      ]);
    }
    expect(names('radarr')).toEqual(['My NZBGet', 'NZBGet']);
    expect(names('sonarr')).toEqual(['NZBGet']);
  });

  test('without plexarr\u2019s record of the client (a database that never made it) nothing is asked or deleted', async () => {
    const api = stack.clients.sonarr.downloadClients;
    const { id: _id, ...nzbget } = (await api.list()).find((r) => r.name === 'NZBGet')!;
    const nzbget2: Record<string, unknown> = {
      host: 'nzbget2',
      username: stack.secrets.NZBGET2_USER,
      password: stack.secrets.NZBGET2_PASS,
    };
    await api.create({
      ...nzbget,
      name: 'NZBGet 2',
      priority: 2,
      fields: nzbget.fields.map((f) => (f.name in nzbget2 ? { ...f, value: nzbget2[f.name] } : f)),
    });
    const mark = stack.fakes.sonarr!.log.length;
    const plan = await downloadClientRemoval('sonarr', 'nzbget2').plan(stack.ctx({ applied: memoryApplied() }));
    expect(kinds(plan)).toEqual(['unchanged']);
    expect(stack.fakes.sonarr!.log.slice(mark)).toEqual([]);
    expect(names('sonarr')).toEqual(['NZBGet', 'NZBGet 2']);
  });
});
