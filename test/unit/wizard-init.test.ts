import { describe, expect, jest, test } from '@jest/globals';
import { chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInit, type InitDeps } from '../../src/commands/init.js';
import { CancelledError } from '../../src/errors.js';
import { isPromptCancel } from '../../src/ui/handle-error.js';
import { INSTALL_FIX } from '../../src/doctor/docker-installed.js';
import { ownerIds } from '../../src/host/ids.js';
import { plexarrCommand } from '../../src/ui/invocation.js';
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
    dockerEngine: async () => ({ id: 'docker.daemon', status: 'ok', message: 'Docker Engine 24.0.5 is reachable' }),
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
    expect(prompt.asked).toEqual([
      'mediaRoot',
      'configRoot',
      'puid',
      'pgid',
      'tz',
      'services',
      'requestManager',
      'qualityProfile',
      'adminUser',
      'adminPassword',
      'plexToken',
      'hostAddress',
      'keepPorts',
      'confirm',
      'deploy',
    ]);
    expect(result.configId).toBe(1);
    expect(readFileSync(result.files.composeFile, 'utf8')).toContain(`${home}/media:/data`);
    expect(runCommand).not.toHaveBeenCalled();
    expect(log.lines.at(-1)).toBe(`Next: ${plexarrCommand('deploy')}`);
  });

  test('without a Docker engine "Deploy now?" defaults to No and says what to install or start', async () => {
    const home = temp.make();
    const runCommand = jest.fn(async (_name: string, _options: Record<string, unknown>) => undefined);
    const dockerEngine = async () => ({
      id: 'docker.daemon',
      status: 'fail' as const,
      message: 'the docker command is not installed',
      fix: INSTALL_FIX,
    });
    const { d, prompt, log } = deps(home, { ...everyDefault(home), deploy: undefined }, { runCommand, dockerEngine });
    await runInit({ home }, d);
    expect(prompt.defaults.deploy).toBe(false);
    expect(runCommand).not.toHaveBeenCalled();
    expect(log.lines).toContain('! No Docker engine to deploy to: the docker command is not installed');
    expect(log.lines).toContain(INSTALL_FIX);
  });

  test('with an engine "Deploy now?" defaults to Yes', async () => {
    const home = temp.make();
    const runCommand = jest.fn(async (_name: string, _options: Record<string, unknown>) => undefined);
    const { d, prompt } = deps(home, { ...everyDefault(home), deploy: undefined }, { runCommand });
    await runInit({ home }, d);
    expect(prompt.defaults.deploy).toBe(true);
    expect(runCommand).toHaveBeenCalledWith('deploy', { home });
  });

  test('a re-run that changes the stack shows a summary of the compose changes and the full diff only on request', async () => {
    const home = temp.make();
    await runInit({ home, yes: true, services: 'plex,radarr,nzbget' }, deps(home, {}).d);
    const { d, prompt, log } = deps(home, {
      ...everyDefault(home),
      mediaRoot: undefined,
      services: ['plex', 'radarr', 'sonarr', 'nzbget'],
      showDiff: false,
    });
    await runInit({ home, port: ['radarr=17878'] }, d);
    expect(prompt.messages.adminPassword).toBe('Admin password (empty: keep the current one)');
    const out = log.lines.join('\n');
    expect(out).toContain('Changes to docker-compose.yml:\n  services added: sonarr\n  ports changed: radarr 7878:7878 → 17878:7878\n');
    expect(out).not.toMatch(/^\+ {6}- "17878:7878"/m);
  });

  test("as root without sudo and nobody to ask, the ids come from the media root's owner", async () => {
    const home = temp.make();
    const media = join(home, 'media');
    mkdirSync(media);
    if (process.getuid?.() === 0) chownSync(media, 1234, 2345);
    const expected = ownerIds(media) ?? { puid: 0, pgid: 0 };
    const host = () => ({ puid: 0, pgid: 0, root: true, tz: 'UTC', hostAddress: '10.0.0.5' });
    const { d } = deps(home, {}, { host, interactive: false });
    const result = await runInit({ home, yes: true, mediaRoot: media }, d);
    const compose = readFileSync(result.files.composeFile, 'utf8');
    expect(compose).toContain(`PUID: "${expected.puid}"`);
    expect(compose).toContain(`PGID: "${expected.pgid}"`);
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

  test('Ctrl-C at "Deploy the stack now?" says what was written and how to deploy later', async () => {
    const home = temp.make();
    const runCommand = jest.fn(async (_name: string, _options: Record<string, unknown>) => undefined);
    const { d } = deps(home, { ...everyDefault(home), deploy: new ExitPromptError('User force closed the prompt') }, { runCommand });
    const err = await runInit({ home }, d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledError);
    const message = (err as Error).message;
    expect(message).not.toContain('nothing was written');
    expect(message).toContain(`The configuration is saved in ${join(home, 'plexarr.db')}`);
    expect(message).toContain(join(home, 'generated-config', 'docker-compose.yml'));
    expect(message).toContain(`deploy later with \`${plexarrCommand('deploy')}\``);
    expect(existsSync(join(home, 'generated-config', '.env'))).toBe(true);
    expect(runCommand).not.toHaveBeenCalled();
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
