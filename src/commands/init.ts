import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { stackPaths } from '../home.js';
import type { HostFacts } from '../config/defaults.js';
import { FLAGS, formatIssue } from '../config/issues.js';
import { absolutePathSchema } from '../config/schema.js';
import { CancelledError, EXIT, UsageError } from '../errors.js';
import { detectHostAddress } from '../host/address.js';
import type { CheckResult } from '../doctor/types.js';
import { detectIds } from '../host/ids.js';
import { dockerStackPorts, isPortFree, portInUseProbe, type PortInUse } from '../host/ports.js';
import { detectTimeZone } from '../host/timezone.js';
import { gatherAnswers } from '../init/answers.js';
import { confirmDeploy, deployCommand } from '../init/deploy-offer.js';
import { persist } from '../init/persist.js';
import { renderChecked } from '../init/render.js';
import { reviewStack } from '../init/review.js';
import { validatedConfig } from '../init/validate.js';
import { acquireHomeLock } from '../state/lock.js';
import { personAtTerminal } from '../ui/interactive.js';
import { createLogger, type Logger } from '../ui/logger.js';
import { inquirerPrompts, type PromptProvider } from '../wizard/prompt.js';

const optional = z.string().optional();

/** What commander hands to init (global + command options). Answer flags are checked by the answers schema. */
export const initOptionsSchema = z.object({
  home: optional,
  json: z.boolean().optional(),
  yes: z.boolean().optional(),
  force: z.boolean().optional(),
  config: optional,
  mediaRoot: optional,
  configRoot: optional,
  puid: optional,
  pgid: optional,
  tz: optional,
  hostAddress: optional,
  services: optional,
  port: z.array(z.string()).optional(),
  requestManager: optional,
  adminUser: optional,
  adminPassword: optional,
  plexToken: optional,
  wireguardPeers: optional,
  wireguardServerUrl: optional,
  npmEmail: optional,
  domain: optional,
  engine: optional,
  place: z.array(z.string()).optional(),
  usenetServer: optional,
  usenetUser: optional,
  usenetPassword: optional,
  usenetConnections: optional,
  indexer: z.array(z.string()).optional(),
  qualityProfile: optional,
});
export type InitOptions = z.infer<typeof initOptionsSchema>;

export interface InitDeps {
  log: Logger;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** A person at a terminal who can be asked (stdin and stdout are TTYs, CI is not set). */
  interactive: boolean;
  prompt: () => Promise<PromptProvider>;
  host: () => HostFacts;
  portInUse: PortInUse;
  /** Runs another command (the deploy offered at the end); absent in tests that do not need it. */
  runCommand?: (name: string, options: Record<string, unknown>) => Promise<unknown>;
  /**
   * Makes Ctrl-C cancel init until its writes are done (writes happen only at the very end, so an
   * interrupt before them leaves nothing behind); returns the function that stops it.
   */
  cancelOnInterrupt?: () => () => void;
  /** `doctor`'s Docker engine check, asked before offering to deploy. */
  dockerEngine: () => Promise<CheckResult>;
  /** Host names of the Swarm nodes, for the placement question of `--engine swarm`. */
  swarmNodes?: () => Promise<string[]>;
}

export function defaultInitDeps(): InitDeps {
  const log = createLogger();
  return {
    log,
    cwd: process.cwd(),
    env: process.env,
    interactive: personAtTerminal(process.stdout),
    prompt: inquirerPrompts,
    host: () => ({ ...detectIds(), tz: detectTimeZone(), hostAddress: detectHostAddress() }),
    portInUse: portInUseProbe({ isPortFree, stackPorts: dockerStackPorts }),
    runCommand: async (name, options) => {
      if (name !== 'deploy') throw new Error(`init cannot run ${name}`);
      const { runDeploy } = await import('./deploy.js');
      return runDeploy(options);
    },
    cancelOnInterrupt: () => {
      const cancel = () => {
        log.error(new CancelledError().message);
        process.exit(EXIT.cancelled);
      };
      process.once('SIGINT', cancel);
      return () => process.off('SIGINT', cancel);
    },
    dockerEngine: async () => {
      const [{ dockerDaemon }, { realExec }] = await Promise.all([import('../doctor/docker-daemon.js'), import('../docker/exec.js')]);
      return dockerDaemon({ exec: realExec, uid: process.getuid?.() ?? -1 });
    },
    swarmNodes: async () => {
      const [{ swarmNodes }, { realExec }] = await Promise.all([import('../swarm/nodes.js'), import('../docker/exec.js')]);
      return ((await swarmNodes(realExec)) ?? []).filter((n) => n.status === 'ready' && n.availability === 'active').map((n) => n.hostname);
    },
  };
}

export interface InitResult {
  home: string;
  configId: number;
  files: { composeFile: string; envFile: string; db: string };
  composeChanged: boolean;
  /** The exit code of the deploy run at the end, when the user chose to deploy right away. */
  deployExitCode?: number;
}

/**
 * `plexarr init`: answers from flags, the answers file, the last saved config and the host (in
 * that order of precedence), the wizard for whatever is left when someone is there to ask, then
 * one validation of the whole, a review, and only then any write.
 */
export async function runInit(options: unknown, deps: InitDeps = defaultInitDeps()): Promise<InitResult> {
  const opts = initOptionsSchema.parse(options);
  const home = resolve(deps.cwd, opts.home ?? deps.env.PLEXARR_HOME ?? '.');
  // A home that exists is locked from the start, so no other run changes what the wizard shows.
  const release = existsSync(home) ? acquireHomeLock(home, 'init') : () => {};
  try {
    return await initIn(home, opts, deps);
  } finally {
    release();
  }
}

async function initIn(home: string, opts: InitOptions, deps: InitDeps): Promise<InitResult> {
  const stopCancelling = deps.cancelOnInterrupt?.();
  let written: Written;
  try {
    written = await writeStack(home, opts, deps);
  } finally {
    stopCancelling?.();
  }
  const { result, prompt, log, json } = written;
  if (json) return result;
  if (
    prompt &&
    deps.runCommand &&
    (await confirmDeploy(prompt, log, deps.dockerEngine, result.files, deployCommand(result.home, deps.cwd)))
  ) {
    const code = await deps.runCommand('deploy', { home: result.home });
    if (typeof code === 'number') result.deployExitCode = code;
  } else {
    log.info(`Next: ${deployCommand(result.home, deps.cwd)}`);
  }
  return result;
}

interface Written {
  result: InitResult;
  prompt: PromptProvider | undefined;
  log: Logger;
  json: boolean;
}

/**
 * Everything up to and including the writes, as phases: gather the answers, validate them as a
 * whole, render and check the stack, review it, and only then write.
 */
async function writeStack(home: string, opts: InitOptions, deps: InitDeps): Promise<Written> {
  // With --json, stdout carries only the result; warnings and errors still reach stderr.
  const log: Logger = opts.json ? { ...deps.log, info: () => {}, success: () => {} } : deps.log;
  const homeCheck = absolutePathSchema.safeParse(home);
  if (!homeCheck.success)
    throw new UsageError(
      formatIssue({ path: ['home'], message: homeCheck.error.issues[0]?.message ?? 'is not valid', value: home }, FLAGS),
      '--home',
    );

  const { complete, saved, sourceOf, prompt } = await gatherAnswers(home, opts, deps, log);
  const config = await validatedConfig(complete, home, opts.force === true, deps.portInUse, sourceOf, log, saved.config);
  const { given, secrets, rendered } = renderChecked(config, complete, saved.secrets);
  const paths = stackPaths(home);
  const composeDiff = await reviewStack(
    { log, prompt },
    { home, config, paths, composeYaml: rendered.composeYaml, nextCommand: deployCommand(home, deps.cwd), given, saved: saved.secrets },
  );

  const configId = persist(home, config, secrets, rendered);
  const result: InitResult = { home, configId, files: paths, composeChanged: composeDiff !== '' };
  if (opts.json) {
    deps.log.info(JSON.stringify(result, null, 2));
  } else {
    log.info('');
    log.success(`Saved configuration #${configId} in ${paths.db}`);
    log.success(`Wrote ${paths.composeFile} and ${paths.envFile} (mode 0600)`);
  }
  return { result, prompt, log, json: opts.json === true };
}
