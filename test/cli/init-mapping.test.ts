import { describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { buildProgram, type CommandName } from '../../src/cli.js';
import { CancelledError, UsageError, WorkError } from '../../src/errors.js';
import { handleError } from '../../src/ui/handle-error.js';
import { memoryLogger } from '../../src/ui/logger.js';

/** argv → (command, options) without spawning anything; and errors → exit codes. */

async function parse(argv: string[]): Promise<{ name: CommandName; options: Record<string, unknown> }> {
  let got: { name: CommandName; options: Record<string, unknown> } | undefined;
  const program = buildProgram(async (name, options) => {
    got = { name, options };
  });
  program.configureOutput({ writeOut: () => {}, writeErr: () => {} });
  await program.parseAsync(['node', 'plexarr', ...argv]);
  if (!got) throw new Error('no command ran');
  return got;
}

describe('argv → options', () => {
  test('init: every question flag, repeatable --port, --yes/--force', async () => {
    const { name, options } = await parse([
      'init',
      '--yes',
      '--force',
      '--home',
      '/h',
      '--config',
      'a.yaml',
      '--media-root',
      '/m',
      '--config-root',
      '/c',
      '--puid',
      '1',
      '--pgid',
      '2',
      '--tz',
      'UTC',
      '--host-address',
      'nas',
      '--services',
      'plex,radarr',
      '--port',
      'radarr=1',
      '--port',
      'npm.http=2',
      '--request-manager',
      'overseerr',
      '--admin-user',
      'u',
      '--admin-password',
      'p',
      '--plex-token',
      't',
      '--wireguard-peers',
      '2',
      '--wireguard-server-url',
      'auto',
      '--npm-email',
      'a@b.c',
      '--domain',
      'b.c',
      '--json',
    ]);
    expect(name).toBe('init');
    expect(options).toEqual({
      yes: true,
      force: true,
      home: '/h',
      config: 'a.yaml',
      mediaRoot: '/m',
      configRoot: '/c',
      puid: '1',
      pgid: '2',
      tz: 'UTC',
      hostAddress: 'nas',
      services: 'plex,radarr',
      port: ['radarr=1', 'npm.http=2'],
      requestManager: 'overseerr',
      adminUser: 'u',
      adminPassword: 'p',
      plexToken: 't',
      wireguardPeers: '2',
      wireguardServerUrl: 'auto',
      npmEmail: 'a@b.c',
      domain: 'b.c',
      json: true,
    });
  });

  test.each([
    [['deploy', '--no-coordinate', '--dry-run', '--timeout', '60'], { coordinate: false, dryRun: true, timeout: '60' }],
    [
      ['coordinate', '--retry', '--only', 'radarr:*', '--concurrency', '4', '--plex-token', 'x'],
      { retry: true, only: ['radarr:*'], concurrency: '4', plexToken: 'x' },
    ],
    [['status', '--json', '--live', '--host', '10.0.0.2'], { json: true, live: true, host: '10.0.0.2' }],
    [['doctor', '--json'], { json: true }],
    [['down', '--home', '/h'], { home: '/h' }],
    [['credentials', '--json'], { json: true }],
  ])('%j', async (argv, expected) => {
    const { name, options } = await parse(argv);
    expect(name).toBe(argv[0]);
    expect(options).toMatchObject(expected);
  });

  test('PLEXARR_HOME fills --home', async () => {
    process.env.PLEXARR_HOME = '/from/env';
    try {
      expect((await parse(['status'])).options.home).toBe('/from/env');
      expect((await parse(['status', '--home', '/flag'])).options.home).toBe('/flag');
    } finally {
      delete process.env.PLEXARR_HOME;
    }
  });
});

describe('errors → exit codes', () => {
  test('expected failures print a message, no stack', () => {
    const log = memoryLogger();
    expect(handleError(new UsageError('--tz: is not a known time zone (got X)'), log)).toBe(2);
    expect(handleError(new WorkError('compose failed'), log)).toBe(1);
    expect(handleError(new CancelledError(), log)).toBe(130);
    expect(log.lines.join('\n')).not.toMatch(/\n\s+at /);
  });

  test('Ctrl-C in a prompt is 130', () => {
    const err = new Error('User force closed the prompt with SIGINT');
    err.name = 'ExitPromptError';
    const log = memoryLogger();
    expect(handleError(err, log)).toBe(130);
    expect(log.lines[0]).toContain('nothing was written');
  });

  test('a ZodError from a command schema is a field list naming flags and values', () => {
    const schema = z.object({ concurrency: z.coerce.number().int().min(1), plexToken: z.string().min(30) });
    const input = { concurrency: '0', plexToken: 'short-token' };
    const result = schema.safeParse(input);
    const log = memoryLogger();
    expect(handleError(result.error, log, input)).toBe(2);
    expect(log.lines[0]).toMatch(/^✖ --concurrency: .* \(got 0\)$/);
    expect(log.lines[1]).toMatch(/^✖ --plex-token: .* \(got \*+\)$/);
  });

  test('anything else is a bug: exit 1 with the stack', () => {
    const log = memoryLogger();
    expect(handleError(new TypeError('boom'), log)).toBe(1);
    expect(log.lines[0]).toContain('TypeError: boom');
  });
});
