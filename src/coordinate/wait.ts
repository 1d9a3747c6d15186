import type { Got } from 'got';
import type { Secrets, ServiceId, StackConfig } from '../config/schema.js';
import { CATALOG, hostPort, loginSecrets, serviceName } from '../catalog/index.js';
import { plexarrCommand } from '../ui/invocation.js';

/**
 * Readiness probes: the catalog's one cheap request per service, answering "ready" or throwing.
 * The runner repeats them with backoff; an error marked `fatal` (a refused NZBGet login) stops the
 * wait at once, because asking again cannot change the answer. A service without a probe (no HTTP
 * API) is ready as soon as it is asked.
 */

export type Probe = (service: ServiceId, signal: AbortSignal) => Promise<void>;

export class ProbeError extends Error {
  constructor(
    message: string,
    readonly fatal = false,
  ) {
    super(message);
    this.name = 'ProbeError';
  }
}

function probeUrl(service: ServiceId, config: StackConfig, host: string): string | undefined {
  const spec = CATALOG[service].probe;
  if (!spec) return undefined;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return `http://${hostPart}:${hostPort(config, service, spec.role ?? 'web')}${spec.path}`;
}

function basicAuth(service: ServiceId, secrets: Secrets): { username: string; password: string } {
  const names = loginSecrets(service);
  return { username: (names.user && secrets[names.user]) ?? '', password: (names.password && secrets[names.password]) ?? '' };
}

/** Probes over HTTP from the host (`--host`, published ports), with got (no retries: the runner retries). */
export async function httpProbe(config: StackConfig, secrets: Secrets, host: string): Promise<Probe> {
  const { default: got } = await import('got');
  return (service, signal) => probeOnce(got, service, config, secrets, host, signal);
}

async function probeOnce(
  got: Got,
  service: ServiceId,
  config: StackConfig,
  secrets: Secrets,
  host: string,
  signal: AbortSignal,
): Promise<void> {
  const spec = CATALOG[service].probe;
  const url = probeUrl(service, config, host);
  if (!spec || !url) return;
  const name = serviceName(service);
  let res;
  try {
    res = await got(url, {
      signal,
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      timeout: { request: 3000 },
      headers: { accept: 'application/json' },
      ...(spec.login ? basicAuth(service, secrets) : {}),
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new ProbeError(`${name} did not answer at ${url}${code ? ` (${code})` : ''}`);
  }
  if (spec.login && res.statusCode === 401) {
    throw new ProbeError(
      `${name} refused the login plexarr generated for it (HTTP 401 at ${url}); check NZBGET credentials with \`${plexarrCommand('credentials')}\``,
      true,
    );
  }
  if (res.statusCode !== 200) throw new ProbeError(`${name} answered HTTP ${res.statusCode} at ${url}`);
  if (spec.ok && !spec.ok(res.body)) throw new ProbeError(`${name} is not ready yet at ${url}: ${res.body.slice(0, 200)}`);
}
