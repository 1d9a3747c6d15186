import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { arrDownloadClient } from '../../src/coordinate/hookups/arr-download-client.js';
import { nzbgetCategories } from '../../src/coordinate/hookups/nzbget-categories.js';
import { prowlarrApp } from '../../src/coordinate/hookups/prowlarr-app.js';
import { prowlarrDownloadClient } from '../../src/coordinate/hookups/prowlarr-download-client.js';
import { servarrAuth } from '../../src/coordinate/hookups/servarr-auth.js';
import { nzbgetMissing } from '../fakes/nzbget.js';
import { describeNeeding } from '../helpers/tiers.js';
import { memoryApplied } from './helpers.js';
import { converge, kinds, mutations, startTestStack, type TestStack } from './hookups-stack.js';

const d = describeNeeding(nzbgetMissing());

d('Prowlarr and NZBGet 2 hookups', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(['nzbget', 'nzbget2', 'radarr', 'sonarr', 'lidarr', 'prowlarr'], {
      nzbget2Categories: { 1: 'Movies', 3: 'Music' },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const setting = (def: { settings: Record<string, unknown> }, name: string) => def.settings[name];

  test.each(['radarr', 'sonarr', 'lidarr'] as const)('prowlarr.app.%s: fullSync, container URLs, the target key', async (app) => {
    const { first, second } = await converge(prowlarrApp(app), stack.ctx());
    expect(kinds(first)).toEqual(['create']);
    expect(kinds(second)).toEqual(['unchanged']);
    const apps = stack.fakes.prowlarr!.state.applications;
    const def = apps.find((a: { implementation: string }) => a.implementation.toLowerCase() === app);
    expect(def.top.syncLevel).toBe('fullSync');
    expect(setting(def, 'prowlarrUrl')).toBe('http://prowlarr:9696');
    expect(setting(def, 'baseUrl')).toBe(`http://${app}:${{ radarr: 7878, sonarr: 8989, lidarr: 8686 }[app]}`);
    expect(setting(def, 'apiKey')).toBe(stack.secrets[`${app.toUpperCase()}_API_KEY` as 'RADARR_API_KEY']);
  });

  test('drift: a changed baseUrl port is updated in place', async () => {
    const find = () => stack.fakes.prowlarr!.state.applications.find((a: { implementation: string }) => a.implementation === 'Radarr');
    find().settings.baseUrl = 'http://radarr:7879';
    const { first, second } = await converge(prowlarrApp('radarr'), stack.ctx());
    expect(first).toEqual([expect.objectContaining({ kind: 'update', fields: ['baseUrl'] })]);
    expect(kinds(second)).toEqual(['unchanged']);
    expect(stack.fakes.prowlarr!.state.applications).toHaveLength(3);
    expect(find().settings.baseUrl).toBe('http://radarr:7878');
  });

  test('drift: a rotated target key is found by its fingerprint and sent again, with GETs only in the plans', async () => {
    // plexarr last applied an older Sonarr key (then SONARR_API_KEY was rotated and Sonarr redeployed with it).
    const prowlarr = stack.fakes.prowlarr!;
    const find = () => prowlarr.state.applications.find((a: { implementation: string }) => a.implementation === 'Sonarr');
    find().settings.apiKey = 'a-key-sonarr-no-longer-has';
    stack.applied.record('prowlarr.app.sonarr#apiKey', 'a-key-sonarr-no-longer-has');
    const mark = prowlarr.log.length;
    expect(await prowlarrApp('sonarr').plan(stack.ctx({ dryRun: true }))).toEqual([
      expect.objectContaining({ kind: 'update', fields: ['apiKey'] }),
    ]);
    expect(mutations({ ...prowlarr, log: prowlarr.log.slice(mark) })).toEqual([]);
    const { first, second } = await converge(prowlarrApp('sonarr'), stack.ctx());
    expect(first).toEqual([expect.objectContaining({ kind: 'update', fields: ['apiKey'] })]);
    expect(kinds(second)).toEqual(['unchanged']);
    expect(find().settings.apiKey).toBe(stack.secrets.SONARR_API_KEY);
    expect(prowlarr.state.applications).toHaveLength(3);
  });

  test('a fresh database with the applications already there: one update per app, then unchanged', async () => {
    const fresh = stack.ctx({ applied: memoryApplied() });
    for (const app of ['radarr', 'lidarr'] as const) {
      const { first, second } = await converge(prowlarrApp(app), fresh);
      expect([app, first]).toEqual([app, [expect.objectContaining({ kind: 'update', fields: ['apiKey'] })]]);
      expect([app, kinds(second)]).toEqual([app, ['unchanged']]);
    }
    expect(stack.fakes.prowlarr!.state.applications).toHaveLength(3);
  });

  test('prowlarr.download-client.nzbget and prowlarr.auth converge', async () => {
    await converge(nzbgetCategories('nzbget'), stack.ctx());
    for (const h of [prowlarrDownloadClient(), servarrAuth('prowlarr')]) {
      const { second } = await converge(h, stack.ctx());
      expect([h.id, kinds(second)]).toEqual([h.id, ['unchanged']]);
    }
    const [client] = stack.fakes.prowlarr!.state.downloadClients;
    expect(client.top).toMatchObject({ enable: true, priority: 1 });
    expect(client.settings).toMatchObject({ host: 'nzbget', username: stack.secrets.NZBGET_USER, password: stack.secrets.NZBGET_PASS });
  });

  test('nzbget2.categories renumbers a gap, so the *arr apps see every category', async () => {
    const { first, second } = await converge(nzbgetCategories('nzbget2'), stack.ctx());
    expect(first[0]?.fields).toEqual(expect.arrayContaining(['category numbering', 'category Series']));
    expect(kinds(second)).toEqual(['unchanged']);
    const conf: { Name: string; Value: string }[] = await stack.nzbget.nzbget2!.rpc('loadconfig');
    // saveconfig rewrites lines in place and appends new ones, so sort by name.
    const names = conf
      .filter((o) => /^Category\d+\.Name$/.test(o.Name))
      .map((o) => `${o.Name}=${o.Value}`)
      .sort();
    expect(names).toEqual(['Category1.Name=Movies', 'Category2.Name=Music', 'Category3.Name=Series']);
  });

  test('<arr>.download-client.nzbget2: a second client at priority 2 next to the first', async () => {
    await converge(nzbgetCategories('nzbget'), stack.ctx());
    for (const h of [arrDownloadClient('sonarr', 'nzbget'), arrDownloadClient('sonarr', 'nzbget2')]) {
      const { second } = await converge(h, stack.ctx());
      expect([h.id, kinds(second)]).toEqual([h.id, ['unchanged']]);
    }
    const clients = stack.fakes.sonarr!.state.downloadClients.map(
      (c: { name: string; top: { priority: number }; settings: Record<string, unknown> }) => [
        c.name,
        c.top.priority,
        c.settings.host,
        c.settings.tvCategory,
        c.settings.username,
      ],
    );
    expect(clients).toEqual([
      ['NZBGet', 1, 'nzbget', 'Series', stack.secrets.NZBGET_USER],
      ['NZBGet 2', 2, 'nzbget2', 'Series', stack.secrets.NZBGET2_USER],
    ]);
  });

  test('a second run: only unchanged, and Prowlarr gets no mutating request', async () => {
    const mark = stack.fakes.prowlarr!.log.length;
    for (const h of [
      prowlarrApp('radarr'),
      prowlarrApp('sonarr'),
      prowlarrApp('lidarr'),
      prowlarrDownloadClient(),
      servarrAuth('prowlarr'),
    ]) {
      expect([h.id, kinds(await h.plan(stack.ctx()))]).toEqual([h.id, ['unchanged']]);
    }
    expect(mutations({ ...stack.fakes.prowlarr!, log: stack.fakes.prowlarr!.log.slice(mark) })).toEqual([]);
  });
});
