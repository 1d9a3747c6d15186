import { describe, expect, test } from '@jest/globals';
import { AdvisedApiError, ApiError, peerUnreachable, transientAnswer } from '../../src/clients/errors.js';
import { isTransient } from '../../src/coordinate/errors.js';
import { adviceFor } from '../../src/coordinate/summary.js';

/**
 * Which answers the runner tries again. Prowlarr and the *arr apps test the other app when a
 * connection is saved; when that app is briefly failing or still starting, they answer 400 with a
 * validation failure naming the connection. That is transient (bounded retries); every other 400 is not.
 */

const prowlarr = (message: string, status = 400) => new ApiError('Prowlarr', 'POST', '/api/v1/applications', status, message);
const gotError = (statusCode: number, body: unknown) =>
  Object.assign(new Error(`Response code ${statusCode}`), { name: 'HTTPError', response: { statusCode, body: JSON.stringify(body) } });

describe('a 400 saying another app could not be reached is transient', () => {
  test.each([
    'BaseUrl: Unable to complete application test, cannot connect to Sonarr. HTTP 500',
    'BaseUrl: Unable to complete application test, cannot connect to Radarr. connect ECONNREFUSED 127.0.0.1:7878',
    'ProwlarrUrl: Prowlarr URL is invalid, Lidarr cannot connect to Prowlarr',
    'Host: Unable to connect to NZBGet',
    'Unable to connect to indexer: HTTP 500. Check the log surrounding this error for details',
  ])('%s', (message) => {
    expect(peerUnreachable(400, message)).toBe(true);
    expect(prowlarr(message).transient).toBe(true);
    expect(isTransient(prowlarr(message))).toBe(true);
  });

  test('the same words in a got-style error body count too', () => {
    const err = gotError(400, [
      { propertyName: 'BaseUrl', errorMessage: 'Unable to complete application test, cannot connect to Sonarr. HTTP 500' },
    ]);
    expect(isTransient(err)).toBe(true);
  });
});

describe('other 4xx stay final', () => {
  test.each([
    'ApiKey: API Key is invalid',
    "Path: Folder '/data/media/movies' does not exist",
    'BaseUrl: Sonarr returned redirect and is invalid. The Sonarr URL is missing a URL base.',
    ': Failed to fetch Sonarr version',
    'Username: Authentication failed',
    "Priority: 'Priority' must be between 1 and 50. You entered 0.",
  ])('400 %s', (message) => {
    expect(peerUnreachable(400, message)).toBe(false);
    expect(prowlarr(message).transient).toBe(false);
    expect(isTransient(prowlarr(message))).toBe(false);
  });

  test('the words only count on a 400', () => {
    expect(transientAnswer(401, 'Unable to connect to NZBGet')).toBe(false);
    expect(transientAnswer(404, 'cannot connect to Sonarr')).toBe(false);
    expect(isTransient(gotError(422, { message: 'Unable to connect' }))).toBe(false);
  });

  test('an advised error is never retried, whatever it says', () => {
    const advised = new AdvisedApiError(prowlarr('x'), 'Unable to connect to the login service', 'do this');
    expect(advised.transient).toBe(false);
    expect(isTransient(advised)).toBe(false);
  });

  test('5xx, 408, 429 and no answer are still transient', () => {
    for (const status of [undefined, 500, 502, 503, 408, 429]) expect(transientAnswer(status, 'whatever')).toBe(true);
  });
});

describe('what the report says', () => {
  const node = { kind: 'hookup' as const, services: ['prowlarr' as const, 'sonarr' as const] };

  test('a connection test that kept failing: check both apps, then --retry', () => {
    const advice = adviceFor(prowlarr('BaseUrl: Unable to complete application test, cannot connect to Sonarr. HTTP 500'), node, false);
    expect(advice).toMatch(/could not reach the app it tests on save; check that both are up/);
    expect(advice).toContain('coordinate --retry');
  });

  test('any other 400: fix the reason', () => {
    expect(adviceFor(prowlarr('ApiKey: API Key is invalid'), node, false)).toMatch(/rejected the request for the reason above/);
  });
});
