import type { WizardContext } from './context.js';
import { directoryCheck, numberCheck, textCheck } from './validate.js';

/** Step 2: where media and app configs live, who owns the files, and the time zone. */
export async function system(ctx: Pick<WizardContext, 'prompt' | 'answers' | 'defaults'>): Promise<void> {
  const { prompt, answers, defaults } = ctx;
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
  answers.puid ??= Number(await prompt.input({ name: 'puid', message: 'User id the apps run as (PUID)', default: String(defaults.puid ?? ''), validate: numberCheck('puid') }));
  answers.pgid ??= Number(await prompt.input({ name: 'pgid', message: 'Group id the apps run as (PGID)', default: String(defaults.pgid ?? ''), validate: numberCheck('pgid') }));
  answers.tz ??= (await prompt.input({ name: 'tz', message: 'Time zone', default: defaults.tz, validate: textCheck('tz') })).trim();
}
