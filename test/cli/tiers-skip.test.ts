import { afterAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { NZBGET_BIN, nzbgetMissing } from '../fakes/nzbget.js';
import { INSTALL_LINE } from '../helpers/summary-reporter.js';
import { describeNeeding } from '../helpers/tiers.js';

/**
 * A machine without nzbget or a Docker engine: jest itself is run on a suite that needs them with
 * a PATH that lacks them. The suite skips, the run ends with a line saying what to install and
 * exits 0 — unless PLEXARR_REQUIRE_ALL_TIERS=1 (CI), which makes the same skip a failure.
 */

const bare = mkdtempSync(join(tmpdir(), 'plexarr-bare-path-'));
const nzbgetOnly = mkdtempSync(join(tmpdir(), 'plexarr-nzbget-path-'));
// The inner run's own temp folder (jest keeps its transform cache there too).
const innerTmp = mkdtempSync(join(tmpdir(), 'plexarr-inner-tmp-'));
if (NZBGET_BIN) symlinkSync(NZBGET_BIN, join(nzbgetOnly, 'nzbget'));
afterAll(() => {
  for (const d of [bare, nzbgetOnly, innerTmp]) rmSync(d, { recursive: true, force: true });
});

function jest(suite: string, path: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/jest/bin/jest.js'), '--ci', suite], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      ...process.env,
      PATH: path,
      TMPDIR: innerTmp,
      DOCKER_HOST: '',
      NODE_OPTIONS: '--experimental-vm-modules',
      PLEXARR_REQUIRE_ALL_TIERS: '',
      ...env,
    },
  });
  return { code: r.status, summary: r.stderr.split('\n').filter((l) => /^(SKIPPED|tests:)/.test(l)) };
}

describe('a tier whose system dependency is missing', () => {
  test('is skipped with one line naming what to install, and the run passes', () => {
    expect(jest('test/fakes/arr-download-clients.test.ts', bare)).toEqual({
      code: 0,
      summary: [
        `SKIPPED test/fakes (1 suite): nzbget not found — to run it: ${INSTALL_LINE}`,
        expect.stringMatching(/^tests: [1-9]\d* passed, 0 failed, [1-9]\d* skipped$/),
      ],
    });
  });

  test('fails instead under PLEXARR_REQUIRE_ALL_TIERS=1', () => {
    const r = jest('test/fakes/arr-download-clients.test.ts', bare, { PLEXARR_REQUIRE_ALL_TIERS: '1' });
    expect(r).toEqual({ code: 1, summary: [expect.stringMatching(/^tests: [1-9]\d* passed, 1 failed, 0 skipped$/)] });
  });
});

describeNeeding(nzbgetMissing())('the e2e tier on a machine with nzbget but no Docker', () => {
  test('skips, saying why', () => {
    const r = jest('test/e2e/images.test.ts', nzbgetOnly);
    expect(r.code).toBe(0);
    expect(r.summary[0]).toMatch(
      /^SKIPPED test\/e2e \(1 suite\): no DOCKER_HOST and a private dockerd could not be started: .* — to run it: apt-get install/,
    );
  });
});
