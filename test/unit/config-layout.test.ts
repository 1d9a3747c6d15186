import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layoutIssues } from '../../src/config/host-checks.js';
import { directoryProblem } from '../../src/host/paths.js';
import { configWith } from '../coordinate/helpers.js';

/** Where the media and config roots may sit relative to the home, judged from real paths. */

let root: string;
let home: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'plexarr-layout-'));
  home = join(root, 'home');
  mkdirSync(home);
  symlinkSync(root, join(root, 'above-home'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const config = (mediaRoot: string, configRoot: string, services = configWith(['plex', 'radarr']).services) => ({
  ...configWith([]),
  mediaRoot,
  configRoot,
  services,
});
const messages = async (c: ReturnType<typeof config>) => {
  const r = await layoutIssues(home, c);
  return {
    issues: r.issues.map((i) => `${String(i.path[0])}: ${i.message}`),
    warnings: r.warnings.map((i) => `${String(i.path[0])}: ${i.message}`),
  };
};

describe('layoutIssues', () => {
  it('accepts the defaults: data and appdata inside the home', async () => {
    expect(await messages(config(join(home, 'data'), join(home, 'appdata')))).toEqual({ issues: [], warnings: [] });
  });

  it('refuses a media root above the home, also through a symlink', async () => {
    const direct = await messages(config(root, join(home, 'appdata')));
    expect(direct.issues).toEqual([expect.stringMatching(/^mediaRoot: holds plexarr.db or .env/)]);
    const linked = await messages(config(join(root, 'above-home'), join(home, 'appdata')));
    expect(linked.issues).toEqual(direct.issues);
  });

  it("refuses a config root only when an enabled app's mounted folder holds the home", async () => {
    const radarrIsHome = config('/srv/media', root, configWith(['radarr']).services);
    expect((await layoutIssues(join(root, 'radarr'), radarrIsHome)).issues.map((i) => i.path[0])).toEqual(['configRoot']);
    // NPM mounts only <config root>/npm/data and /letsencrypt, so a home at <config root>/npm stays private.
    const npmDirIsHome = config('/srv/media', root, configWith(['npm']).services);
    expect((await layoutIssues(join(root, 'npm'), npmDirIsHome)).issues).toEqual([]);
  });

  it('warns, without refusing, when the media root and the config root are inside one another', async () => {
    expect(await messages(config(join(root, 'srv', 'media'), join(root, 'srv')))).toEqual({
      issues: [],
      warnings: [
        expect.stringMatching(/^mediaRoot: is inside the config root .*srv; keeping media and app config in separate folders is safer$/),
      ],
    });
    expect((await messages(config(join(root, 'srv'), join(root, 'srv', 'apps')))).warnings).toEqual([
      expect.stringMatching(/^configRoot: is inside the media root /),
    ]);
  });
});

describe('directoryProblem', () => {
  it('refuses folders on kernel pseudo-filesystems, which root could otherwise "write"', async () => {
    expect(await directoryProblem('/proc/plexarr/media')).toBe(
      'cannot be created: /proc is on proc, a kernel interface that cannot hold files',
    );
    expect(await directoryProblem('/sys/kernel')).toBe('is on sysfs, a kernel interface that cannot hold files');
    expect(await directoryProblem(join(home, 'new'))).toBeUndefined();
  });
});
