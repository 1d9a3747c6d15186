import { ownerIds, ROOT_IDS_NOTE } from '../host/ids.js';
import type { WizardContext } from './context.js';
import { stepHeading } from './steps.js';
import { directoryCheck, numberCheck, textCheck } from './validate.js';

type Ctx = Pick<WizardContext, 'prompt' | 'answers' | 'defaults' | 'log' | 'rootIds'>;

/** Step 2: where media and app configs live, who owns the files, and the time zone. */
export async function system(ctx: Ctx): Promise<void> {
  const { prompt, answers, defaults, log } = ctx;
  stepHeading(log, 'System');
  answers.mediaRoot ??= (
    await prompt.input({
      name: 'mediaRoot',
      message: 'Media root (libraries and downloads; mounted at /data in the containers)',
      default: defaults.mediaRoot,
      validate: directoryCheck('mediaRoot'),
    })
  ).trim();
  answers.configRoot ??= (
    await prompt.input({
      name: 'configRoot',
      message: "Config root (each app's settings in its own folder)",
      default: defaults.configRoot,
      validate: directoryCheck('configRoot'),
    })
  ).trim();
  const ids = ctx.rootIds ? ownerIds(answers.mediaRoot) : { puid: defaults.puid, pgid: defaults.pgid };
  if (ctx.rootIds && answers.puid === undefined) {
    log.info(
      ids
        ? `plexarr runs as root: the user and group offered are the owner of ${answers.mediaRoot}.`
        : 'plexarr runs as root (not through sudo), so there is no user to offer: give the ids of the user who should own the media (`id <name>` shows them).',
    );
  }
  answers.puid ??= await askId(ctx, 'puid', 'User id the apps run as (PUID)', ids?.puid);
  answers.pgid ??= await askId(ctx, 'pgid', 'Group id the apps run as (PGID)', ids?.pgid);
  answers.tz ??= (await prompt.input({ name: 'tz', message: 'Time zone', default: defaults.tz, validate: textCheck('tz') })).trim();
}

/**
 * 0 is allowed (some setups want it), but whoever answers 0 is told what it means: in the question
 * when 0 is offered or nothing is, else in a warning after the answer.
 */
async function askId(ctx: Ctx, name: 'puid' | 'pgid', message: string, offered: number | undefined): Promise<number> {
  const noted = offered === undefined || offered === 0;
  const value = Number(
    await ctx.prompt.input({
      name,
      message: `${message}${noted ? ` — ${ROOT_IDS_NOTE}` : ''}`,
      default: offered === undefined ? undefined : String(offered),
      validate: numberCheck(name),
    }),
  );
  if (value === 0 && !noted) ctx.log.warn(`${name.toUpperCase()} ${ROOT_IDS_NOTE}.`);
  return value;
}
