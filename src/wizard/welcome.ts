import type { WizardContext } from './context.js';
import { stepHeading } from './steps.js';

/** Step 1: say what is about to happen and where it will land; nothing is asked. */
export async function welcome(ctx: Pick<WizardContext, 'log' | 'home' | 'saved'>): Promise<void> {
  const { log } = ctx;
  log.info(log.style.bold('plexarr — a wired Plex + *arr media stack'));
  stepHeading(log, 'Welcome');
  log.info('A few questions (Enter keeps the default), then a review. Nothing is written before you confirm.');
  log.info(`Home: ${ctx.home} (plexarr.db and generated-config/ go here)`);
  if (ctx.saved) log.info('Found a saved configuration: its answers are the defaults.');
  log.info('');
}
