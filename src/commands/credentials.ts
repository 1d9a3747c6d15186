import { resolve } from 'node:path';
import { z } from 'zod';
import { apiKeySecret, CATALOG, catalogEntry, enabledServices, hostUrl } from '../catalog/index.js';
import type { Secrets, ServiceId, StackConfig } from '../config/schema.js';
import { EXIT, WorkError } from '../errors.js';
import { latestConfig } from '../state/configs.js';
import { openState } from '../state/db.js';
import { getSecrets } from '../state/secrets.js';
import { renderPairs } from '../ui/table.js';
import { createLogger, type Logger } from '../ui/logger.js';
import { plexarrCommand } from '../ui/invocation.js';

/**
 * The one command that prints secrets, on purpose: the logins and API keys plexarr generated, so
 * a person can sign in to each app. Everything else in plexarr masks these values.
 */
export const credentialsOptionsSchema = z.object({
  home: z.string().min(1).default(() => process.cwd()).transform((p) => resolve(p)),
  json: z.boolean().default(false),
});
export type CredentialsOptions = z.input<typeof credentialsOptionsSchema>;

export interface CredentialsDeps {
  log: Pick<Logger, 'info' | 'warn'>;
  /** Secrets on a terminal are seen once; in a pipe or file they may be kept. */
  stdoutIsTTY: boolean;
}

interface Login {
  url?: string;
  user?: string;
  password?: string;
}

export interface Credentials {
  admin: { user: string; password?: string; usedBy: string[] };
  apiKeys: Partial<Record<ServiceId, { url?: string; apiKey?: string }>>;
  nzbget?: Login;
  nzbget2?: Login;
  npm?: Login;
}

export function defaultCredentialsDeps(): CredentialsDeps {
  return { log: createLogger(), stdoutIsTTY: process.stdout.isTTY === true };
}

export async function runCredentials(options: CredentialsOptions, deps: CredentialsDeps = defaultCredentialsDeps()): Promise<number> {
  const opts = credentialsOptionsSchema.parse(options);
  const state = openState(opts.home, { readonly: true });
  let config: StackConfig | undefined;
  let secrets: Secrets;
  try {
    config = latestConfig(state.db);
    secrets = getSecrets(state.db);
  } finally {
    state.close();
  }
  if (!config) throw new WorkError(`No saved configuration in ${opts.home}. Run \`${plexarrCommand('init')}\` first.`);
  if (!deps.stdoutIsTTY) deps.log.warn('stdout is not a terminal: these secrets are going to a pipe or a file — keep it private.');
  const creds = collectCredentials(config, secrets);
  deps.log.info(opts.json ? JSON.stringify(creds, null, 2) : renderCredentials(creds, config));
  return EXIT.ok;
}

const url = (id: ServiceId, config: StackConfig) => (CATALOG[id].ports.some((p) => p.role === 'web') ? hostUrl(id, config, config.hostAddress) : undefined);

/** Leaves out what is not set, so JSON has no `undefined` holes and text says "(not set)". */
function defined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;
}

export function collectCredentials(config: StackConfig, secrets: Secrets): Credentials {
  const enabled = enabledServices(config);
  const apiKeys: Credentials['apiKeys'] = {};
  for (const id of enabled) {
    const secret = apiKeySecret(id);
    if (secret) apiKeys[id] = defined({ url: url(id, config), apiKey: secrets[secret] });
  }
  const adminApps = enabled.filter((id) => ['radarr', 'sonarr', 'lidarr', 'prowlarr'].includes(id)).map((id) => catalogEntry(id, config).label);
  const creds: Credentials = { admin: { user: config.adminUser, ...(secrets.ADMIN_PASSWORD ? { password: secrets.ADMIN_PASSWORD } : {}), usedBy: adminApps }, apiKeys };
  if (enabled.includes('nzbget')) creds.nzbget = defined({ url: url('nzbget', config), user: secrets.NZBGET_USER, password: secrets.NZBGET_PASS });
  if (enabled.includes('nzbget2')) creds.nzbget2 = defined({ url: url('nzbget2', config), user: secrets.NZBGET2_USER, password: secrets.NZBGET2_PASS });
  if (enabled.includes('npm')) creds.npm = defined({ url: url('npm', config), user: config.npm.email, password: secrets.NPM_ADMIN_PASSWORD });
  return creds;
}

const NOT_SET = '(not set)';

function renderCredentials(creds: Credentials, config: StackConfig): string {
  const sections: string[] = ['plexarr credentials — secrets; do not paste this output anywhere public.'];
  sections.push(
    `Stack admin (web login of ${creds.admin.usedBy.join(', ') || 'the *arr apps'})\n` +
      indent(renderPairs([['user', creds.admin.user], ['password', creds.admin.password ?? NOT_SET]])),
  );
  const keys = Object.entries(creds.apiKeys).map(([id, k]) => [catalogEntry(id as ServiceId, config).label, `${k.apiKey ?? NOT_SET}  ${k.url ?? ''}`.trimEnd()] as const);
  if (keys.length > 0) sections.push(`API keys\n${indent(renderPairs(keys))}`);
  for (const [title, l] of [['NZBGet', creds.nzbget], ['NZBGet 2', creds.nzbget2], ['Nginx Proxy Manager admin', creds.npm]] as const) {
    if (!l) continue;
    sections.push(`${title}${l.url ? ` (${l.url})` : ''}\n${indent(renderPairs([['user', l.user ?? NOT_SET], ['password', l.password ?? NOT_SET]]))}`);
  }
  return sections.join('\n\n');
}

function indent(text: string): string {
  return text.replace(/^/gm, '  ');
}
