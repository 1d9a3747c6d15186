import { describe, expect, test } from '@jest/globals';
import type { Hookup, HookupContext } from '../../src/coordinate/types.js';
import { checkLive } from '../../src/status/live.js';
import { fixtureConfig, FIXTURE_SECRETS } from './compose-fixtures.js';

type Plan = Hookup['plan'];
const hookup = (id: string, plan: Plan, skip: string | null = null): Hookup => ({
  id,
  title: id,
  services: ['radarr'],
  dependsOn: [],
  skipReason: () => skip,
  plan,
  apply: async () => {
    throw new Error('status must never apply');
  },
});

const applied = { matches: () => true, record: () => undefined };
const opts = { config: fixtureConfig(), secrets: FIXTURE_SECRETS, clients: {}, applied, timeoutMs: 300, concurrency: 2 };

describe('checkLive', () => {
  test('unchanged → linked, changes → drift (field names only), throw → failed, skipped → not asked', async () => {
    const seen: HookupContext[] = [];
    const results = await checkLive(
      [
        hookup('a', async (ctx) => {
          seen.push(ctx);
          return [{ kind: 'unchanged', target: 'x' }];
        }),
        hookup('b', async () => [
          { kind: 'unchanged', target: 'x' },
          {
            kind: 'update',
            target: 'NZBGet client in Radarr',
            fields: ['password', 'host'],
            data: { password: FIXTURE_SECRETS.NZBGET_PASS },
          },
        ]),
        hookup('c', async () => {
          throw new Error('Radarr could not be reached on GET /api/v3/rootfolder: ECONNREFUSED');
        }),
        hookup('d', async () => [], 'no Plex token'),
      ],
      opts,
    );
    expect(Object.fromEntries(results)).toEqual({
      a: { state: 'linked' },
      b: { state: 'drift', changes: ['update NZBGet client in Radarr (password, host)'] },
      c: { state: 'failed', reason: 'Radarr could not be reached on GET /api/v3/rootfolder: ECONNREFUSED' },
    });
    expect(seen[0]).toMatchObject({ dryRun: true, applied });
  });

  test('a hung app does not hang the dashboard', async () => {
    const started = Date.now();
    const results = await checkLive([hookup('slow', () => new Promise(() => {}))], opts);
    expect(results.get('slow')).toEqual({ state: 'failed', reason: 'no answer within 0.3 s' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('at most `concurrency` plans at once', async () => {
    let active = 0;
    let peak = 0;
    const plan: Plan = async () => {
      peak = Math.max(peak, ++active);
      await new Promise((r) => setTimeout(r, 20));
      active -= 1;
      return [];
    };
    await checkLive(
      ['a', 'b', 'c', 'd', 'e'].map((id) => hookup(id, plan)),
      opts,
    );
    expect(peak).toBe(2);
  });
});
