import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { NzbgetOption } from '../../src/clients/nzbget.js';
import type { UsenetServer } from '../../src/config/schema.js';
import { nzbgetCategories } from '../../src/coordinate/hookups/nzbget-categories.js';
import { NO_USENET_SERVER, nzbgetServers } from '../../src/coordinate/hookups/nzbget-servers.js';
import { plexLibraries } from '../../src/coordinate/hookups/plex-libraries.js';
import { arrPlexNotification, plexScanPrefs } from '../../src/coordinate/hookups/plex-notify.js';
import { prowlarrApp } from '../../src/coordinate/hookups/prowlarr-app.js';
import { arrIndexers, NO_INDEXER, prowlarrIndexers } from '../../src/coordinate/hookups/prowlarr-indexers.js';
import { startNewznab } from '../fakes/newznab.js';
import { nzbgetMissing } from '../fakes/nzbget.js';
import { describeNeeding } from '../helpers/tiers.js';
import { converge, kinds, mutations, startTestStack, type TestStack } from './hookups-stack.js';

/** The hookups that make a stack download on day one, each against the fakes (and the real nzbget). */

const PRIMARY: UsenetServer = { host: 'news.example.com', port: 563, tls: true, user: 'me', connections: 20, level: 0, retention: 3000 };
const FILL: UsenetServer = { host: 'fill.example.net', port: 119, tls: false, connections: 8, level: 1, retention: 0 };

const servers = (options: NzbgetOption[]) => {
  const out: Record<string, Record<string, string>> = {};
  for (const o of options) {
    const m = /^Server(\d+)\.(.+)$/.exec(o.Name);
    if (m) (out[m[1]!] ??= {})[m[2]!] = o.Value;
  }
  return out;
};

describeNeeding(nzbgetMissing())('NZBGet news servers (real nzbget)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(['nzbget', 'nzbget2'], {
      secrets: { USENET_1_PASSWORD: 'pw-one-secret', USENET_2_PASSWORD: 'pw-two-secret' },
    });
    stack.config.usenetServers = [PRIMARY, FILL];
  });
  afterAll(async () => {
    await stack?.close();
  });

  test('without servers in the answers the hookup is skipped with the command to add one', () => {
    expect(nzbgetServers('nzbget').skipReason({ ...stack.config, usenetServers: [] }, stack.secrets)).toBe(NO_USENET_SERVER);
    expect(NO_USENET_SERVER).toContain('plexarr init --usenet-server');
  });

  test('replaces the stock placeholder with both servers, numbered from 1, keeps every other option, then plans nothing', async () => {
    for (const instance of ['nzbget', 'nzbget2'] as const) {
      await converge(nzbgetCategories(instance), stack.ctx());
      const before = await stack.clients[instance].loadConfig();
      expect(servers(before)['1']?.Host).toBe('my.newsserver.com');
      const { first, second } = await converge(nzbgetServers(instance), stack.ctx());
      expect(first[0]?.fields).toEqual(
        expect.arrayContaining(['placeholder server removed', 'server news.example.com', 'server fill.example.net']),
      );
      expect(JSON.stringify(first.map(({ data: _data, ...c }) => c))).not.toContain('pw-one-secret');
      expect(kinds(second)).toEqual(['unchanged']);
      const after = await stack.clients[instance].loadConfig();
      expect(servers(after)).toEqual({
        1: expect.objectContaining({
          Active: 'yes',
          Name: 'news.example.com (plexarr)',
          Host: 'news.example.com',
          Port: '563',
          Encryption: 'yes',
          Username: 'me',
          Password: 'pw-one-secret',
          Connections: '20',
          Level: '0',
          Retention: '3000',
        }),
        2: expect.objectContaining({
          Name: 'fill.example.net (plexarr)',
          Port: '119',
          Encryption: 'no',
          Username: '',
          Password: 'pw-two-secret',
          Level: '1',
        }),
      });
      // Nothing else was dropped: the file has every option it had, apart from the placeholder's.
      const names = (list: NzbgetOption[]) => list.filter((o) => !o.Name.startsWith('Server')).map((o) => o.Name);
      expect(names(after)).toEqual(names(before));
    }
  });

  test("a server plexarr did not create is kept, before plexarr's, and the numbering stays contiguous", async () => {
    const client = stack.clients.nzbget;
    const current = await client.loadConfig();
    const foreign = Object.entries({ Active: 'yes', Name: 'mine', Host: 'own.example.org', Port: '563', Connections: '4', Level: '2' }).map(
      ([k, Value]) => ({ Name: `Server9.${k}`, Value }),
    );
    await client.saveConfig([...current, ...foreign]);
    await client.reload(60_000);
    const { first, second } = await converge(nzbgetServers('nzbget'), stack.ctx());
    expect(first[0]?.fields).toContain('server numbering');
    expect(kinds(second)).toEqual(['unchanged']);
    const byIndex = servers(await client.loadConfig());
    expect(Object.keys(byIndex)).toEqual(['1', '2', '3']);
    expect([byIndex['1']?.Host, byIndex['2']?.Host, byIndex['3']?.Host]).toEqual([
      'own.example.org',
      'news.example.com',
      'fill.example.net',
    ]);
    expect(byIndex['1']).toMatchObject({ Name: 'mine', Connections: '4' });
  });

  test('a changed password is written; a dry-run plan reads only', async () => {
    const secrets = { ...stack.secrets, USENET_2_PASSWORD: 'pw-two-rotated' };
    const plan = await nzbgetServers('nzbget').plan(stack.ctx({ dryRun: true, secrets }));
    expect(plan[0]?.fields).toEqual(['fill.example.net.Password']);
    const { second } = await converge(nzbgetServers('nzbget'), stack.ctx({ secrets }));
    expect(kinds(second)).toEqual(['unchanged']);
  });
});

describe('Prowlarr indexers and their sync to the *arr apps', () => {
  let stack: TestStack;
  let good: Awaited<ReturnType<typeof startNewznab>>;
  let tvOnly: Awaited<ReturnType<typeof startNewznab>>;
  beforeAll(async () => {
    [good, tvOnly] = await Promise.all([
      startNewznab({ apiKey: 'good-key-123', categories: [2000, 5000] }),
      startNewznab({ apiKey: 'tv-key-4567', categories: [5000] }),
    ]);
    stack = await startTestStack(['prowlarr', 'radarr', 'sonarr', 'lidarr'], {
      secrets: { INDEXER_1_API_KEY: 'good-key-123', INDEXER_2_API_KEY: 'wrong-key-999' },
    });
    stack.config.indexers = [
      { name: 'Geek', preset: 'NZBgeek', url: good.url },
      { name: 'TV Only', url: tvOnly.url },
    ];
    for (const app of ['radarr', 'sonarr', 'lidarr'] as const) await converge(prowlarrApp(app), stack.ctx());
  });
  afterAll(async () => {
    await Promise.all([stack?.close(), good?.close(), tvOnly?.close()]);
  });

  test('without indexers the hookups are skipped with the command to add one', () => {
    const none = { ...stack.config, indexers: [] };
    expect(prowlarrIndexers().skipReason(none, stack.secrets)).toBe(NO_INDEXER);
    expect(arrIndexers('radarr').skipReason(none, stack.secrets)).toBe(NO_INDEXER);
  });

  test('an unknown preset fails the plan naming the presets Prowlarr knows', async () => {
    const config = { ...stack.config, indexers: [{ name: 'X', preset: 'NoSuchPreset' }] };
    await expect(prowlarrIndexers().plan({ ...stack.ctx(), config })).rejects.toThrow(/no indexer preset 'NoSuchPreset'.*NZBgeek/);
  });

  test("a refused indexer fails the hookup with Prowlarr's message, masked; the other one is created", async () => {
    const hookup = prowlarrIndexers();
    const plan = await hookup.plan(stack.ctx({ dryRun: true }));
    expect(kinds(plan)).toEqual(['create', 'create']);
    expect(mutations(stack.fakes.prowlarr)).toEqual([
      'POST /api/v1/applications',
      'POST /api/v1/applications',
      'POST /api/v1/applications',
    ]);
    const error = await hookup.apply(stack.ctx(), plan).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/^Prowlarr refused indexer 'TV Only': .*Credentials appears to be invalid/);
    expect(error?.message).not.toContain('wrong-key-999');
    const names = stack.fakes.prowlarr!.state.indexers.map((i: { name: string }) => i.name);
    expect(names).toEqual(['Geek']);
  });

  test('with the right key both converge; the preset keeps its template, the key is stored masked and fingerprinted', async () => {
    const secrets = { ...stack.secrets, INDEXER_2_API_KEY: 'tv-key-4567' };
    const { first, second } = await converge(prowlarrIndexers(), stack.ctx({ secrets }));
    expect(kinds(first)).toEqual(['unchanged', 'create']);
    expect(kinds(second)).toEqual(['unchanged', 'unchanged']);
    const listed = await stack.clients.prowlarr.indexers.list();
    const geek = listed.find((i) => i.name === 'Geek')!;
    expect(geek).toMatchObject({ implementation: 'Newznab', enable: true, appProfileId: 1, priority: 25 });
    expect(geek.fields.find((f) => f.name === 'apiKey')?.value).toBe('********');
    // A rotated key is noticed without asking the app, which only shows the mask.
    const rotated = await prowlarrIndexers().plan(stack.ctx({ secrets: { ...secrets, INDEXER_1_API_KEY: 'rotated-key' } }));
    expect(rotated[0]).toMatchObject({ kind: 'update', fields: ['apiKey'] });
  });

  test('each app has the indexers that offer its categories (Lidarr none), checked by reading its /indexer', async () => {
    for (const app of ['radarr', 'sonarr', 'lidarr'] as const) {
      const { second } = await converge(arrIndexers(app), stack.ctx());
      expect([app, kinds(second)]).toEqual([app, { radarr: ['unchanged'], sonarr: ['unchanged', 'unchanged'], lidarr: [] }[app]]);
    }
    const radarr = (await stack.clients.radarr.indexers.list()).map((i) => i.name);
    expect(radarr).toEqual(['Geek (Prowlarr)']);
    const sonarr = (await stack.clients.sonarr.indexers.list()).map((i) => i.name).sort();
    expect(sonarr).toEqual(['Geek (Prowlarr)', 'TV Only (Prowlarr)']);
  });

  test('an indexer deleted in the app is put back by a sync command', async () => {
    const [synced] = await stack.clients.radarr.indexers.list();
    await fetch(`${stack.fakes.radarr!.url}/api/v3/indexer/${synced!.id}`, {
      method: 'DELETE',
      headers: { 'X-Api-Key': stack.secrets.RADARR_API_KEY! },
    });
    const before = mutations(stack.fakes.prowlarr).length;
    const { first, second } = await converge(arrIndexers('radarr'), stack.ctx());
    expect(kinds(first)).toEqual(['create']);
    expect(kinds(second)).toEqual(['unchanged']);
    expect(mutations(stack.fakes.prowlarr).slice(before)).toEqual(['POST /api/v1/command']);
  });
});

describe('Plex notices imports', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(['plex', 'radarr', 'sonarr', 'lidarr']);
  });
  afterAll(async () => {
    await stack?.close();
  });

  test('scan-on-change and partial scan are turned on through /:/prefs, then nothing is planned', async () => {
    const { first, second } = await converge(plexScanPrefs(), stack.ctx());
    expect(first[0]).toMatchObject({ kind: 'update', fields: ['FSEventLibraryUpdatesEnabled', 'FSEventLibraryPartialScanEnabled'] });
    expect(kinds(second)).toEqual(['unchanged']);
    expect(stack.fakes.plex!.state.preferences).toMatchObject({ FSEventLibraryUpdatesEnabled: '1', FSEventLibraryPartialScanEnabled: '1' });
  });

  test('before the libraries exist the app refuses the notification (hence the dependency on plex.libraries)', async () => {
    expect(arrPlexNotification('radarr').dependsOn).toContain('plex.libraries');
    const hookup = arrPlexNotification('radarr');
    await expect(hookup.apply(stack.ctx(), await hookup.plan(stack.ctx()))).rejects.toThrow(/At least one Movie library is required/);
  });

  test('each app gets a Plex Media Server notification on import, upgrade and rename, with the token masked', async () => {
    await converge(plexLibraries(), stack.ctx());
    for (const app of ['radarr', 'sonarr', 'lidarr'] as const) {
      const { first, second } = await converge(arrPlexNotification(app), stack.ctx());
      expect([app, kinds(first), kinds(second)]).toEqual([app, ['create'], ['unchanged']]);
      const [notification] = await stack.clients[app].notifications.list();
      const importFlag = app === 'lidarr' ? 'onReleaseImport' : 'onDownload';
      expect(notification).toMatchObject({ implementation: 'PlexServer', [importFlag]: true, onUpgrade: true, onRename: true });
      const values = Object.fromEntries(notification!.fields.map((f) => [f.name, f.value]));
      expect(values).toMatchObject({ host: 'plex', port: 32400, useSsl: false, updateLibrary: true, authToken: '********' });
    }
    const rotated = await arrPlexNotification('sonarr').plan(
      stack.ctx({ secrets: { ...stack.secrets, PLEX_TOKEN: 'another-token-1234' } }),
    );
    expect(rotated[0]).toMatchObject({ kind: 'update', fields: ['authToken'] });
  });
});
