import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * How the user started plexarr, so a hint names a command they can type as is. Through npx, from
 * a project's node_modules/.bin, or from a clone (`node bin/plexarr.js`, `npx plexarr` after
 * `npm ci`) the bare name is not on PATH: they type `npx plexarr`. A global install puts
 * `plexarr` itself on PATH.
 */
export interface Invocation {
  /** The script path Node was started with (process.argv[1]). */
  script: string | undefined;
  env: NodeJS.ProcessEnv;
}

export function invocationPrefix({ script, env }: Invocation = { script: process.argv[1], env: process.env }): string {
  // npm sets npm_command=exec for `npx …` and `npm exec …`.
  if (env.npm_command === 'exec') return 'npx plexarr';
  if (script === undefined) return 'plexarr';
  if (/[\\/]node_modules[\\/]\.bin[\\/]/.test(script)) return 'npx plexarr';
  return existsSync(join(packageRoot(script), '.git')) ? 'npx plexarr' : 'plexarr';
}

/** `plexarrCommand('deploy --home /opt/x')` → `npx plexarr deploy --home /opt/x` (or `plexarr …`). */
export function plexarrCommand(args: string, invocation?: Invocation): string {
  return `${invocationPrefix(invocation)} ${args}`;
}

/** bin/plexarr.js sits one folder below the package root; a global bin is a symlink to it. */
function packageRoot(script: string): string {
  let real = script;
  try {
    real = realpathSync(script);
  } catch {
    // A script path that no longer resolves says nothing about a checkout.
  }
  return dirname(dirname(real));
}
