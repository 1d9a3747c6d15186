import { expect } from '@jest/globals';
import { ApiError } from '../../src/clients/errors.js';
import { UsageError } from '../../src/errors.js';

/** The ApiError a client call rejects with (the test fails if it resolves or throws anything else). */
export async function apiFailure(p: Promise<unknown>): Promise<ApiError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

/** The message of the UsageError `fn` throws or rejects with (the test fails on anything else). */
export async function usageMessage(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}
