import { existsSync } from 'node:fs';
import { z } from 'zod';
import { plexTvUrl } from '../clients/plextv.js';
import { stackPaths } from '../home.js';
import { runChecks, type CheckResult, type CheckStatus, type DoctorContext } from '../doctor/index.js';
import { stackPorts } from '../docker/compose.js';
import { realExec, type Exec } from '../docker/exec.js';
import { swarmStackPorts } from '../swarm/docker.js';
import { EXIT } from '../errors.js';
import { isPortFree } from '../host/ports.js';
import { masker } from '../redact.js';
import { latestConfig } from '../state/configs.js';
import { openState } from '../state/db.js';
import { getSecrets } from '../state/secrets.js';
import { createLogger, type Logger } from '../ui/logger.js';
import { plexarrCommand } from '../ui/invocation.js';
import { homeOptionSchema, type Secrets, type StackConfig } from '../config/schema.js';

export const doctorOptionsSchema = z.object({
  home: homeOptionSchema,
  json: z.boolean().default(false),
});
export type DoctorOptions = z.input<typeof doctorOptionsSchema>;

export interface DoctorDeps {
  exec: Exec;
  log: Pick<Logger, 'info' | 'style'>;
  env: NodeJS.ProcessEnv;
  /** Overridable so tests can decide what counts as taken or as this stack's own. */
  isPortFree?: DoctorContext['isPortFree'];
  stackPorts?: DoctorContext['stackPorts'];
}

export function defaultDoctorDeps(): DoctorDeps {
  return { exec: realExec, log: createLogger(), env: process.env };
}

/** Returns the exit code: 1 when any check failed (warnings do not fail). */
export async function runDoctor(options: DoctorOptions, deps: DoctorDeps = defaultDoctorDeps()): Promise<number> {
  const opts = doctorOptionsSchema.parse(options);
  const paths = stackPaths(opts.home);
  const saved = loadSaved(opts.home, paths.db);
  const ctx: DoctorContext = {
    exec: deps.exec,
    home: opts.home,
    secrets: saved.secrets,
    envFile: paths.envFile,
    dbFile: paths.db,
    uid: process.getuid?.() ?? -1,
    nodePath: process.execPath,
    plexTvUrl: plexTvUrl(deps.env),
    isPortFree: deps.isPortFree ?? isPortFree,
    stackPorts: deps.stackPorts ?? (saved.config?.engine === 'swarm' ? swarmStackPorts : stackPorts),
  };
  if (saved.config) ctx.config = saved.config;
  const checks = [...(saved.problem ? [saved.problem] : []), ...(await runChecks(ctx))];
  // Messages can quote an app or a path; none should carry a secret, and none will.
  const mask = masker(saved.secrets);
  const results = checks.map((c) => ({ ...c, message: mask(c.message), ...(c.fix ? { fix: mask(c.fix) } : {}) }));
  const failed = results.some((r) => r.status === 'fail');
  if (opts.json) deps.log.info(JSON.stringify({ home: opts.home, ok: !failed, checks: results }, null, 2));
  else deps.log.info(renderDoctor(opts.home, results, deps.log.style));
  return failed ? EXIT.failed : EXIT.ok;
}

interface Saved {
  config?: StackConfig;
  secrets: Secrets;
  problem?: CheckResult;
}

/** Doctor must work before `init` and with a damaged state file: it reports, it does not stop. */
function loadSaved(home: string, db: string): Saved {
  if (!existsSync(db)) return { secrets: {} };
  try {
    const state = openState(home, { readonly: true });
    try {
      const config = latestConfig(state.db);
      return { ...(config ? { config } : {}), secrets: getSecrets(state.db) };
    } finally {
      state.close();
    }
  } catch (e) {
    return {
      secrets: {},
      problem: {
        id: 'state',
        status: 'fail',
        message: (e as Error).message,
        fix: `Run \`${plexarrCommand('init')}\` to write a fresh configuration.`,
      },
    };
  }
}

const MARK: Record<CheckStatus, (s: Logger['style']) => string> = {
  ok: (s) => s.green('✓ ok  '),
  warn: (s) => s.yellow('! warn'),
  fail: (s) => s.red('✗ fail'),
};

function renderDoctor(home: string, results: readonly CheckResult[], style: Logger['style']): string {
  const width = Math.max(...results.map((r) => r.id.length));
  const lines = [`plexarr doctor — ${home}`, ''];
  for (const r of results) {
    lines.push(`${MARK[r.status](style)}  ${r.id.padEnd(width)}  ${r.message}`);
    if (r.fix && r.status !== 'ok') lines.push(`${' '.repeat(8 + width)}  fix: ${r.fix}`);
  }
  const count = (s: CheckStatus) => results.filter((r) => r.status === s).length;
  lines.push('', `${count('ok')} ok, ${count('warn')} warning${count('warn') === 1 ? '' : 's'}, ${count('fail')} failed`);
  return lines.join('\n');
}
