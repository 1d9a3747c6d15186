import { expect } from '@jest/globals';
import { ApiError } from '../../src/clients/errors.js';

/** The ApiError a client call rejects with (the test fails if it resolves or throws anything else). */
export async function apiFailure(p: Promise<unknown>): Promise<ApiError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}
