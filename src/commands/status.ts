import { existsSync } from 'node:fs';
import { z } from 'zod';
import { stackPaths } from '../home.js';
import { homeOptionSchema, hostAddressSchema, type Secrets, type StackConfig } from '../config/schema.js';
import type { AppliedSecrets, Hookup } from '../coordinate/types.js';
import { plexTvUrl } from '../clients/plextv.js';
import { dockerInfo } from '../docker/docker.js';
import { realExec, type Exec } from '../docker/exec.js';
import { openEngine } from '../engine/index.js';
import { EXIT } from '../errors.js';
import { appliedSecretsSnapshot } from '../state/applied-secrets.js';
import { loadHome } from '../state/load-home.js';
import { serviceImages, type ServiceImage } from '../state/image-updates.js';
import { latestTaskStates } from '../state/task-runs.js';
import { buildStatus, type StatusInput } from '../status/build.js';
import { checkLive } from '../status/live.js';
import { renderStatus } from '../status/render.js';
import type { StatusReport } from '../status/types.js';
import { createLogger, type Logger } from '../ui/logger.js';

export const statusOptionsSchema = z.object({
  home: homeOptionSchema,
  json: z.boolean().default(false),
  live: z.boolean().default(false),
  /** How this machine reaches the published ports for `--live` (the table shows config.hostAddress). */
  host: hostAddressSchema.default('127.0.0.1'),
  /** Seconds `--live` waits for each hookup's answers. */
  timeout: z.coerce
    .number()
    .int('must be a whole number of seconds')
    .min(1, 'must be 1 or more')
    .max(600, 'must be at most 600')
    .default(10),
});
export type StatusOptions = z.input<typeof statusOptionsSchema>;

export interface StatusDeps<C = unknown> {
  exec: Exec;
  log: Pick<Logger, 'info' | 'style'>;
  /** Every hookup coordinate knows (the dashboard shows those whose services are enabled). */
  hookups(): Promise<readonly Hookup<C>[]>;
  /**
   * The API clients `--live` plans with, reaching the apps at `http://<host>:<published port>`;
   * each request gives up after `requestTimeoutMs`, so a silent app cannot keep the process alive.
   */
  clients(config: StackConfig, secrets: Secrets, host: string, requestTimeoutMs: number): Promise<C>;
}

/** The real things: the docker CLI, every hookup, and API clients built from the saved state. */
export function defaultStatusDeps(): StatusDeps {
  return {
    exec: realExec,
    log: createLogger(),
    hookups: async () => (await import('../coordinate/hookups/index.js')).allHookups(),
    clients: async (config, secrets, host, timeoutMs) =>
      (await import('../clients/index.js')).createClients({ config, secrets, host, plexTvUrl: plexTvUrl(process.env), timeoutMs }),
  };
}

/** Returns the exit code: 0 when every service is up and every hookup linked (or skipped on purpose). */
export async function runStatus(options: StatusOptions, deps: StatusDeps = defaultStatusDeps()): Promise<number> {
  const opts = statusOptionsSchema.parse(options);
  const report = await collectStatus(opts, deps);
  deps.log.info(opts.json ? JSON.stringify(report, null, 2) : renderStatus(report, deps.log.style));
  return report.ok ? EXIT.ok : EXIT.failed;
}

export async function collectStatus<C>(
  opts: z.output<typeof statusOptionsSchema>,
  deps: Omit<StatusDeps<C>, 'log'>,
): Promise<StatusReport> {
  const { state, config, secrets } = loadHome(opts.home, { readonly: true });
  let tasks: StatusInput['tasks'];
  let applied: AppliedSecrets;
  let images: Map<string, ServiceImage>;
  try {
    tasks = latestTaskStates(state.db);
    images = serviceImages(state.db);
    applied = appliedSecretsSnapshot(state.db);
  } finally {
    state.close();
  }

  const all = await deps.hookups();
  const [containers, live] = await Promise.all([
    listContainers(deps.exec, stackPaths(opts.home).composeFile, config),
    opts.live ? liveResults(all, { config, secrets, applied }, opts, deps) : undefined,
  ]);
  const input: StatusInput = { home: opts.home, config, secrets, containers, hookups: all, tasks, images };
  if (live) input.live = live;
  return buildStatus(input);
}

/** A GET is retried up to twice by the clients, so a third of the budget per request keeps the total bounded. */
async function liveResults<C>(
  hookups: readonly Hookup<C>[],
  { config, secrets, applied }: { config: StackConfig; secrets: Secrets; applied: AppliedSecrets },
  opts: z.output<typeof statusOptionsSchema>,
  deps: Pick<StatusDeps<C>, 'clients'>,
) {
  const clients = await deps.clients(config, secrets, opts.host, Math.max(1000, Math.floor((opts.timeout * 1000) / 3)));
  return checkLive(hookups, { config, secrets, clients, applied, timeoutMs: opts.timeout * 1000, concurrency: 4 });
}

async function listContainers(exec: Exec, composeFile: string, config: StackConfig): Promise<StatusInput['containers']> {
  if (!existsSync(composeFile)) return { error: `no compose file at ${composeFile}` };
  try {
    const engine = await openEngine({ exec }, config);
    return { list: await engine.ps(composeFile), compose: { kind: engine.flavour, version: engine.version } };
  } catch (e) {
    // A stopped or forbidden daemon says so plainly in `docker info`; compose (v1 especially) buries
    // it under a traceback, whose last line is the cause.
    const info = await dockerInfo(exec);
    if (!info.ok) return { error: info.reason };
    const lines = (e instanceof Error ? e.message : String(e)).trim().split('\n');
    return { error: lines.length > 1 ? `${lines[0]} — ${lines.at(-1)!.trim()}` : (lines[0] ?? '') };
  }
}
