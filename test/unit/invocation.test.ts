import { describe, expect, test } from '@jest/globals';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { invocationPrefix, plexarrCommand } from '../../src/ui/invocation.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

/** Hints name the command as the user can type it, depending on how plexarr was started. */

const temp = useTempDirs('plexarr-invocation-');

function packageAt(root: string): string {
  mkdirSync(join(root, 'bin'), { recursive: true });
  const script = join(root, 'bin', 'plexarr.js');
  writeFileSync(script, '');
  return script;
}

describe('invocationPrefix', () => {
  test('a global install: the bin symlink on PATH points into lib/node_modules → plexarr', () => {
    const prefix = temp.make();
    const script = packageAt(join(prefix, 'lib', 'node_modules', 'plexarr'));
    mkdirSync(join(prefix, 'bin'));
    symlinkSync(script, join(prefix, 'bin', 'plexarr'));
    expect(invocationPrefix({ script: join(prefix, 'bin', 'plexarr'), env: {} })).toBe('plexarr');
    expect(plexarrCommand('deploy --home /opt/p', { script: join(prefix, 'bin', 'plexarr'), env: {} })).toBe(
      'plexarr deploy --home /opt/p',
    );
  });

  test('through npx (npm says so, or the bin is in node_modules/.bin) → npx plexarr', () => {
    const project = temp.make();
    const script = packageAt(join(project, 'node_modules', 'plexarr'));
    mkdirSync(join(project, 'node_modules', '.bin'));
    symlinkSync(script, join(project, 'node_modules', '.bin', 'plexarr'));
    expect(invocationPrefix({ script: join(project, 'node_modules', '.bin', 'plexarr'), env: {} })).toBe('npx plexarr');
    expect(invocationPrefix({ script, env: { npm_command: 'exec' } })).toBe('npx plexarr');
  });

  test('from a clone (a git checkout around bin/) → npx plexarr', () => {
    const clone = temp.make();
    const script = packageAt(clone);
    expect(invocationPrefix({ script, env: {} })).toBe('plexarr');
    // A worktree's .git is a file, a clone's a folder: either marks a checkout.
    writeFileSync(join(clone, '.git'), 'gitdir: /elsewhere\n');
    expect(invocationPrefix({ script, env: {} })).toBe('npx plexarr');
  });
});
