import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { arrDownloadClient } from '../../src/coordinate/hookups/arr-download-client.js';
import { arrRootFolder } from '../../src/coordinate/hookups/arr-root-folder.js';
import { nzbgetCategories } from '../../src/coordinate/hookups/nzbget-categories.js';
import { servarrAuth } from '../../src/coordinate/hookups/servarr-auth.js';
import { nzbgetMissing } from '../fakes/nzbget.js';
import { describeNeeding } from '../helpers/tiers.js';
import { memoryApplied } from './helpers.js';
import { converge, kinds, mutations, startTestStack, type TestStack } from './hookups-stack.js';

const d = describeNeeding(nzbgetMissing());

d('*arr hookups against the *arr fakes and a real NZBGet', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(['nzbget', 'radarr', 'sonarr', 'lidarr']);
  });
  afterAll(async () => {
    await stack?.close();
  });

  test('nzbget.categories: sets the three categories and InterDir, keeps the rest, then plans unchanged', async () => {
    const hookup = nzbgetCategories('nzbget');
    const before = await stack.nzbget.nzbget!.rpc('loadconfig');
    const { first, second } = await converge(hookup, stack.ctx());
    expect(first[0]).toMatchObject({
      kind: 'update',
      fields: expect.arrayContaining(['Movies.DestDir', 'Series.DestDir', 'Music.DestDir', 'InterDir']),
    });
    expect(kinds(second)).toEqual(['unchanged']);
    const after: { Name: string; Value: string }[] = await stack.nzbget.nzbget!.rpc('loadconfig');
    const get = (name: string) => after.find((o) => o.Name === name)?.Value;
    expect(get('Category1.Name')).toBe('Movies');
    expect(get('Category1.DestDir')).toBe('/data/downloads/movies');
    expect(get('Category2.DestDir')).toBe('/data/downloads/tv');
    expect(get('Category3.DestDir')).toBe('/data/downloads/music');
    expect(get('Category4.Name')).toBe('Software');
    expect(get('InterDir')).toBe('/data/downloads/incomplete');
    // Nothing was dropped by saveconfig: every option is still there (plus the three DestDirs).
    const names = new Set(after.map((o) => o.Name));
    expect(before.filter((o: { Name: string }) => !names.has(o.Name))).toEqual([]);
    expect(after.length).toBe(before.length + 3);
    // The daemon took it (reload): `config` shows what is in effect.
    const effective: { Name: string; Value: string }[] = await stack.nzbget.nzbget!.rpc('config');
    expect(effective.find((o) => o.Name === 'Category2.DestDir')?.Value).toBe('/data/downloads/tv');
  });

  test.each(['radarr', 'sonarr', 'lidarr'] as const)('%s.root-folder: creates the media folder once', async (app) => {
    const hookup = arrRootFolder(app);
    const { first, second } = await converge(hookup, stack.ctx());
    expect(kinds(first)).toEqual(['create']);
    expect(kinds(second)).toEqual(['unchanged']);
    expect(stack.fakes[app]!.state.rootFolders).toHaveLength(1);
  });

  test('lidarr.root-folder: profiles looked up by name (quality Any, metadata Standard)', () => {
    const lidarr = stack.fakes.lidarr!.state;
    const folder = lidarr.rootFolders[0];
    const byId = (list: { id: number; name: string }[], id: number) => list.find((p) => p.id === id)?.name;
    expect(folder.name).toBe('Music');
    expect(byId(lidarr.qualityProfiles, folder.defaultQualityProfileId)).toBe('Any');
    expect(byId(lidarr.metadataProfiles, folder.defaultMetadataProfileId)).toBe('Standard');
  });

  const CATEGORY = { radarr: ['movieCategory', 'Movies'], sonarr: ['tvCategory', 'Series'], lidarr: ['musicCategory', 'Music'] } as const;

  test.each(['radarr', 'sonarr', 'lidarr'] as const)(
    '%s.download-client.nzbget: enabled, priority 1, right category, credentials sent',
    async (app) => {
      const hookup = arrDownloadClient(app, 'nzbget');
      const { first, second } = await converge(hookup, stack.ctx());
      expect(kinds(first)).toEqual(['create']);
      expect(kinds(second)).toEqual(['unchanged']);
      const clients = stack.fakes[app]!.state.downloadClients;
      expect(clients).toHaveLength(1);
      const [field, category] = CATEGORY[app];
      expect(clients[0].top).toMatchObject({ enable: true, priority: 1, removeCompletedDownloads: true, removeFailedDownloads: true });
      expect(clients[0].settings).toMatchObject({
        host: 'nzbget',
        port: 6789,
        username: stack.secrets.NZBGET_USER,
        password: stack.secrets.NZBGET_PASS,
        [field]: category,
      });
    },
  );

  test('a second plan of every *arr hookup changes nothing and mutates nothing', async () => {
    const hookups = (['radarr', 'sonarr', 'lidarr'] as const).flatMap((a) => [arrRootFolder(a), arrDownloadClient(a, 'nzbget')]);
    const logStart = (['radarr', 'sonarr', 'lidarr'] as const).map((a) => stack.fakes[a]!.log.length);
    for (const h of hookups) expect(kinds(await h.plan(stack.ctx()))).toEqual(['unchanged']);
    (['radarr', 'sonarr', 'lidarr'] as const).forEach((a, i) => {
      expect(mutations({ ...stack.fakes[a]!, log: stack.fakes[a]!.log.slice(logStart[i]) })).toEqual([]);
    });
  });

  test('drift: a changed port is planned as an update of `port` and repaired', async () => {
    const radarr = stack.fakes.radarr!.state;
    radarr.downloadClients[0].settings.port = 6790;
    const hookup = arrDownloadClient('radarr', 'nzbget');
    const ctx = stack.ctx();
    expect(await hookup.plan(stack.ctx({ dryRun: true }))).toEqual([expect.objectContaining({ kind: 'update', fields: ['port'] })]);
    const { second } = await converge(hookup, ctx);
    expect(kinds(second)).toEqual(['unchanged']);
    expect(radarr.downloadClients[0].settings.port).toBe(6789);
    expect(radarr.downloadClients).toHaveLength(1);
  });

  test('drift: a rotated NZBGet password is found by its fingerprint and sent again, with GETs only in the plans', async () => {
    // plexarr last applied an older password (then NZBGET_PASS was rotated and NZBGet redeployed with it).
    const sonarr = stack.fakes.sonarr!;
    sonarr.state.downloadClients[0].settings.password = 'an-old-password';
    stack.applied.record('sonarr.download-client.nzbget#password', 'an-old-password');
    const hookup = arrDownloadClient('sonarr', 'nzbget');
    const mark = sonarr.log.length;
    expect(await hookup.plan(stack.ctx({ dryRun: true }))).toEqual([expect.objectContaining({ kind: 'update', fields: ['password'] })]);
    expect(mutations({ ...sonarr, log: sonarr.log.slice(mark) })).toEqual([]);
    const { first, second } = await converge(hookup, stack.ctx());
    expect(first).toEqual([expect.objectContaining({ kind: 'update', fields: ['password'] })]);
    expect(kinds(second)).toEqual(['unchanged']);
    expect(sonarr.state.downloadClients[0].settings.password).toBe(stack.secrets.NZBGET_PASS);
    expect(sonarr.state.downloadClients).toHaveLength(1);
  });

  test('a fresh database with the entries already there: one update sends the secret, then unchanged', async () => {
    const fresh = stack.ctx({ applied: memoryApplied() });
    const hookup = arrDownloadClient('radarr', 'nzbget');
    const { first, second } = await converge(hookup, fresh);
    expect(first).toEqual([expect.objectContaining({ kind: 'update', fields: ['password'] })]);
    expect(kinds(second)).toEqual(['unchanged']);
    expect(stack.fakes.radarr!.state.downloadClients).toHaveLength(1);
  });

  test('a disabled client (enable:false) and a wrong priority are repaired', async () => {
    const lidarr = stack.fakes.lidarr!.state;
    lidarr.downloadClients[0].top.enable = false;
    lidarr.downloadClients[0].top.priority = 5;
    const { first, second } = await converge(arrDownloadClient('lidarr', 'nzbget'), stack.ctx());
    expect(first[0]?.fields?.sort()).toEqual(['enable', 'priority']);
    expect(kinds(second)).toEqual(['unchanged']);
  });

  test.each(['radarr', 'sonarr', 'lidarr'] as const)('%s.auth: Forms login for the admin user', async (app) => {
    const { first, second } = await converge(servarrAuth(app), stack.ctx());
    expect(first[0]).toMatchObject({ kind: 'update', fields: expect.arrayContaining(['authenticationMethod', 'username']) });
    expect(kinds(second)).toEqual(['unchanged']);
    const fake = stack.fakes[app]!.state;
    expect(fake.config.authenticationMethod.toLowerCase()).toBe('forms');
    expect(fake.users[0].username.toLowerCase()).toBe('admin');
  });

  test('planned changes never carry secret values in target or fields', async () => {
    const plan = await arrDownloadClient('radarr', 'nzbget').plan(stack.ctx({ applied: memoryApplied() }));
    expect(kinds(plan)).toEqual(['update']);
    const shown = JSON.stringify(plan.map(({ kind, target, fields }) => ({ kind, target, fields })));
    for (const value of Object.values(stack.secrets)) expect(shown).not.toContain(value);
  });
});
