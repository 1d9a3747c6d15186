import { describe, expect, jest, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInit, type InitDeps } from '../../src/commands/init.js';
import { CancelledError } from '../../src/errors.js';
import { isPromptCancel } from '../../src/ui/handle-error.js';
import { memoryLogger } from '../../src/ui/logger.js';
import { snapshotDir } from '../helpers/dir-snapshot.js';
import { scriptedPrompts } from '../helpers/prompts.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

/** The whole interactive `init`, driven by answers given by question name. */

const temp = useTempDirs();

function deps(home: string, answers: Record<string, unknown>, extra: Partial<InitDeps> = {}) {
  const prompt = scriptedPrompts(answers);
  const log = memoryLogger();
  const d: InitDeps = {
    log,
    cwd: home,
    env: {},
    interactive: true,
    prompt: async () => prompt,
    host: () => ({ puid: 1000, pgid: 1000, tz: 'Europe/Berlin', hostAddress: '10.0.0.5' }),
    portInUse: async () => false,
    ...extra,
  };
  return { d, prompt, log };
}

const everyDefault = (home: string) => ({
  mediaRoot: join(home, 'media'),
  configRoot: undefined,
  puid: undefined,
  pgid: undefined,
  tz: undefined,
  services: undefined,
  requestManager: undefined,
  qualityProfile: undefined,
  adminUser: undefined,
  adminPassword: '',
  plexToken: '',
  hostAddress: undefined,
  keepPorts: true,
  confirm: true,
});

/** What @inquirer throws when the user presses Ctrl-C. */
class ExitPromptError extends Error {
  override name = 'ExitPromptError';
}

describe('plexarr init (wizard)', () => {
  test('asks Welcome → System → Services → Network → Review, then writes', async () => {
    const home = temp.make();
    const runCommand = jest.fn(async (_name: string, _options: Record<string, unknown>) => undefined);
    const { d, prompt, log } = deps(home, { ...everyDefault(home), deploy: false }, { runCommand });
    const result = await runInit({ home }, d);
    expect(prompt.asked).toEqual(['mediaRoot', 'configRoot', 'puid', 'pgid', 'tz', 'services', 'requestManager', 'qualityProfile', 'adminUser', 'adminPassword', 'plexToken', 'hostAddress', 'keepPorts', 'confirm', 'deploy']);
    expect(result.configId).toBe(1);
    expect(readFileSync(result.files.composeFile, 'utf8')).toContain(`${home}/media:/data`);
    expect(runCommand).not.toHaveBeenCalled();
    expect(log.lines.join('\n')).toContain(`Next: plexarr deploy`);
  });

  test('flags answer their questions; a re-run offers the saved answers and deploy runs when accepted', async () => {
    const home = temp.make();
    await runInit({ home, yes: true, tz: 'Asia/Tokyo', services: 'plex,radarr,nzbget' }, deps(home, {}).d);
    const runCommand = jest.fn(async (_name: string, _options: Record<string, unknown>) => undefined);
    const { d, prompt } = deps(home, { ...everyDefault(home), mediaRoot: undefined, deploy: true }, { runCommand });
    await runInit({ home, adminUser: 'boss' }, d);
    expect(prompt.asked).not.toContain('adminUser');
    expect(prompt.asked).not.toContain('requestManager');
    expect(prompt.defaults.tz).toBe('Asia/Tokyo');
    expect(prompt.defaults.services).toEqual(['plex', 'radarr', 'nzbget']);
    expect(runCommand).toHaveBeenCalledWith('deploy', { home });
  });

  test('Ctrl-C at any question writes nothing', async () => {
    const home = temp.make();
    const { d } = deps(home, { ...everyDefault(home), services: new ExitPromptError('User force closed the prompt') });
    const err = await runInit({ home }, d).catch((e: unknown) => e);
    expect(isPromptCancel(err)).toBe(true);
    expect(snapshotDir(home)).toEqual({});
  });

  test('declining the review writes nothing', async () => {
    const home = temp.make();
    const { d } = deps(home, { ...everyDefault(home), confirm: false });
    await expect(runInit({ home }, d)).rejects.toBeInstanceOf(CancelledError);
    expect(snapshotDir(home)).toEqual({});
    expect(existsSync(join(home, 'plexarr.db'))).toBe(false);
  });

  test('--yes at a terminal asks nothing', async () => {
    const home = temp.make();
    const { d, prompt } = deps(home, {});
    await runInit({ home, yes: true }, d);
    expect(prompt.asked).toEqual([]);
  });
});
