import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { isTransient } from '../../src/coordinate/errors.js';
import { maintainerrPlex } from '../../src/coordinate/hookups/maintainerr-plex.js';
import { maintainerrRequests } from '../../src/coordinate/hookups/maintainerr-requests.js';
import { memoryApplied } from './helpers.js';
import { converge, kinds, mutations, startTestStack, type TestStack } from './hookups-stack.js';
import { plexarrCommand } from '../../src/ui/invocation.js';

/**
 * Maintainerr shows its Plex token and Seerr key masked in `GET /api/settings`: the Plex token is
 * planned from its masked form and the fingerprint of what plexarr applied, the Seerr key from
 * `GET /api/settings/seerr`.
 */
describe('Maintainerr Plex token and request-manager key against the masking fake', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(['plex', 'requests', 'maintainerr']);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const maintainerr = () => stack.fakes.maintainerr!;
  const settings = () => maintainerr().state.settings;
  const since = (mark: number) => ({ ...maintainerr(), log: maintainerr().log.slice(mark) });
  const plexTokenPlan = async (ctx = stack.ctx()) => (await maintainerrPlex().plan(ctx))[0]!;

  test('Plex: switch, token, auth test, address; then linked from the masked token with GETs only', async () => {
    const mark = maintainerr().log.length;
    const { first, second } = await converge(maintainerrPlex(), stack.ctx());
    expect(first).toEqual([
      expect.objectContaining({ kind: 'update', fields: ['media_server_type', 'plex_auth_token', 'plex_hostname', 'plex_ssl'] }),
    ]);
    expect(kinds(second)).toEqual(['unchanged']);
    const calls = since(mark).log.filter((e) => e.method !== 'GET' || e.path.startsWith('/api/settings/test'));
    expect(calls.map((e) => `${e.method} ${e.path}`)).toEqual([
      'POST /api/settings/media-server/switch',
      'POST /api/settings/plex/token',
      'GET /api/settings/test/plex/auth',
      'PATCH /api/settings',
    ]);
    expect(settings()).toMatchObject({
      media_server_type: 'plex',
      plex_auth_token: stack.secrets.PLEX_TOKEN,
      plex_hostname: 'plex',
      plex_ssl: 0,
    });
    const shown = (await stack.clients.maintainerr.settings()).plex_auth_token;
    expect(shown).not.toBe(stack.secrets.PLEX_TOKEN);
    expect(shown).toMatch(/^plx\.\.\.\w{3}$/);

    const again = maintainerr().log.length;
    expect(kinds(await maintainerrPlex().plan(stack.ctx()))).toEqual(['unchanged']);
    expect(mutations(since(again))).toEqual([]);
  });

  test('a token plexarr never recorded, one changed in Maintainerr, and a rotated one with the same mask are each sent again', async () => {
    expect(await plexTokenPlan(stack.ctx({ applied: memoryApplied() }))).toMatchObject({ kind: 'update', fields: ['plex_auth_token'] });

    settings().plex_auth_token = 'set-in-the-maintainerr-ui';
    expect(await plexTokenPlan()).toMatchObject({ kind: 'update', fields: ['plex_auth_token'] });
    expect(kinds((await converge(maintainerrPlex(), stack.ctx())).second)).toEqual(['unchanged']);
    expect(settings().plex_auth_token).toBe(stack.secrets.PLEX_TOKEN);

    // Same first and last 3 characters, so the same masked form: only the fingerprint tells them apart.
    const old = stack.secrets.PLEX_TOKEN!;
    const rotated = `${old.slice(0, 3)}-rotated-${old.slice(-3)}`;
    const tv = stack.fakes.plextv!.state;
    tv.tokens[rotated] = tv.tokens[old];
    const rotatedCtx = stack.ctx({ secrets: { ...stack.secrets, PLEX_TOKEN: rotated } });
    const { first, second } = await converge(maintainerrPlex(), rotatedCtx);
    expect(first).toEqual([expect.objectContaining({ kind: 'update', fields: ['plex_auth_token'] })]);
    expect(kinds(second)).toEqual(['unchanged']);
    expect(settings().plex_auth_token).toBe(rotated);
    expect(await plexTokenPlan()).toMatchObject({ kind: 'update', fields: ['plex_auth_token'] });
    expect(kinds((await converge(maintainerrPlex(), stack.ctx())).second)).toEqual(['unchanged']);
  });

  test('a token plex.tv refuses fails after applying, says what to do, and is not recorded', async () => {
    const refused = 'refused-token-0000000';
    const ctx = stack.ctx({ secrets: { ...stack.secrets, PLEX_TOKEN: refused } });
    const plan = await maintainerrPlex().plan(ctx);
    const failure = await maintainerrPlex()
      .apply(ctx, plan)
      .catch((e: unknown) => e as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe(
      `Maintainerr: plex.tv does not accept the Plex account token (Stored Plex credentials are invalid. Re-authenticate with Plex.) — run \`${plexarrCommand('coordinate --plex-token <token>')}\` (stored for next time)`,
    );
    expect(isTransient(failure)).toBe(false);
    expect(await plexTokenPlan(ctx)).toMatchObject({ kind: 'update', fields: ['plex_auth_token'] });
    expect(kinds((await converge(maintainerrPlex(), stack.ctx())).second)).toEqual(['unchanged']);
  });

  test('plex.tv out of reach from Maintainerr is a transient failure (the runner tries again)', async () => {
    settings().plex_auth_token = 'set-in-the-maintainerr-ui';
    const tv = stack.fakes.plextv as unknown as { setFaults(f: { errorRate: number }): void };
    tv.setFaults({ errorRate: 1 });
    try {
      const ctx = stack.ctx();
      const failure = await maintainerrPlex()
        .apply(ctx, await maintainerrPlex().plan(ctx))
        .catch((e: unknown) => e as Error);
      expect((failure as Error).message).toMatch(
        /^Maintainerr could not ask plex\.tv about the Plex account token: Couldn't reach plex\.tv/,
      );
      expect(isTransient(failure)).toBe(true);
    } finally {
      tv.setFaults({ errorRate: 0 });
    }
    expect(kinds((await converge(maintainerrPlex(), stack.ctx())).second)).toEqual(['unchanged']);
  });

  test('request manager: the key read whole from /api/settings/seerr; a changed key or URL is sent again', async () => {
    const { first, second } = await converge(maintainerrRequests(), stack.ctx());
    expect(first).toEqual([expect.objectContaining({ kind: 'update', fields: ['seerr_url', 'seerr_api_key'] })]);
    expect(kinds(second)).toEqual(['unchanged']);
    expect(settings()).toMatchObject({ seerr_url: 'http://seerr:5055', seerr_api_key: stack.secrets.REQUESTS_API_KEY });
    expect((await stack.clients.maintainerr.settings()).seerr_api_key).not.toBe(stack.secrets.REQUESTS_API_KEY);

    Object.assign(settings(), { seerr_url: 'http://Seerr:5055', seerr_api_key: 'changed-in-the-ui-key' });
    const mark = maintainerr().log.length;
    const { first: drift, second: after } = await converge(maintainerrRequests(), stack.ctx());
    expect(drift).toEqual([expect.objectContaining({ kind: 'update', fields: ['seerr_url', 'seerr_api_key'] })]);
    expect(kinds(after)).toEqual(['unchanged']);
    expect(mutations(since(mark))).toEqual(['POST /api/settings/seerr']);
    expect(settings()).toMatchObject({ seerr_url: 'http://seerr:5055', seerr_api_key: stack.secrets.REQUESTS_API_KEY });
  });
});
