import { describe, expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInit, type InitDeps } from '../../src/commands/init.js';
import { loadAnswersFile } from '../../src/config/answers-file.js';
import { latestConfig } from '../../src/state/configs.js';
import { openState } from '../../src/state/db.js';
import { mergeAnswers } from '../../src/config/answers.js';
import { buildConfig } from '../../src/config/build.js';
import { answersFromConfig, defaultAnswers } from '../../src/config/defaults.js';
import { answersFromFlags } from '../../src/config/flags.js';
import { stackConfigSchema } from '../../src/config/schema.js';
import { labelsUsed } from '../../src/engine/config.js';
import { memoryLogger } from '../../src/ui/logger.js';
import { placement, SHARED_MEDIA_NOTE } from '../../src/wizard/placement.js';
import { scriptedPrompts } from '../helpers/prompts.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { usageMessage } from '../helpers/failures.js';

const temp = useTempDirs();
const HOST = { puid: 1000, pgid: 100, tz: 'UTC', hostAddress: '192.168.1.20' };

const build = (home: string, flags: Parameters<typeof answersFromFlags>[0]) =>
  buildConfig(mergeAnswers(defaultAnswers(home, HOST), answersFromFlags(flags)));

describe('engine and placement answers', () => {
  test('--engine swarm and repeated --place become the config; one service may get two constraints', () => {
    const built = build('/srv/plexarr', {
      engine: 'swarm',
      place: ['plex=node.labels.gpu==true', 'nzbget=node.hostname==box2', 'plex=node.role!=manager'],
    });
    expect(built.ok && built.config.engine).toBe('swarm');
    expect(built.ok && built.config.placements).toEqual({
      plex: ['node.labels.gpu==true', 'node.role!=manager'],
      nzbget: ['node.hostname==box2'],
    });
    expect(built.ok && labelsUsed(built.config.placements)).toEqual(['gpu']);
  });

  test('the default engine is compose and a compose config has neither key (saved configs read back unchanged)', () => {
    const built = build('/srv/plexarr', {});
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect('engine' in built.config).toBe(false);
    expect('placements' in built.config).toBe(false);
    expect(build('/srv/plexarr', { engine: 'compose' })).toEqual(built);
    const { engine: _e, placements: _p, ...older } = built.config;
    expect(stackConfigSchema.parse(older)).toEqual(built.config);
  });

  test('bad values exit with the flag and the value named', async () => {
    expect(await usageMessage(() => answersFromFlags({ engine: 'k8s' }))).toBe('--engine: must be one of: compose, swarm (got k8s)');
    expect(await usageMessage(() => answersFromFlags({ place: ['plex'] }))).toBe(
      '--place: must look like <service>=<constraint>, e.g. plex=node.labels.gpu==true (got plex)',
    );
    expect(await usageMessage(() => answersFromFlags({ place: ['plex=node.label.gpu=true'] }))).toContain(
      '--place plex: must look like node.labels.<label>==<value>',
    );
    expect(await usageMessage(() => answersFromFlags({ place: ['plex=node.labels.gpu==true; rm'] }))).toContain(
      '(got node.labels.gpu==true; rm)',
    );
    expect(await usageMessage(() => answersFromFlags({ place: ['plexx=node.role==manager'] }))).toContain(
      '--place plexx: is not a known service',
    );
  });

  test('a placement needs --engine swarm and a chosen service', () => {
    const compose = build('/srv/plexarr', { place: ['plex=node.labels.gpu==true'] });
    expect(compose.ok ? [] : compose.issues).toEqual([
      { path: ['place', 'plex'], message: 'places a service on a Swarm node; it needs --engine swarm', value: ['node.labels.gpu==true'] },
    ]);
    const off = build('/srv/plexarr', { engine: 'swarm', place: ['npm=node.role==manager'] });
    expect(off.ok ? [] : off.issues.map((i) => i.message)).toEqual(['places npm, which is not among the chosen services']);
  });

  test('answers file: engine and a place map (one constraint or a list); unknown services rejected by key', async () => {
    const dir = temp.make();
    const file = join(dir, 'answers.yaml');
    writeFileSync(file, 'engine: swarm\nplace:\n  plex: node.labels.gpu==true\n  nzbget: [node.hostname==box2, node.labels.disks==yes]\n');
    const answers = await loadAnswersFile(file);
    const built = buildConfig(mergeAnswers(defaultAnswers(dir, HOST), answers));
    expect(built.ok && built.config.placements).toEqual({
      plex: ['node.labels.gpu==true'],
      nzbget: ['node.hostname==box2', 'node.labels.disks==yes'],
    });
    writeFileSync(file, 'engine: swarm\nplace:\n  plexx: node.role==manager\n');
    await expect(loadAnswersFile(file)).rejects.toThrow('answers.yaml place.plexx: is not a known service');
  });

  test('a saved swarm config is offered back as answers', () => {
    const built = build('/srv/plexarr', { engine: 'swarm', place: ['plex=node.hostname==box2'] });
    if (!built.ok) throw new Error('expected a config');
    expect(answersFromConfig(built.config)).toMatchObject({ engine: 'swarm', place: { plex: ['node.hostname==box2'] } });
  });
});

describe('wizard placement step', () => {
  const base = { defaults: {}, log: memoryLogger() };

  test('compose: asks nothing and does not call docker', async () => {
    let called = 0;
    const answers = { services: ['plex' as const] };
    await placement({ ...base, prompt: scriptedPrompts({}), answers, swarmNodes: async () => (called++, ['box1']) });
    expect(called).toBe(0);
    expect(answers).toEqual({ services: ['plex'] });
  });

  test('swarm: one node question per chosen service from docker node ls, warns about the shared media root', async () => {
    const log = memoryLogger();
    const prompt = scriptedPrompts({ 'place.plex': 'box2', 'place.radarr': '*' });
    const answers = {
      engine: 'swarm' as const,
      services: ['radarr' as const, 'plex' as const, 'nzbget' as const],
      place: { nzbget: ['node.labels.disks==yes'] },
    };
    await placement({
      prompt,
      log,
      defaults: { place: { radarr: ['node.hostname==box1'] } },
      answers,
      swarmNodes: async () => ['box1', 'box2'],
    });
    expect(prompt.asked).toEqual(['place.plex', 'place.radarr']);
    expect(prompt.defaults['place.radarr']).toBe('box1');
    expect(prompt.defaults['place.plex']).toBe('*');
    expect(answers.place).toEqual({ plex: ['node.hostname==box2'], nzbget: ['node.labels.disks==yes'] });
    expect(log.lines).toContain(`! ${SHARED_MEDIA_NOTE}`);
  });

  test('swarm without node names (not a manager): no question, says how to pin one', async () => {
    const log = memoryLogger();
    const answers = { engine: 'swarm' as const, services: ['plex' as const] };
    await placement({ prompt: scriptedPrompts({}), log, defaults: {}, answers, swarmNodes: async () => [] });
    expect(answers).toEqual({ engine: 'swarm', services: ['plex'] });
    expect(log.lines.join('\n')).toContain('use --place to pin one');
  });
});

describe('init with --engine swarm', () => {
  function initDeps(home: string, answers: Record<string, unknown> | undefined, nodes: string[] = []): InitDeps {
    return {
      log: memoryLogger(),
      cwd: home,
      env: {},
      interactive: answers !== undefined,
      prompt: async () => scriptedPrompts(answers ?? {}),
      host: () => HOST,
      portInUse: async () => false,
      dockerEngine: async () => ({ id: 'docker.daemon', status: 'warn', message: 'not asked in this test' }),
      swarmNodes: async () => nodes,
    };
  }
  const saved = (home: string) => {
    const state = openState(home, { readonly: true });
    try {
      return latestConfig(state.db);
    } finally {
      state.close();
    }
  };

  test('the wizard asks each chosen service its node from docker node ls, and the stack file places it', async () => {
    const home = temp.make();
    const answers = {
      mediaRoot: join(home, 'media'),
      configRoot: undefined,
      puid: undefined,
      pgid: undefined,
      tz: undefined,
      services: ['plex', 'radarr'],
      adminUser: undefined,
      adminPassword: '',
      plexToken: '',
      qualityProfile: 'hd',
      'place.plex': 'box2',
      'place.radarr': '*',
      hostAddress: undefined,
      keepPorts: true,
      confirm: true,
      deployNow: false,
    };
    await runInit({ home, engine: 'swarm' }, initDeps(home, answers, ['box1', 'box2']));
    expect(saved(home)).toMatchObject({ engine: 'swarm', placements: { plex: ['node.hostname==box2'] } });
    const stack = readFileSync(join(home, 'generated-config/docker-compose.yml'), 'utf8');
    expect(stack).toContain('- node.hostname==box2');
    expect(stack).not.toContain('container_name');
  });

  test('a re-run keeps the engine and placements; choosing compose drops the saved placements', async () => {
    const home = temp.make();
    await runInit({ home, yes: true, engine: 'swarm', place: ['plex=node.labels.gpu==true'] }, initDeps(home, undefined));
    await runInit({ home, yes: true }, initDeps(home, undefined));
    expect(saved(home)).toMatchObject({ engine: 'swarm', placements: { plex: ['node.labels.gpu==true'] } });
    await runInit({ home, yes: true, engine: 'compose' }, initDeps(home, undefined));
    const config = saved(home);
    expect(config && ('engine' in config || 'placements' in config)).toBe(false);
    expect(readFileSync(join(home, 'generated-config/docker-compose.yml'), 'utf8')).toContain('container_name: plex');
  });
});
