import { portsInUse, publishedPorts } from '../catalog/index.js';
import { directoryProblem } from '../host/paths.js';
import type { PortInUse } from '../host/ports.js';
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

export async function busyPortIssues(config: Pick<StackConfig, 'services'>, portInUse: PortInUse): Promise<AnswerIssue[]> {
  const busy = await portsInUse(publishedPorts(config), portInUse);
  return [...busy].map((p) => ({
    path: ['ports', portKey(p.service, p.role)],
    message: `port ${p.port}/${p.protocol} is in use on this host (pick another port, or pass --force to use it anyway)`,
    value: p.port,
  }));
}
