import { portClashes, portsInUse, publishedPorts, samePort, type PublishedPort } from '../catalog/index.js';
import { portKey } from '../config/answers.js';
import { servicesFromAnswers } from '../config/build.js';
import { renderTable } from '../ui/table.js';
import type { WizardContext } from './context.js';
import { stepHeading } from './steps.js';
import { textCheck } from './validate.js';

type Ctx = Pick<WizardContext, 'prompt' | 'answers' | 'defaults' | 'log' | 'force' | 'portInUse'>;

/**
 * Step 4: the address people reach the host at, and the host port of every chosen service.
 * Conflicts between services and ports already taken on this host are flagged here, where they
 * can still be changed, not at deploy time. (It follows Services: only chosen services publish.)
 */
export async function network(ctx: Ctx): Promise<void> {
  const { prompt, answers, defaults, log } = ctx;
  stepHeading(log, 'Network');
  answers.hostAddress ??= (
    await prompt.input({
      name: 'hostAddress',
      message: 'Address this host is reached at (LAN IP or host name)',
      default: defaults.hostAddress,
      validate: textCheck('hostAddress'),
    })
  ).trim();

  const ports = { ...defaults.ports, ...answers.ports };
  const answered = new Set(Object.keys(answers.ports ?? {}));
  const current = () => publishedPorts({ services: servicesFromAnswers({ services: answers.services, ports }) });
  const { problems, allowed } = await portProblems(current(), answered, ctx);
  const status = (key: string) => problems.get(key) ?? (allowed.has(key) ? 'in use on this host (allowed by --force)' : 'ok');
  log.info(
    renderTable(
      ['service', 'port', 'status'],
      current().map((p) => [portKey(p.service, p.role), `${p.port}/${p.protocol}`, status(portKey(p.service, p.role))]),
    ),
  );

  const changeAll = problems.size === 0 && !(await prompt.confirm({ name: 'keepPorts', message: 'Keep these ports?', default: true }));
  for (const p of current()) {
    const key = portKey(p.service, p.role);
    if (answered.has(key) || (!changeAll && !problems.has(key))) continue;
    const value = await prompt.input({
      name: `ports.${key}`,
      message: `Host port for ${key}${problems.has(key) ? ` (${problems.get(key)})` : ''}`,
      default: String(p.port),
      validate: async (text) => {
        const range = portRangeCheck(text);
        if (range !== true) return range;
        const port = Number(text);
        const clash = current().find((o) => samePort(o, { port, protocol: p.protocol }) && portKey(o.service, o.role) !== key);
        if (clash) return `port ${port} is already used by ${portKey(clash.service, clash.role)}`;
        if (!ctx.force && (await ctx.portInUse(port, p.protocol)))
          return `port ${port} is in use on this host (pick another, or run with --force)`;
        return true;
      },
    });
    ports[key] = Number(value);
  }
  answers.ports = ports;
}

function portRangeCheck(text: string): true | string {
  if (!/^\s*\d+\s*$/.test(text)) return 'must be a number';
  const port = Number(text);
  return port >= 1 && port <= 65535 ? true : 'must be between 1 and 65535';
}

/**
 * Per port key: why it cannot be used as is (clash with another service, or taken on the host).
 * In a clash the port that was not answered by a flag or the file is the one to change.
 */
async function portProblems(
  all: PublishedPort[],
  answered: ReadonlySet<string>,
  ctx: Pick<Ctx, 'force' | 'portInUse'>,
): Promise<{ problems: Map<string, string>; allowed: Set<string> }> {
  const problems = new Map<string, string>();
  const allowed = new Set<string>();
  const key = (p: PublishedPort) => portKey(p.service, p.role);
  const ports = [...all.filter((p) => answered.has(key(p))), ...all.filter((p) => !answered.has(key(p)))];
  const clashes = new Map(portClashes(ports).map((c) => [c.port, c.holder]));
  const inUse = await portsInUse(ports, ctx.portInUse);
  for (const p of ports) {
    const holder = clashes.get(p);
    if (holder) problems.set(key(p), `also used by ${key(holder)}`);
    else if (inUse.has(p) && ctx.force) allowed.add(key(p));
    else if (inUse.has(p)) problems.set(key(p), 'in use on this host');
  }
  return { problems, allowed };
}
