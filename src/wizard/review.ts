import { CATALOG, containerName, enabledServices, hostUrl, publishedPorts } from '../catalog/index.js';
import type { StackConfig } from '../config/schema.js';
import { renderPairs, renderTable } from '../ui/table.js';
import type { WizardContext } from './context.js';

/** Where a secret the review mentions comes from; the value itself is never shown. */
export type SecretOrigin = 'given' | 'saved' | 'generated' | 'missing';

export interface ReviewData {
  home: string;
  config: StackConfig;
  files: { composeFile: string; envFile: string; db: string };
  /** Unified diff of the compose file against the one on disk ('' = same); undefined when there is none yet. */
  composeDiff: string | undefined;
  adminPassword: SecretOrigin;
  plexToken: SecretOrigin;
}

const ORIGIN_TEXT: Record<SecretOrigin, string> = {
  given: 'as given (hidden)',
  saved: 'kept from the last init (hidden)',
  generated: 'generated (see `plexarr credentials`)',
  missing: 'not set (add it with `plexarr coordinate --plex-token …`)',
};

/**
 * Step 5: one readable summary of everything that will be written, the compose changes on a
 * re-run, then a confirmation (skipped with `--yes` or when nobody is there to ask).
 */
export async function review(ctx: Pick<WizardContext, 'log'> & { prompt?: WizardContext['prompt'] }, data: ReviewData): Promise<boolean> {
  const { log } = ctx;
  const { config } = data;
  log.info(log.style.bold('Review'));
  log.info(
    renderPairs([
      ['Home', data.home],
      ['Media root', `${config.mediaRoot} (/data in the containers)`],
      ['Config root', config.configRoot],
      ['PUID / PGID', `${config.puid} / ${config.pgid}`],
      ['Time zone', config.tz],
      ['Host address', config.hostAddress],
      ['Admin user', config.adminUser],
      ['Admin password', ORIGIN_TEXT[data.adminPassword]],
      ...(config.services.plex.enabled ? [['Plex token', ORIGIN_TEXT[data.plexToken]] as const] : []),
      ...(config.services.wireguard.enabled ? [['WireGuard', `server ${config.wireguard.serverUrl}, peers ${config.wireguard.peers}`] as const] : []),
      ...(config.services.npm.enabled ? [['Proxy', `${config.npm.email} (lower case: NPM logs in that way)${config.npm.domain ? `, domain ${config.npm.domain}` : ''}`] as const] : []),
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
        ports.filter((p) => p.service === id).map((p) => `${p.port}${p.protocol === 'udp' ? '/udp' : ''}`).join(', '),
        CATALOG[id].ports.some((p) => p.role === 'web') ? hostUrl(id, config, config.hostAddress) : '',
      ]),
    ),
  );
  log.info('');
  log.info(`Writes: ${data.files.db}, ${data.files.composeFile}, ${data.files.envFile}`);
  if (data.composeDiff === undefined) log.info('docker-compose.yml will be created.');
  else if (data.composeDiff === '') log.info('docker-compose.yml stays as it is.');
  else {
    log.info('Changes to docker-compose.yml:');
    for (const line of data.composeDiff.trimEnd().split('\n')) log.info(/^\+(?!\+\+)/.test(line) ? log.style.green(line) : /^-(?!--)/.test(line) ? log.style.red(line) : log.style.dim(line));
  }
  if (!ctx.prompt) return true;
  return ctx.prompt.confirm({ name: 'confirm', message: 'Write this configuration?', default: true });
}
