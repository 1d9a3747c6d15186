import { describe, expect, jest, test } from '@jest/globals';
import type { InitDeps } from '../../src/commands/init.js';
import { WorkError } from '../../src/errors.js';
import { memoryLogger } from '../../src/ui/logger.js';
import { snapshotDir } from '../helpers/dir-snapshot.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

/**
 * The last line of defence: whatever the templates say, `init` validates the compose file it is
 * about to write against the Compose specification, and writes nothing when it is not valid.
 */

const real = await import('../../src/compose/template.js');
jest.unstable_mockModule('../../src/compose/template.js', () => ({
  ...real,
  // Radarr's template with a misspelt key, as a bad edit to templates/services/radarr.yml would give.
  loadTemplate: (name: string) =>
    name === 'radarr' ? { ...(real.loadTemplate(name) as object), restrat: 'always' } : real.loadTemplate(name),
}));
const { runInit } = await import('../../src/commands/init.js');

const temp = useTempDirs();

describe('plexarr init with a broken template', () => {
  test('refuses with the Compose error and writes nothing', async () => {
    const home = temp.make();
    const d: InitDeps = {
      log: memoryLogger(),
      cwd: home,
      env: {},
      interactive: false,
      prompt: async () => {
        throw new Error('no prompts with --yes');
      },
      host: () => ({ puid: 1000, pgid: 1000, tz: 'UTC', hostAddress: '127.0.0.1' }),
      portInUse: async () => false,
      dockerEngine: async () => {
        throw new Error('no Docker engine check: init refuses before any deploy is offered');
      },
    };
    const err = await runInit({ home, yes: true }, d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkError);
    expect((err as Error).message).toMatch(/not valid Compose:\n {2}\/services\/radarr must NOT have additional properties \(restrat\)/);
    expect(snapshotDir(home)).toEqual({});
  });
});
