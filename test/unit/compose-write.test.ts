import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderStack, type RenderedStack } from '../../src/compose/render.js';
import { COMPOSE_SPEC_PATH, validateCompose } from '../../src/compose/validate.js';
import { PACKAGE_ROOT } from '../../src/compose/paths.js';
import { stackPaths } from '../../src/home.js';
import { writeStackFiles } from '../../src/compose/write.js';
import { SERVICE_IDS } from '../../src/config/schema.js';
import { WorkError } from '../../src/errors.js';
import { writeFileAtomic } from '../../src/fs/atomic.js';
import { FIXTURE_SECRETS, fixtureConfig } from './compose-fixtures.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'plexarr-compose-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

describe('stackPaths', () => {
  test('everything lives under the home', () => {
    expect(stackPaths('/h')).toEqual({
      dir: '/h/generated-config',
      composeFile: '/h/generated-config/docker-compose.yml',
      envFile: '/h/generated-config/.env',
      db: '/h/plexarr.db',
    });
  });
});

describe('validateCompose', () => {
  test('uses the Compose specification vendored into the package', () => {
    expect(COMPOSE_SPEC_PATH).toBe(join(PACKAGE_ROOT, 'schemas', 'compose-spec.json'));
    expect(existsSync(COMPOSE_SPEC_PATH)).toBe(true);
  });

  test('names the path and problem of each error', () => {
    const errors = validateCompose({ services: { radarr: { image: 7, restrat: 'always', ports: 'x' } } });
    expect(errors).toEqual(
      expect.arrayContaining([
        '/services/radarr must NOT have additional properties (restrat)',
        '/services/radarr/image must be string',
        '/services/radarr/ports must be array',
      ]),
    );
  });

  test('a missing spec is a packaging bug that throws, never a silent pass', () => {
    expect(() => validateCompose({ services: 'not even an object' }, join(home, 'nope.json'))).toThrow(
      /Compose specification is missing.*nope\.json/,
    );
  });
});

describe('writeStackFiles', () => {
  const rendered = () => renderStack(fixtureConfig(SERVICE_IDS), FIXTURE_SECRETS);

  test('creates generated-config with the compose file and a private .env, no temp files left', () => {
    const paths = writeStackFiles(home, rendered());
    expect(readFileSync(paths.composeFile, 'utf8')).toBe(rendered().composeYaml);
    expect(readFileSync(paths.envFile, 'utf8')).toBe(rendered().envFile);
    expect(mode(paths.envFile)).toBe(0o600);
    expect(mode(paths.composeFile)).toBe(0o644);
    expect(readdirSync(paths.dir).sort()).toEqual(['.env', 'docker-compose.yml']);
  });

  test('.env is 0600 even when it already existed world-readable and under a lax umask', () => {
    const paths = stackPaths(home);
    mkdirSync(paths.dir);
    writeFileSync(paths.envFile, 'OLD=1\n', { mode: 0o666 });
    const old = process.umask(0);
    try {
      writeStackFiles(home, rendered());
    } finally {
      process.umask(old);
    }
    expect(mode(paths.envFile)).toBe(0o600);
    expect(readFileSync(paths.envFile, 'utf8')).not.toContain('OLD=1');
  });

  test('refuses an invalid compose object and writes nothing', () => {
    const bad: RenderedStack = { ...rendered(), compose: { services: { radarr: { image: 1 } } } };
    expect(() => writeStackFiles(home, bad)).toThrow(WorkError);
    expect(() => writeStackFiles(home, bad)).toThrow(/services\/radarr\/image must be string/);
    expect(readdirSync(home)).toEqual([]);
  });

  test('overwrites atomically: the old content is replaced whole', () => {
    writeStackFiles(home, renderStack(fixtureConfig(), FIXTURE_SECRETS));
    const next = rendered();
    writeStackFiles(home, next);
    expect(readFileSync(stackPaths(home).composeFile, 'utf8')).toBe(next.composeYaml);
    expect(readdirSync(stackPaths(home).dir).sort()).toEqual(['.env', 'docker-compose.yml']);
  });
});

describe('writeFileAtomic', () => {
  test('a failed write leaves the old file and no temp file', () => {
    const target = join(home, 'dir-in-the-way');
    mkdirSync(target);
    writeFileSync(join(target, 'x'), '');
    expect(() => writeFileAtomic(target, 'new')).toThrow();
    expect(readdirSync(home)).toEqual(['dir-in-the-way']);
  });
});

const hasComposeV1 = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;

describe('Compose v1 accepts the generated files', () => {
  (hasComposeV1 ? test : test.skip).each([
    ['everything, Seerr', fixtureConfig(SERVICE_IDS)],
    [
      'everything, Overseerr, awkward paths',
      fixtureConfig(SERVICE_IDS, { requestManager: 'overseerr', mediaRoot: '/mnt/my media/$HOME #1', configRoot: '/opt/app data' }),
    ],
    ['minimal without Plex', fixtureConfig(['radarr', 'prowlarr', 'nzbget'])],
  ])('%s: docker-compose config resolves every variable from .env', (_name, config) => {
    // A user-chosen secret may hold characters .env treats specially; they must arrive literally.
    const awkward = 'pa ss#$HOME"word';
    const paths = writeStackFiles(home, renderStack(config, { ...FIXTURE_SECRETS, PLEX_CLAIM: undefined, NZBGET_PASS: awkward }));
    const args = ['-p', 'plexarr', '-f', paths.composeFile, '--env-file', paths.envFile, 'config'];
    // A clean environment: an exported RADARR_API_KEY in the test runner must not mask a gap in .env.
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home };
    const run = spawnSync('docker-compose', [...args, '-q'], { env, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const resolved = execFileSync('docker-compose', args, { env, encoding: 'utf8' });
    if (config.services.radarr.enabled) expect(resolved).toContain(`RADARR__AUTH__APIKEY: ${FIXTURE_SECRETS.RADARR_API_KEY}`);
    if (config.mediaRoot.includes('$')) expect(resolved).toContain(`${config.mediaRoot}:/data`);
    // `config` prints a compose file again, so the literal `$` comes back escaped as `$$`.
    if (config.services.nzbget.enabled) expect(resolved).toContain(`NZBGET_PASS: ${awkward.split('$').join('$$')}`);
  });
});
