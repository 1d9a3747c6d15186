import { buildConfig } from '../config/build.js';
import type { Answers } from '../config/answers.js';
import { busyPortIssues, layoutIssues, pathIssues } from '../config/host-checks.js';
import { FLAGS, formatIssue, secretsIn, usageErrorFrom, type AnswerIssue, type AnswerSource } from '../config/issues.js';
import type { StackConfig } from '../config/schema.js';
import type { PortInUse } from '../host/ports.js';
import type { Logger } from '../ui/logger.js';

/**
 * One validation of the whole answer set: the config schema first, then the host (layout, paths,
 * busy ports). Every problem found is one usage error naming its flag or answers-file key; busy
 * ports are only warnings with --force.
 */
export async function validatedConfig(
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
