import { realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { catalogEntry, configMountSources, enabledServices, MEDIA_MOUNT, portsInUse, publishedPorts } from '../catalog/index.js';
import { within } from '../fs/within.js';
import { stackPaths } from '../home.js';
import { directoryProblem } from '../host/paths.js';
import type { PortInUse } from '../host/ports.js';
import { echo } from '../ui/echo.js';
import { portKey } from './answers.js';
import type { AnswerIssue } from './issues.js';
import type { StackConfig } from './schema.js';

/** What only the host can tell: directories we cannot create or write, ports something else holds. */

export async function pathIssues(home: string, config: Pick<StackConfig, 'mediaRoot' | 'configRoot'>): Promise<AnswerIssue[]> {
  const checks = [
    { path: ['home'], dir: home },
    { path: ['mediaRoot'], dir: config.mediaRoot },
    { path: ['configRoot'], dir: config.configRoot },
  ];
  const problems = await Promise.all(checks.map((c) => directoryProblem(c.dir)));
  return checks.flatMap((c, i) => {
    const message = problems[i];
    return message ? [{ path: c.path, message, value: c.dir }] : [];
  });
}

type LayoutConfig = Pick<StackConfig, 'mediaRoot' | 'configRoot' | 'services' | 'requestManager'>;

/**
 * Where the folders sit relative to each other. A bind mount shows a container everything under
 * its source, so a media root or config folder holding plexarr.db or .env would hand every
 * secret to the apps; generated-config is rewritten by each init, so nothing may live in it.
 * Symlinks are resolved first: `/srv/media -> /opt/plexarr` is the home under another name.
 */
export async function layoutIssues(home: string, config: LayoutConfig): Promise<{ issues: AnswerIssue[]; warnings: AnswerIssue[] }> {
  const paths = stackPaths(home);
  const [db, env, generated, media, configRoot] = await Promise.all([
    resolved(paths.db),
    resolved(paths.envFile),
    resolved(paths.dir),
    resolved(config.mediaRoot),
    resolved(config.configRoot),
  ]);
  const exposes = (source: string) => within(db, source) || within(env, source);
  const issues: AnswerIssue[] = [];
  const refuse = (question: 'mediaRoot' | 'configRoot', dir: string, message: string) =>
    issues.push({ path: [question], message, value: dir });

  if (within(media, generated))
    refuse('mediaRoot', config.mediaRoot, 'is inside generated-config, which plexarr rewrites; pick a folder outside the plexarr home');
  else if (exposes(media))
    refuse(
      'mediaRoot',
      config.mediaRoot,
      `holds plexarr.db or .env (mounted at ${MEDIA_MOUNT}, it would show every secret to the apps); pick a folder that does not contain the plexarr home`,
    );
  if (within(configRoot, generated))
    refuse('configRoot', config.configRoot, 'is inside generated-config, which plexarr rewrites; pick a folder outside it');
  else {
    const sources = await Promise.all(
      enabledServices(config)
        .flatMap((id) => configMountSources(config, catalogEntry(id, config)))
        .map(resolved),
    );
    if (sources.some((s) => exposes(s)))
      refuse(
        'configRoot',
        config.configRoot,
        "would mount a folder holding plexarr.db or .env into an app's container; pick a folder that does not contain the plexarr home",
      );
  }

  // Allowed, but the apps' databases then sit in the media library (or the reverse): every app
  // sees the others' config under /data, and a backup of one takes the other along.
  const why = 'keeping media and app config in separate folders is safer';
  const warnings: AnswerIssue[] = [];
  if (issues.length > 0) return { issues, warnings };
  if (within(media, configRoot))
    warnings.push({
      path: ['mediaRoot'],
      message: `is inside the config root ${echo(config.configRoot)}; ${why}`,
      value: config.mediaRoot,
    });
  else if (within(configRoot, media))
    warnings.push({
      path: ['configRoot'],
      message: `is inside the media root ${echo(config.mediaRoot)}; ${why}`,
      value: config.configRoot,
    });
  return { issues, warnings };
}

/** The real path of the nearest existing ancestor, with the rest of the path appended. */
async function resolved(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(await resolved(parent), basename(path));
  }
}

export async function busyPortIssues(config: Pick<StackConfig, 'services'>, portInUse: PortInUse): Promise<AnswerIssue[]> {
  const busy = await portsInUse(publishedPorts(config), portInUse);
  return [...busy].map((p) => ({
    path: ['ports', portKey(p.service, p.role)],
    message: `port ${p.port}/${p.protocol} is in use on this host (pick another port, or pass --force to use it anyway)`,
    value: p.port,
  }));
}
