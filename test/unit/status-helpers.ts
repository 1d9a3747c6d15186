import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Exec } from '../../src/docker/exec.js';
import { realExec } from '../../src/docker/exec.js';
import type { HookupInfo } from '../../src/status/build.js';
import type { ServiceId } from '../../src/config/schema.js';

/** The fake `docker`/`docker-compose` (test/fixtures/compose-ps/bin) driven by env, as a real Exec. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/compose-ps', import.meta.url));
export const FAKE_BIN = join(FIXTURES, 'bin');

export function fakeDockerEnv(
  scenario: 'healthy' | 'mixed',
  compose: 'v2-array' | 'v2-ndjson' | 'v1' | 'none',
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PATH: `${FAKE_BIN}:${process.env.PATH ?? ''}`,
    FAKE_DOCKER_SCENARIO: join(FIXTURES, scenario),
    FAKE_DOCKER_COMPOSE: compose,
    ...extra,
  };
}

export function fakeDockerExec(env: Record<string, string>): Exec {
  return (file, args, opts = {}) => realExec(file, args, { ...opts, env: { ...env, ...opts.env } });
}

/** A hookup as the dashboard sees it; `plan` is not needed until `--live`. */
export function info(id: string, services: ServiceId[], skip: string | null = null): HookupInfo {
  return { id, title: id, services, skipReason: () => skip };
}
