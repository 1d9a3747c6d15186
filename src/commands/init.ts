import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { HOME_MODE, stackPaths } from '../home.js';
import { diffCompose } from '../compose/diff.js';
import { summarizeComposeChanges } from '../compose/diff-summary.js';
import { renderStack, type RenderedStack } from '../compose/render.js';
import { validateCompose } from '../compose/validate.js';
import { stageStackFiles } from '../compose/write.js';
import { flagFor, mergeAnswers, type Answers, type QuestionName } from '../config/answers.js';
import { loadAnswersFile } from '../config/answers-file.js';
import { accountSecrets, buildConfig, requiredQuestions } from '../config/build.js';
import { answersFromConfig, defaultAnswers, type HostFacts } from '../config/defaults.js';
import { answersFromFlags } from '../config/flags.js';
import { busyPortIssues, layoutIssues, pathIssues } from '../config/host-checks.js';
import { FLAGS, formatIssue, secretsIn, usageErrorFrom, type AnswerIssue, type AnswerSource } from '../config/issues.js';
import { absolutePathSchema, type Secrets, type StackConfig } from '../config/schema.js';
import { CancelledError, EXIT, UsageError, WorkError } from '../errors.js';
import { detectHostAddress } from '../host/address.js';
import type { CheckResult } from '../doctor/types.js';
import { detectIds, ownerIds } from '../host/ids.js';
import { dockerStackPorts, isPortFree, portInUseProbe, type PortInUse } from '../host/ports.js';
import { detectTimeZone } from '../host/timezone.js';
import { discardStaged, installStaged } from '../fs/atomic.js';
import { makeDirs } from '../fs/dirs.js';
import { generateSecrets } from '../secrets.js';
import { openState } from '../state/db.js';
import { acquireHomeLock } from '../state/lock.js';
import { personAtTerminal } from '../ui/interactive.js';
import { schemaVersion } from '../state/migrations.js';
import { latestConfig, saveConfig } from '../state/configs.js';
import { getSecrets, setSecrets } from '../state/secrets.js';
import { plexarrCommand } from '../ui/invocation.js';
import { createLogger, type Logger } from '../ui/logger.js';
import { isPromptCancel } from '../ui/handle-error.js';
import { askQuestions } from '../wizard/index.js';
import { inquirerPrompts, type PromptProvider } from '../wizard/prompt.js';
import { review, type SecretOrigin } from '../wizard/review.js';
import { SHARED_MEDIA_NOTE } from '../wizard/placement.js';

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

/** `deploy` for this home, as the user types it (`--home` only when it is not the current folder). */
function deployCommand(home: string, cwd: string): string {
  return plexarrCommand(`deploy${home === resolve(cwd) ? '' : ` --home ${home}`}`);
}

interface Written {
  result: InitResult;
  prompt: PromptProvider | undefined;
  log: Logger;
  json: boolean;
}

/** Everything up to and including the writes. */
async function writeStack(home: string, opts: InitOptions, deps: InitDeps): Promise<Written> {
  // With --json, stdout carries only the result; warnings and errors still reach stderr.
  const log: Logger = opts.json ? { ...deps.log, info: () => {}, success: () => {} } : deps.log;
  const homeCheck = absolutePathSchema.safeParse(home);
  if (!homeCheck.success)
    throw new UsageError(
      formatIssue({ path: ['home'], message: homeCheck.error.issues[0]?.message ?? 'is not valid', value: home }, FLAGS),
      '--home',
    );

  // One-layer merges put port keys in their canonical spelling (`radarr`, `npm.http`).
  const flagAnswers = mergeAnswers(answersFromFlags(opts));
  const configFile = opts.config === undefined ? undefined : resolve(deps.cwd, opts.config);
  const fileAnswers = mergeAnswers(configFile ? await loadAnswersFile(configFile, secretsIn(flagAnswers)) : {});
  const saved = readSaved(home);
  const host = deps.host();
  const defaults = mergeAnswers(defaultAnswers(home, host), saved.config ? answersFromConfig(saved.config) : {});
  const rootIds = host.root === true && !saved.config;
  const sourceOf = answerSource(flagAnswers, fileAnswers, configFile);

  const ask = deps.interactive && !opts.yes && !opts.json;
  const prompt = ask ? await deps.prompt() : undefined;
  let answers = mergeAnswers(fileAnswers, flagAnswers);
  if (prompt) {
    answers = await askQuestions({
      prompt,
      log,
      home,
      defaults,
      answers,
      saved: saved.config !== undefined,
      rootIds,
      plexTokenSaved: Boolean(saved.secrets.PLEX_TOKEN),
      force: opts.force === true,
      portInUse: deps.portInUse,
      ...(deps.swarmNodes ? { swarmNodes: deps.swarmNodes } : {}),
    });
  } else {
    // Nobody to ask: the media root's owner is a better guess than root itself.
    if (rootIds) Object.assign(defaults, ownerIds(answers.mediaRoot ?? defaults.mediaRoot ?? home));
    if (!opts.yes) requireAnswers(answers, defaults);
    if ((answers.engine ?? defaults.engine) === 'swarm') log.warn(SHARED_MEDIA_NOTE);
  }

  const complete = mergeAnswers(defaults, answers);
  // Placements saved for a Swarm stack do not follow a re-run that chooses Compose.
  if (complete.engine !== 'swarm' && answers.place === undefined) delete complete.place;
  const config = await validatedConfig(complete, home, opts.force === true, deps.portInUse, sourceOf, log, saved.config);
  const given: Secrets = accountSecrets(complete);
  if (complete.adminPassword) given.ADMIN_PASSWORD = complete.adminPassword;
  if (complete.plexToken) given.PLEX_TOKEN = complete.plexToken;
  const secrets = generateSecrets(config, saved.secrets, given);
  const rendered = renderStack(config, secrets);
  const composeErrors = validateCompose(rendered.compose);
  if (composeErrors.length > 0) throw new WorkError(`The generated compose file is not valid Compose:\n  ${composeErrors.join('\n  ')}`);

  const paths = stackPaths(home);
  const previous = existsSync(paths.composeFile) ? readFileSync(paths.composeFile, 'utf8') : undefined;
  const composeDiff = previous === undefined ? undefined : diffCompose(previous, rendered.composeYaml);
  const confirmed = await review(
    { log, prompt },
    {
      home,
      config,
      files: paths,
      composeDiff,
      ...(previous !== undefined && composeDiff
        ? { composeChanges: summarizeComposeChanges(previous, rendered.composeYaml, composeDiff) }
        : {}),
      nextCommand: deployCommand(home, deps.cwd),
      adminPassword: origin(given.ADMIN_PASSWORD, saved.secrets.ADMIN_PASSWORD, 'generated'),
      plexToken: origin(given.PLEX_TOKEN, saved.secrets.PLEX_TOKEN, 'missing'),
    },
  );
  if (!confirmed) throw new CancelledError();

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

/**
 * The one place init writes, as one unit: the files are staged in full, then the new config
 * version and the secrets are saved in one transaction that also renames the files into place. A
 * failure anywhere rolls the transaction back and puts the old files back: both stay at the old
 * version, never the database at one and the files at another.
 */
function persist(home: string, config: StackConfig, secrets: Secrets, rendered: RenderedStack): number {
  makeDirs(home, HOME_MODE);
  const release = acquireHomeLock(home, 'init');
  try {
    const staged = stageStackFiles(home, rendered);
    try {
      const state = openState(home);
      let installed: ReturnType<typeof installStaged> | undefined;
      try {
        const configId = state.db.transaction(() => {
          const id = saveConfig(state.db, config);
          setSecrets(state.db, secrets);
          installed = installStaged(staged);
          return id;
        })();
        installed?.done();
        return configId;
      } catch (error) {
        installed?.undo();
        throw error;
      } finally {
        state.close();
      }
    } finally {
      discardStaged(staged);
    }
  } finally {
    release();
  }
}

/**
 * The last saved answers and secrets, read without writing anything: input that turns out to be
 * bad must leave plexarr.db as it was (not created, migrated or switched to WAL). An older schema
 * still has both tables; an empty file has none.
 */
function readSaved(home: string): { config?: StackConfig; secrets: Secrets } {
  if (!existsSync(stackPaths(home).db)) return { secrets: {} };
  const state = openState(home, { readonly: true, anySchema: true });
  try {
    if (schemaVersion(state.db) === 0) return { secrets: {} };
    return { config: latestConfig(state.db), secrets: getSecrets(state.db) };
  } finally {
    state.close();
  }
}

/**
 * Offered only with a default that fits: without a Docker engine the deploy would fail at once.
 * Ctrl-C here comes after the writes: say what is on disk and how to go on.
 */
async function confirmDeploy(
  prompt: PromptProvider,
  log: Logger,
  dockerEngine: InitDeps['dockerEngine'],
  paths: InitResult['files'],
  command: string,
): Promise<boolean> {
  const engine = await dockerEngine();
  if (engine.status !== 'ok') {
    log.warn(`No Docker engine to deploy to: ${engine.message}`);
    if (engine.fix) log.info(engine.fix);
  }
  try {
    return await prompt.confirm({ name: 'deploy', message: 'Deploy the stack now?', default: engine.status === 'ok' });
  } catch (error) {
    if (!isPromptCancel(error)) throw error;
    throw new CancelledError(
      `Cancelled before deploying. The configuration is saved in ${paths.db}, with ${paths.composeFile} and ${paths.envFile} written; deploy later with \`${command}\`.`,
    );
  }
}

/** Nobody to ask and no `--yes`: every required question needs an answer from a flag or the file. */
function requireAnswers(answers: Answers, defaults: Answers): void {
  const missing = requiredQuestions(answers.services ?? defaults.services ?? []).filter((q) => answers[q] === undefined);
  if (missing.length === 0) return;
  throw new UsageError(
    `No terminal to ask on, and these answers are missing: ${missing.map((q) => flagFor(q)).join(', ')}.\n` +
      'Pass them as flags, put them in an answers file (--config answers.yaml), or add --yes to accept the defaults.',
    flagFor(missing[0] as QuestionName),
  );
}

async function validatedConfig(
  answers: Answers,
  home: string,
  force: boolean,
  portInUse: PortInUse,
  sourceOf: (issue: AnswerIssue) => AnswerSource,
  log: Logger,
  saved?: StackConfig,
): Promise<StackConfig> {
  const secrets = secretsIn(answers);
  const built = buildConfig(answers, saved);
  if (!built.ok) throw usageErrorFrom(built.issues, sourceOf, secrets);
  const [layout, paths, busy] = await Promise.all([
    layoutIssues(home, built.config),
    pathIssues(home, built.config),
    busyPortIssues(built.config, portInUse),
  ]);
  const issues = [...layout.issues, ...paths, ...(force ? [] : busy)];
  if (issues.length > 0) throw usageErrorFrom(issues, sourceOf, secrets);
  for (const issue of layout.warnings) log.warn(formatIssue(issue, sourceOf(issue), secrets));
  if (force) for (const issue of busy) log.warn(`${formatIssue(issue, FLAGS)} — continuing because of --force`);
  return built.config;
}

/** An answer given in the file (and not overridden by a flag) is named by its key in the file. */
function answerSource(flags: Answers, file: Answers, configFile: string | undefined): (issue: AnswerIssue) => AnswerSource {
  return (issue) => {
    if (!configFile) return FLAGS;
    const [question, key] = issue.path;
    const fromFile =
      question === 'ports' && typeof key === 'string'
        ? file.ports?.[key] !== undefined && flags.ports?.[key] === undefined
        : typeof question === 'string' && question in file && !(question in flags);
    return fromFile ? { kind: 'file', file: configFile } : FLAGS;
  };
}

function origin(given: string | undefined, saved: string | undefined, otherwise: SecretOrigin): SecretOrigin {
  if (given) return 'given';
  return saved ? 'saved' : otherwise;
}
