import { describe, expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderStack } from '../../src/compose/render.js';
import { DEFAULT_ENABLED, SERVICE_IDS } from '../../src/config/schema.js';
import { FIXTURE_SECRETS, fixtureConfig } from './compose-fixtures.js';

/**
 * Reviewed outputs. A change in rendering shows up here as a readable diff; after reviewing it,
 * regenerate with `UPDATE_GOLDEN=1 npx jest test/unit/compose-golden.test.ts` and commit the files.
 */
const golden = (name: string) => fileURLToPath(new URL(`../golden/${name}`, import.meta.url));

const cases: [string, ReturnType<typeof renderStack>][] = [
  ['defaults', renderStack(fixtureConfig(DEFAULT_ENABLED), FIXTURE_SECRETS)],
  ['everything-overseerr', renderStack(fixtureConfig(SERVICE_IDS, { requestManager: 'overseerr' }), FIXTURE_SECRETS)],
  [
    'minimal-no-plex',
    renderStack(fixtureConfig(['radarr', 'sonarr', 'prowlarr', 'nzbget']), { ...FIXTURE_SECRETS, PLEX_CLAIM: undefined }),
  ],
];

describe('golden compose files', () => {
  test.each(cases)('%s', (name, rendered) => {
    for (const [file, text] of [
      [`compose-${name}.yml`, rendered.composeYaml],
      [`env-${name}.env`, rendered.envFile],
    ] as const) {
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden(file), text);
      expect(text).toBe(readFileSync(golden(file), 'utf8'));
    }
  });
});
