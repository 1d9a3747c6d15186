import { CATALOG, containerName, enabledServices, hostUrl, publishedPorts } from '../catalog/index.js';
import { formatComposeChanges, type ComposeChanges } from '../compose/diff-summary.js';
import type { StackConfig } from '../config/schema.js';
import { ROOT_IDS_NOTE } from '../host/ids.js';
import { plexarrCommand } from '../ui/invocation.js';
import { renderPairs, renderTable } from '../ui/table.js';
import type { WizardContext } from './context.js';
import { stepHeading } from './steps.js';

/** Where a secret the review mentions comes from; the value itself is never shown. */
export type SecretOrigin = 'given' | 'saved' | 'generated' | 'missing';

export interface ReviewData {
  home: string;
  config: StackConfig;
  files: { composeFile: string; envFile: string; db: string };
  /** Unified diff of the compose file against the one on disk ('' = same); undefined when there is none yet. */
  composeDiff: string | undefined;
  /** The same change in a few words, shown above the full diff (which is shown on request). */
  composeChanges?: ComposeChanges;
  /** The command to run once this is written, exactly as the user types it. */
  nextCommand: string;
  adminPassword: SecretOrigin;
  plexToken: SecretOrigin;
}

function originText(origin: SecretOrigin): string {
  if (origin === 'given') return 'as given (hidden)';
  if (origin === 'saved') return 'kept from the last init (hidden)';
  if (origin === 'generated') return `generated (see \`${plexarrCommand('credentials')}\`)`;
  return `not set (add it with \`${plexarrCommand('coordinate --plex-token …')}\`)`;
}

function placementText(config: StackConfig): string {
  const placed = Object.entries(config.placements ?? {}).map(([id, constraints]) => `${id} on ${constraints.join(' and ')}`);
  return placed.length > 0 ? `; ${placed.join(', ')}; other services on any node` : '; every service on any node';
}

/**
 * Step 5: one readable summary of everything that will be written, the compose changes on a
 * re-run, the command to run next, then a confirmation (skipped with `--yes` or when nobody is
 * there to ask).
 */
export async function review(ctx: Pick<WizardContext, 'log'> & { prompt?: WizardContext['prompt'] }, data: ReviewData): Promise<boolean> {
  const { log } = ctx;
  const { config } = data;
  stepHeading(log, 'Review');
  log.info(
    renderPairs([
      ['Home', data.home],
      ['Media root', `${config.mediaRoot} (/data in the containers)`],
      ['Config root', config.configRoot],
      ['PUID / PGID', `${config.puid} / ${config.pgid}${config.puid === 0 || config.pgid === 0 ? ` (${ROOT_IDS_NOTE})` : ''}`],
      ['Time zone', config.tz],
      ['Host address', config.hostAddress],
      ['Admin user', config.adminUser],
      ['Admin password', originText(data.adminPassword)],
      ...(config.services.plex.enabled ? [['Plex token', originText(data.plexToken)] as const] : []),
      ...(config.services.wireguard.enabled
        ? [['WireGuard', `server ${config.wireguard.serverUrl}, peers ${config.wireguard.peers}`] as const]
        : []),
      ...(config.engine === 'swarm' ? [['Engine', `Docker Swarm (docker stack deploy)${placementText(config)}`] as const] : []),
      ...(config.services.npm.enabled
        ? [
            [
              'Proxy',
              `${config.npm.email} (lower case: NPM logs in that way)${config.npm.domain ? `, domain ${config.npm.domain}` : ''}`,
            ] as const,
          ]
        : []),
    ]),
  );
  log.info('');
  const ports = publishedPorts(config);
  log.info(
    renderTable(
      ['service', 'container', 'host ports', 'open at'],
      enabledServices(config).map((id) => [
        CATALOG[id].label,
        containerName(id, config),
        ports
          .filter((p) => p.service === id)
          .map((p) => `${p.port}${p.protocol === 'udp' ? '/udp' : ''}`)
          .join(', '),
        CATALOG[id].ports.some((p) => p.role === 'web') ? hostUrl(id, config, config.hostAddress) : '',
      ]),
    ),
  );
  log.info('');
  log.info(`Writes: ${data.files.db}, ${data.files.composeFile}, ${data.files.envFile}`);
  if (data.composeDiff === undefined) log.info('docker-compose.yml will be created.');
  else if (data.composeDiff === '') log.info('docker-compose.yml stays as it is.');
  else await showChanges(ctx, data.composeDiff, data.composeChanges);
  log.info('');
  log.info(`Next, once this is written: ${log.style.bold(data.nextCommand)}`);
  if (!ctx.prompt) return true;
  return ctx.prompt.confirm({ name: 'confirm', message: 'Write this configuration?', default: true });
}

/**
 * A summary of the compose changes; the full diff (often longer than a screen, which would push
 * the review out of sight) only when asked for. Without anyone to ask, the log gets all of it.
 */
async function showChanges(
  ctx: Pick<WizardContext, 'log'> & { prompt?: WizardContext['prompt'] },
  diff: string,
  changes: ComposeChanges | undefined,
): Promise<void> {
  const { log } = ctx;
  log.info('Changes to docker-compose.yml:');
  for (const line of changes ? formatComposeChanges(changes) : []) log.info(`  ${line}`);
  const lines = diff.trimEnd().split('\n');
  if (
    ctx.prompt &&
    !(await ctx.prompt.confirm({ name: 'showDiff', message: `Show the full diff (${lines.length} lines)?`, default: false }))
  )
    return;
  for (const line of lines)
    log.info(/^\+(?!\+\+)/.test(line) ? log.style.green(line) : /^-(?!--)/.test(line) ? log.style.red(line) : log.style.dim(line));
}
