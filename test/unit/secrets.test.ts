import { describe, expect, test } from '@jest/globals';
import { DEFAULT_ENABLED, SERVICE_IDS } from '../../src/config/schema.js';
import { generateApiKey, generatePassword, generateSecrets, requiredSecrets } from '../../src/secrets.js';
import { fixtureConfig } from './compose-fixtures.js';

describe('generators', () => {
  test('API keys are 32 lowercase hex characters and differ each time', () => {
    const keys = new Set(Array.from({ length: 50 }, generateApiKey));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{32}$/);
  });

  test('passwords are 20 URL-safe characters by default', () => {
    for (let i = 0; i < 50; i++) expect(generatePassword()).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(generatePassword(33)).toHaveLength(33);
  });
});

describe('generateSecrets', () => {
  test('defaults: admin password, keys of the enabled apps, NZBGet credentials; no claim or token', () => {
    const secrets = generateSecrets(fixtureConfig(), {}, {});
    expect(Object.keys(secrets).sort()).toEqual(
      [
        'ADMIN_PASSWORD',
        'LIDARR_API_KEY',
        'NZBGET_PASS',
        'NZBGET_USER',
        'PROWLARR_API_KEY',
        'RADARR_API_KEY',
        'REQUESTS_API_KEY',
        'SONARR_API_KEY',
      ].sort(),
    );
    expect(secrets.NZBGET_USER).toBe('nzbget');
    expect(secrets.NZBGET_PASS).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(secrets.ADMIN_PASSWORD).toMatch(/^[A-Za-z0-9_-]{20}$/);
    for (const key of ['RADARR_API_KEY', 'SONARR_API_KEY', 'LIDARR_API_KEY', 'PROWLARR_API_KEY', 'REQUESTS_API_KEY'] as const)
      expect(secrets[key]).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(Object.values(secrets)).size).toBe(Object.keys(secrets).length);
  });

  test('Overseerr still gets a key: deploy pre-seeds it into settings.json', () => {
    expect(generateSecrets(fixtureConfig(DEFAULT_ENABLED, { requestManager: 'overseerr' }), {}, {}).REQUESTS_API_KEY).toMatch(
      /^[0-9a-f]{32}$/,
    );
  });

  test('optional services bring their own secrets', () => {
    const secrets = generateSecrets(fixtureConfig(SERVICE_IDS), {}, {});
    expect(secrets.NZBGET2_USER).toBe('nzbget');
    expect(secrets.NZBGET2_PASS).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(secrets.NPM_ADMIN_PASSWORD).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(secrets.NZBGET2_PASS).not.toBe(secrets.NZBGET_PASS);
  });

  test('disabled services get nothing', () => {
    expect(Object.keys(generateSecrets(fixtureConfig(['radarr']), {}, {})).sort()).toEqual(['ADMIN_PASSWORD', 'RADARR_API_KEY']);
  });

  test('existing secrets are kept, so a re-run does not break the keys the apps hold', () => {
    const first = generateSecrets(fixtureConfig(), {}, {});
    expect(generateSecrets(fixtureConfig(), first, {})).toEqual(first);
  });

  test('given secrets win over existing ones; empty given values do not erase', () => {
    const existing = { ADMIN_PASSWORD: 'old-password', PLEX_TOKEN: 'tok-old' };
    const result = generateSecrets(fixtureConfig(), existing, { ADMIN_PASSWORD: 'new-password', PLEX_TOKEN: '' });
    expect(result.ADMIN_PASSWORD).toBe('new-password');
    expect(result.PLEX_TOKEN).toBe('tok-old');
  });

  test('secrets of services turned off are kept for when they come back', () => {
    const all = generateSecrets(fixtureConfig(SERVICE_IDS), {}, {});
    expect(generateSecrets(fixtureConfig(['plex']), all, {})).toEqual(all);
  });

  test('the inputs are not modified', () => {
    const existing = { ADMIN_PASSWORD: 'x-password' };
    generateSecrets(fixtureConfig(), existing, {});
    expect(existing).toEqual({ ADMIN_PASSWORD: 'x-password' });
  });

  test('required secrets follow the enabled services', () => {
    expect(requiredSecrets(fixtureConfig(['plex', 'npm'])).sort()).toEqual(['ADMIN_PASSWORD', 'NPM_ADMIN_PASSWORD', 'PLEX_CLAIM']);
  });
});
