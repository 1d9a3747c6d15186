import { describe, expect, test } from '@jest/globals';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderStack } from '../../src/compose/render.js';
import type { Secrets, StackConfig } from '../../src/config/schema.js';
import { stackPaths } from '../../src/home.js';
import { persist } from '../../src/init/persist.js';
import { latestConfig } from '../../src/state/configs.js';
import { openState } from '../../src/state/db.js';
import { getSecrets } from '../../src/state/secrets.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { FIXTURE_SECRETS, fixtureConfig } from './compose-fixtures.js';

/** init's one write: the config row, the secrets and both generated files change together or not at all. */

const temp = useTempDirs('plexarr-persist-');

function saved(home: string): { id: number | undefined; tz: string | undefined; secrets: Secrets } {
  const state = openState(home);
  try {
    const row = state.db.prepare('SELECT max(id) AS id FROM configs').get() as { id: number | null };
    return { id: row.id ?? undefined, tz: latestConfig(state.db)?.tz, secrets: getSecrets(state.db) };
  } finally {
    state.close();
  }
}

function write(home: string, config: StackConfig, secrets: Secrets): number {
  return persist(home, config, secrets, renderStack(config, secrets));
}

describe('init persist', () => {
  const first = (home: string) =>
    fixtureConfig(undefined, { mediaRoot: join(home, 'data'), configRoot: join(home, 'appdata'), tz: 'Etc/UTC' });
  const secondSecrets: Secrets = { ...FIXTURE_SECRETS, NZBGET_PASS: 'nzbgetNewPass2' };

  test('a second write saves config #2, its secrets and both files, leaving no temp or backup file', () => {
    const home = temp.make();
    expect(write(home, first(home), FIXTURE_SECRETS)).toBe(1);
    expect(write(home, { ...first(home), tz: 'Europe/Paris' }, secondSecrets)).toBe(2);
    const paths = stackPaths(home);
    expect(saved(home)).toEqual({ id: 2, tz: 'Europe/Paris', secrets: expect.objectContaining({ NZBGET_PASS: 'nzbgetNewPass2' }) });
    expect(readFileSync(paths.composeFile, 'utf8')).toContain('TZ: Europe/Paris');
    expect(readFileSync(paths.envFile, 'utf8')).toContain('NZBGET_PASS=nzbgetNewPass2');
    expect(readdirSync(paths.dir).sort()).toEqual(['.env', 'docker-compose.yml']);
  });

  test('a rename that fails inside the transaction rolls the row and secrets back and puts the old .env back', () => {
    const home = temp.make();
    write(home, first(home), FIXTURE_SECRETS);
    const before = saved(home);
    const paths = stackPaths(home);
    const oldEnv = readFileSync(paths.envFile, 'utf8');
    // .env goes in first; a folder where the compose file goes cannot be kept as a hard-link backup,
    // so installing the compose file fails with .env already in place.
    rmSync(paths.composeFile);
    mkdirSync(paths.composeFile);
    writeFileSync(join(paths.composeFile, 'in-the-way'), '');

    expect(() => write(home, { ...first(home), tz: 'Europe/Paris' }, secondSecrets)).toThrow(/EPERM/);
    expect(saved(home)).toEqual(before);
    expect(before).toMatchObject({ id: 1, tz: 'Etc/UTC' });
    expect(readFileSync(paths.envFile, 'utf8')).toBe(oldEnv);
    expect(readdirSync(paths.dir).sort()).toEqual(['.env', 'docker-compose.yml']);
  });
});
