import { z } from 'zod';
import type { ServiceId } from '../catalog/ids.js';
import { hostAddressSchema } from '../config/schema.js';
import { EXIT, UsageError } from '../errors.js';
import { echo } from '../ui/echo.js';
import { plexarrCommand } from '../ui/invocation.js';
import type { DeployDeps } from './deploy.js';

export const updateOptionsSchema = z.object({
  home: z
    .string()
    .min(1)
    .default(() => process.cwd()),
  host: hostAddressSchema.default('127.0.0.1'),
  json: z.boolean().default(false),
  service: z.array(z.string()).default([]),
  dryRun: z.boolean().default(false),
  /** Commander's `--no-rollback` sets `rollback: false`. */
  rollback: z.boolean().default(true),
  coordinate: z.boolean().default(true),
  timeout: z.coerce.number().int('must be a whole number of seconds').min(1, 'must be 1 or more').max(86_400).default(600),
});
export type UpdateOptions = z.input<typeof updateOptionsSchema>;

export type UpdateDeps = Pick<DeployDeps, 'exec' | 'log' | 'now' | 'sleep' | 'tcpOpen' | 'coordinate' | 'stderr'>;

/**
 * `plexarr update`: newer images for the stack (or the `--service` ones), recreating only the
 * containers whose image changed and rolling back one that does not become healthy. Exit 0 when
 * every service is updated or already current, 1 when one failed or was rolled back. The whole
 * run (the coordinate at its end included) holds the home's lock.
 */
export async function runUpdate(options: UpdateOptions, injected?: UpdateDeps): Promise<number> {
  const opts = updateOptionsSchema.parse(options);
  const deps = injected ?? (await (await import('./deploy.js')).defaultDeployDeps());
  const [{ requireStack }, { withHomeLock }] = await Promise.all([import('../state/load-home.js'), import('../state/lock.js')]);
  requireStack(opts.home);
  return withHomeLock(opts.home, 'update', () => updateIn(opts, deps));
}

async function updateIn(opts: z.output<typeof updateOptionsSchema>, deps: UpdateDeps): Promise<number> {
  const [{ loadHome }, { enabledServices }] = await Promise.all([import('../state/load-home.js'), import('../catalog/index.js')]);
  const { state, config } = loadHome(opts.home);
  try {
    const enabled = enabledServices(config);
    const chosen = opts.service
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = chosen.filter((s) => !(enabled as string[]).includes(s));
    if (unknown.length > 0)
      throw new UsageError(
        `--service: not a service of this stack (got ${echo(unknown.join(', '))}); it has ${enabled.join(', ')}.`,
        'service',
      );
    const services = chosen.length > 0 ? enabled.filter((id) => chosen.includes(id)) : enabled;
    const progress = opts.json ? (text: string) => void deps.stderr.write(`${text}\n`) : (text: string) => deps.log.info(text);
    if (opts.dryRun) progress('Dry run: nothing is pulled, recorded or recreated.');
    const { updateStack } = await import('../day2/update.js');
    // With --json, stdout carries one JSON value: coordinate's own report goes inside it.
    const coordinateOutput: string[] = [];
    const report = await updateStack({
      exec: deps.exec,
      now: deps.now,
      sleep: deps.sleep,
      ...(deps.tcpOpen ? { tcpOpen: deps.tcpOpen } : {}),
      db: state.db,
      home: opts.home,
      config,
      services: services as ServiceId[],
      dryRun: opts.dryRun,
      rollback: opts.rollback,
      timeoutMs: opts.timeout * 1000,
      host: opts.host,
      progress,
      ...(opts.coordinate
        ? {
            coordinate: () =>
              opts.json
                ? deps.coordinate({ home: opts.home, host: opts.host, json: true }, (line) => coordinateOutput.push(line))
                : deps.coordinate({ home: opts.home, host: opts.host, json: false }),
          }
        : {}),
    });
    if (opts.json)
      deps.log.info(
        JSON.stringify({ ...report, ...(coordinateOutput.length > 0 ? { coordinate: parsed(coordinateOutput) } : {}) }, null, 2),
      );
    else if (report.dryRun) deps.log.info(`Would run:\n${report.commands.map((c) => `  ${c}`).join('\n')}`);
    else {
      for (const s of report.services) {
        const line = `${s.container}: ${s.outcome}${s.error ? ` — ${s.error}` : ''}`;
        if (s.outcome === 'updated' || s.outcome === 'unchanged') deps.log.success(line);
        else deps.log.error(line);
      }
      if (report.services.some((s) => s.outcome === 'rolled-back')) {
        deps.log.warn(
          `Rolled back: the recorded image is running again. \`${plexarrCommand('update --no-rollback')}\` keeps a new image that does not become healthy.`,
        );
      }
    }
    return report.ok ? EXIT.ok : EXIT.failed;
  } finally {
    state.close();
  }
}

function parsed(lines: string[]): unknown {
  try {
    return JSON.parse(lines.join('\n'));
  } catch {
    return lines;
  }
}
