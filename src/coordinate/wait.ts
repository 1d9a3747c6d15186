import type { Got } from 'got';
import type { Secrets, ServiceId, StackConfig } from '../config/schema.js';
import { serviceName } from './graph.js';
import { plexarrCommand } from '../ui/invocation.js';

/**
 * Readiness probes, one cheap request per service, each answering "ready" or throwing. The
 * runner repeats them with backoff; an error marked `fatal` (a refused NZBGet login) stops the
 * wait at once, because asking again cannot change the answer.
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

interface ProbeSpec {
  path: string;
  /** NZBGet's control login (basic auth); a 401 is fatal (the wrong password never gets better). */
  login?: true;
  /** The web port's role in `config.services[id].ports`. */
  role?: string;
  ok?: (body: string) => boolean;
}

const statusOk = (body: string) => /"status"\s*:\s*"OK"/i.test(body);

/** Paths from API-NOTES §1.3, §2, §3, §4, §5, §7. WireGuard has no HTTP API to ask. */
const PROBES: Partial<Record<ServiceId, ProbeSpec>> = {
  radarr: { path: '/ping', ok: statusOk },
  sonarr: { path: '/ping', ok: statusOk },
  lidarr: { path: '/ping', ok: statusOk },
  prowlarr: { path: '/ping', ok: statusOk },
  plex: { path: '/identity' },
  // A GET, like NZBGet's own health check: a readiness wait (and so a dry run) sends no POST.
  nzbget: { path: '/jsonrpc/version', login: true },
  nzbget2: { path: '/jsonrpc/version', login: true },
  requests: { path: '/api/v1/status' },
  maintainerr: { path: '/api/health/ready' },
  npm: { path: '/api/', ok: statusOk },
};

function probeUrl(service: ServiceId, config: StackConfig, host: string): string | undefined {
  const spec = PROBES[service];
  if (!spec) return undefined;
  const port = config.services[service].ports[spec.role ?? 'web'];
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return `http://${hostPart}:${port}${spec.path}`;
}

function nzbgetAuth(service: ServiceId, secrets: Secrets): { username: string; password: string } {
  return service === 'nzbget2'
    ? { username: secrets.NZBGET2_USER ?? '', password: secrets.NZBGET2_PASS ?? '' }
    : { username: secrets.NZBGET_USER ?? '', password: secrets.NZBGET_PASS ?? '' };
}

/** Probes over HTTP from the host (`--host`, published ports), with got (no retries: the runner retries). */
export async function httpProbe(config: StackConfig, secrets: Secrets, host: string): Promise<Probe> {
  const { default: got } = await import('got');
  return (service, signal) => probeOnce(got, service, config, secrets, host, signal);
}

async function probeOnce(got: Got, service: ServiceId, config: StackConfig, secrets: Secrets, host: string, signal: AbortSignal): Promise<void> {
  const spec = PROBES[service];
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
      ...(spec.login ? nzbgetAuth(service, secrets) : {}),
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new ProbeError(`${name} did not answer at ${url}${code ? ` (${code})` : ''}`);
  }
  if (spec.login && res.statusCode === 401) {
    throw new ProbeError(`${name} refused the login plexarr generated for it (HTTP 401 at ${url}); check NZBGET credentials with \`${plexarrCommand('credentials')}\``, true);
  }
  if (res.statusCode !== 200) throw new ProbeError(`${name} answered HTTP ${res.statusCode} at ${url}`);
  if (spec.ok && !spec.ok(res.body)) throw new ProbeError(`${name} is not ready yet at ${url}: ${res.body.slice(0, 200)}`);
}
