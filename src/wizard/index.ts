import type { Answers } from '../config/answers.js';
import type { WizardContext } from './context.js';
import { network } from './network.js';
import { placement } from './placement.js';
import { services } from './services.js';
import { system } from './system.js';
import { welcome } from './welcome.js';

/**
 * The questions, in order: Welcome → System → Services → (Swarm placement) → Network. Review comes after the answers
 * are validated as a whole and the stack is rendered (see commands/init.ts).
 */
export async function askQuestions(ctx: WizardContext): Promise<Answers> {
  await welcome(ctx);
  await system(ctx);
  await services(ctx);
  await placement(ctx);
  await network(ctx);
  return ctx.answers;
}
