import type { Logger } from '../ui/logger.js';

/** The wizard's steps in order, named as the README names them, each with what it decides. */
const STEPS = [
  ['Welcome', 'what plexarr will set up, and where its own files go'],
  ['System', 'where media and app settings live, which user owns the files, and the time zone'],
  ['Services', 'which apps run, and the admin login for their web UIs'],
  ['Network', 'the address people reach this host at, and each app’s host port'],
  ['Review', 'whether to write all of this: nothing is written before you confirm'],
] as const;

export type StepName = (typeof STEPS)[number][0];

/** `2/5 System` in bold, then one line on what the step decides. */
export function stepHeading(log: Pick<Logger, 'info' | 'style'>, name: StepName): void {
  const index = STEPS.findIndex(([n]) => n === name);
  log.info(log.style.bold(`${index + 1}/${STEPS.length} ${name}`));
  log.info(log.style.dim(STEPS[index]![1]));
}
