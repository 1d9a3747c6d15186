import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { arrRootFolder } from '../../src/coordinate/hookups/arr-root-folder.js';
import { plexLibraries } from '../../src/coordinate/hookups/plex-libraries.js';
import { requestsAdmin } from '../../src/coordinate/hookups/requests-admin.js';
import { requestsLibraries } from '../../src/coordinate/hookups/requests-libraries.js';
import { requestsPlex } from '../../src/coordinate/hookups/requests-plex.js';
import { requestsServer } from '../../src/coordinate/hookups/requests-servers.js';
import { converge, kinds, startTestStack, type TestStack } from './hookups-stack.js';
import { plexarrCommand } from '../../src/ui/invocation.js';

/** The request-manager hookups against what a real Seerr 3 does that the first fake did not (issue 9). */

describe('request-manager hookups on real-Seerr behaviour', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(['plex', 'radarr', 'sonarr', 'requests']);
    await converge(requestsAdmin(), stack.ctx());
  });
  afterAll(async () => {
    await stack?.close();
  });

  test('a Plex token plex.tv refuses: Seerr says only "Unable to authenticate.", plexarr says what to do', async () => {
    const bad = stack.ctx({ secrets: { ...stack.secrets, PLEX_TOKEN: 'not-a-plex-token' } });
    const said = await requestsAdmin()
      .apply(bad, [{ kind: 'create', target: 'admin' }])
      .catch((e: Error) => e);
    expect(String(said)).toContain(
      `plex.tv does not accept the Plex account token — run \`${plexarrCommand('coordinate --plex-token <token>')}\``,
    );
    expect(String((said as Error).cause)).toContain('Unable to authenticate.');
  });

  test('a root folder created after Seerr cached its Radarr test is found in Radarr itself', async () => {
    const ctx = stack.ctx();
    const c = { hostname: 'radarr', port: 7878, apiKey: stack.secrets.RADARR_API_KEY!, useSsl: false, baseUrl: '' };
    expect((await ctx.clients.requests.testServer('radarr', c)).rootFolders).toEqual([]);
    await converge(arrRootFolder('radarr'), ctx);
    // Seerr still answers from its cache: without the folder.
    expect((await ctx.clients.requests.testServer('radarr', c)).rootFolders).toEqual([]);
    const { first, second } = await converge(requestsServer('radarr'), ctx);
    expect(kinds(first)).toEqual(['create']);
    expect(kinds(second)).toEqual(['unchanged']);
    expect(stack.fakes.requests!.state.settings.radarr[0]).toMatchObject({ activeDirectory: '/data/media/movies' });
  });

  test('Sonarr v4 (languageProfiles: null) converges', async () => {
    await converge(arrRootFolder('sonarr'), stack.ctx());
    const { second } = await converge(requestsServer('sonarr'), stack.ctx());
    expect(kinds(second)).toEqual(['unchanged']);
    expect(stack.fakes.requests!.state.settings.sonarr[0]).toMatchObject({ activeLanguageProfileId: 1, activeAnimeLanguageProfileId: 1 });
  });

  test("the name a user gave plexarr's entry is kept, also when plexarr updates the entry", async () => {
    const entry = stack.fakes.requests!.state.settings.radarr[0];
    entry.name = 'Films (4 TB disk)';
    expect(kinds(await requestsServer('radarr').plan(stack.ctx()))).toEqual(['unchanged']);
    entry.apiKey = 'rotated-elsewhere';
    const { first, second } = await converge(requestsServer('radarr'), stack.ctx());
    expect(first).toEqual([expect.objectContaining({ kind: 'update', fields: ['apiKey'] })]);
    expect(kinds(second)).toEqual(['unchanged']);
    expect(stack.fakes.requests!.state.settings.radarr).toEqual([
      expect.objectContaining({ name: 'Films (4 TB disk)', apiKey: stack.secrets.RADARR_API_KEY }),
    ]);
  });

  test('libraries: a sync Seerr answers with [] (Plex unreachable) fails with a sentence, never "done"', async () => {
    await converge(plexLibraries(), stack.ctx());
    await converge(requestsPlex(), stack.ctx());
    const settings = stack.fakes.requests!.state.settings;
    // Seerr can no longer reach Plex (renamed container, network change): its saved address is wrong.
    settings.plex.ip = 'plex-gone';
    const hookup = requestsLibraries();
    const plan = await hookup.plan(stack.ctx());
    expect(plan[0]).toMatchObject({ kind: 'update' });
    await expect(hookup.apply(stack.ctx(), plan)).rejects.toThrow(
      `Seerr answered the library update with no libraries at all: it could not read them from Plex. Check that Seerr reaches Plex (hookup requests.plex), then run \`${plexarrCommand('coordinate --retry')}\`.`,
    );
    settings.plex.ip = 'plex';
    const { second } = await converge(hookup, stack.ctx());
    expect(kinds(second)).toEqual(['unchanged']);
  });
});
