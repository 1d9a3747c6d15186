import { afterEach } from '@jest/globals';
import { rmSync } from 'node:fs';

/**
 * What a fakes test started (close functions) and the temp dirs it made, closed and removed after
 * each test. Push onto the returned arrays.
 */
export function cleanupAfterEach(): { closers: (() => Promise<void>)[]; dirs: string[] } {
  const closers: (() => Promise<void>)[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c()));
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return { closers, dirs };
}

/** `track(start…)` awaits a fake and closes it after the test it was started in. */
export function trackAfterEach(): <T extends { close(): Promise<void> }>(pending: Promise<T>) => Promise<T> {
  const { closers } = cleanupAfterEach();
  return async (pending) => {
    const fake = await pending;
    closers.push(() => fake.close());
    return fake;
  };
}
