import { AdvisedApiError } from '../clients/errors.js';
import { statusOf, isTransient } from './errors.js';
import { serviceName } from '../catalog/index.js';
import type { TaskNode } from './graph.js';
import { describeChange, VerifyError, type TaskOutcome } from './outcome.js';
import { ProbeError } from './wait.js';
import { plexarrCommand } from '../ui/invocation.js';

/** What a person reads after a run: per hookup what changed, and per failure what to do. */

const RETRY = `\`${plexarrCommand('coordinate --retry')}\``;

function appOf(node: Pick<TaskNode, 'services'>): string {
  const first = node.services[0];
  return first ? serviceName(first) : 'The app';
}

/** One sentence on what to do next, chosen by what kind of failure it was. */
export function adviceFor(err: unknown, node: Pick<TaskNode, 'kind' | 'services'>, timedOut: boolean): string {
  const app = appOf(node);
  const container = node.services[0] ?? 'the container';
  if (timedOut) {
    return `check that ${app} is up (\`${plexarrCommand('status')}\`), then run ${RETRY}; a longer --timeout helps on a slow first start`;
  }
  if (node.kind === 'wait') {
    if (err instanceof ProbeError && err.fatal) return `compare the login with \`${plexarrCommand('credentials')}\`, then run ${RETRY}`;
    return `check the container (\`${plexarrCommand('status')}\`, \`docker logs ${container}\`), then run ${RETRY}`;
  }
  if (err instanceof AdvisedApiError) return err.advice;
  if (err instanceof VerifyError) return `${app} accepted the change but does not report it back; check its logs, then run ${RETRY}`;
  const status = statusOf(err);
  if (status === 401 || status === 403) {
    return node.services.includes('plex') || node.services.includes('requests')
      ? `check the keys with \`${plexarrCommand('credentials')}\`; for Plex, give a fresh token with \`${plexarrCommand('coordinate --retry --plex-token <token>')}\``
      : `${app} refused the key plexarr holds; compare it with \`${plexarrCommand('credentials')}\` (was it changed by hand?), then run ${RETRY}`;
  }
  // A 400 that says the app could not reach the app it tests (retried, still failing).
  if (status === 400 && isTransient(err)) {
    return `${app} could not reach the app it tests on save; check that both are up (\`${plexarrCommand('status')}\`, \`docker logs ${container}\`), then run ${RETRY}`;
  }
  if (status !== undefined && status >= 400 && status < 500)
    return `${app} rejected the request for the reason above; fix that, then run ${RETRY}`;
  if (isTransient(err))
    return `${app} kept failing or did not answer; check \`${plexarrCommand('status')}\` and \`docker logs ${container}\`, then run ${RETRY}`;
  return `fix the cause above, then run ${RETRY}`;
}

export interface ReportOptions {
  dryRun: boolean;
}

/** The human report printed after the progress list. Every text in it is already redacted. */
export function formatReport(outcomes: readonly TaskOutcome[], opts: ReportOptions): string {
  const count = (s: TaskOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  const hookups = outcomes.filter((o) => o.kind === 'hookup');
  const lines: string[] = [];
  if (opts.dryRun) {
    lines.push('Plan (dry run, nothing was changed):');
    for (const o of hookups.filter((h) => h.status === 'done')) {
      const changed = (o.changes ?? []).filter((c) => c.kind !== 'unchanged');
      if (changed.length === 0) lines.push(`  = ${o.id}: unchanged`);
      for (const c of changed) lines.push(`  ${c.kind === 'create' ? '+' : c.kind === 'delete' ? '-' : '~'} ${o.id}: ${describeChange(c)}`);
    }
  }
  const skipped = outcomes.filter((o) => o.status === 'skipped');
  if (skipped.length > 0) {
    lines.push('Skipped:');
    for (const o of skipped) lines.push(`  - ${o.title} (${o.id}): ${o.reason}`);
  }
  const failed = outcomes.filter((o) => o.status === 'failed');
  if (failed.length > 0) {
    lines.push('Failed:');
    for (const o of failed) {
      lines.push(`  ✖ ${o.title} (${o.id}) after ${o.attempts} attempt${o.attempts === 1 ? '' : 's'}`);
      lines.push(`      what went wrong: ${o.error}`);
      lines.push(`      what to do: ${o.advice}`);
    }
  }
  const notRun = outcomes.filter((o) => o.status === 'pending');
  if (notRun.length > 0) {
    lines.push(opts.dryRun ? 'Not planned:' : `Not run (they run with ${RETRY} once the above is fixed):`);
    for (const o of notRun) lines.push(`  - ${o.title} (${o.id}): ${o.reason}`);
  }
  const verb = opts.dryRun ? 'planned' : 'done';
  lines.push(`${count('done')} ${verb}, ${count('skipped')} skipped, ${count('failed')} failed, ${count('pending')} not run.`);
  return lines.join('\n');
}
