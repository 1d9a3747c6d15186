import { afterEach, expect, it } from '@jest/globals';
import { nzbgetMissing } from '../fakes/nzbget.js';
import { describeNeeding } from '../helpers/tiers.js';
import { startSim } from './harness.js';

/**
 * Seerr/Overseerr never answer a settings save that overlaps another (their temp-file rename
 * fails inside an async route). The fake does the same, so a run that sent requests.radarr's and
 * requests.sonarr's saves together would wait out the 30 s request timeout; plexarr queues the
 * app's writes, so the run stays as fast as on a Seerr without the hang.
 * Needs `npm run build` first (the CLI runs from dist/).
 */

let sim: Awaited<ReturnType<typeof startSim>> | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describeNeeding(nzbgetMissing())('the Seerr overlapping-save hang against the fakes and a real NZBGet', () => {
  it('a fresh coordinate with the overlapping-save hang on: nothing left unanswered, no 30 s wait', async () => {
    sim = await startSim();
    const seerr = sim.stack.services.get('seerr')!;
    expect(seerr.state.quirks.overlappingSaveHangs).toBe(true);
    sim.resetLogs();
    const started = Date.now();
    const run = await sim.coordinate();
    const took = Date.now() - started;
    expect(run.code).toBe(0);
    const log = seerr.log as { method: string; path: string; status: number }[];
    const saves = log.filter((e) => e.method !== 'GET' || e.path.endsWith('/settings/plex/library'));
    expect(saves.map((e) => `${e.method} ${e.path}`)).toEqual(
      expect.arrayContaining(['POST /api/v1/settings/radarr', 'POST /api/v1/settings/sonarr']),
    );
    expect(log.filter((e) => e.status === 0)).toEqual([]);
    // A hung save costs the 30 s request timeout; the whole run takes ~1.5 s on the fakes.
    expect(took).toBeLessThan(20_000);
  }, 120_000);
});
