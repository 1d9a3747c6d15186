import { resolve } from 'node:path';
import { flagFor, mergeAnswers, type Answers, type QuestionName } from '../config/answers.js';
import { loadAnswersFile } from '../config/answers-file.js';
import { requiredQuestions } from '../config/build.js';
import { answersFromConfig, defaultAnswers, type HostFacts } from '../config/defaults.js';
import { answersFromFlags, type AnswerFlags } from '../config/flags.js';
import { FLAGS, secretsIn, type AnswerIssue, type AnswerSource } from '../config/issues.js';
import { UsageError } from '../errors.js';
import { ownerIds } from '../host/ids.js';
import type { PortInUse } from '../host/ports.js';
import type { Logger } from '../ui/logger.js';
import { askQuestions } from '../wizard/index.js';
import { SHARED_MEDIA_NOTE } from '../wizard/placement.js';
import type { PromptProvider } from '../wizard/prompt.js';
import { readSaved, type Saved } from './saved.js';

export interface GatherOptions extends AnswerFlags {
  config?: string;
  yes?: boolean;
  json?: boolean;
  force?: boolean;
}

export interface GatherDeps {
  cwd: string;
  interactive: boolean;
  prompt: () => Promise<PromptProvider>;
  host: () => HostFacts;
  portInUse: PortInUse;
  swarmNodes?: () => Promise<string[]>;
}

export interface Gathered {
  /** Every answer: given ones over the saved config over the host's defaults. */
  complete: Answers;
  saved: Saved;
  /** Names where an answer came from, for the messages about it. */
  sourceOf: (issue: AnswerIssue) => AnswerSource;
  /** Set when someone is there to ask (the wizard ran). */
  prompt: PromptProvider | undefined;
}

/**
 * Answers from flags, the answers file, the last saved config and the host (in that order of
 * precedence), and the wizard for whatever is left when someone is there to ask.
 */
export async function gatherAnswers(home: string, opts: GatherOptions, deps: GatherDeps, log: Logger): Promise<Gathered> {
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
  return { complete, saved, sourceOf, prompt };
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
