import { z } from 'zod';
import {
  apiKeySecret,
  CATALOG,
  catalogEntry,
  enabledServices,
  hostUrl,
  indexerApiKeySecret,
  usenetPasswordSecret,
} from '../catalog/index.js';
import { EXIT } from '../errors.js';
import { loadHome } from '../state/load-home.js';
import { renderPairs } from '../ui/table.js';
import { createLogger, type Logger } from '../ui/logger.js';
import { homeOptionSchema, type Secrets, type ServiceId, type StackConfig } from '../config/schema.js';

/**
 * The one command that prints secrets, on purpose: the logins and API keys plexarr generated, so
 * a person can sign in to each app. Everything else in plexarr masks these values.
 */
export const credentialsOptionsSchema = z.object({
  home: homeOptionSchema,
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

/** The stack admin, the API keys, and each service's own login under its id (`nzbget`, `npm`). */
export type Credentials = {
  admin: { user: string; password?: string; usedBy: string[] };
  apiKeys: Partial<Record<ServiceId, { url?: string; apiKey?: string }>>;
  /** The user's own accounts plexarr hands to NZBGet and Prowlarr (left out when there are none). */
  usenetServers?: { host: string; user?: string; password?: string }[];
  indexers?: { name: string; apiKey?: string }[];
} & Partial<Record<ServiceId, Login>>;

export function defaultCredentialsDeps(): CredentialsDeps {
  return { log: createLogger(), stdoutIsTTY: process.stdout.isTTY === true };
}

export async function runCredentials(options: CredentialsOptions, deps: CredentialsDeps = defaultCredentialsDeps()): Promise<number> {
  const opts = credentialsOptionsSchema.parse(options);
  const { state, config, secrets } = loadHome(opts.home, { readonly: true });
  state.close();
  if (!deps.stdoutIsTTY) deps.log.warn('stdout is not a terminal: these secrets are going to a pipe or a file — keep it private.');
  const creds = collectCredentials(config, secrets);
  deps.log.info(opts.json ? JSON.stringify(creds, null, 2) : renderCredentials(creds, config));
  return EXIT.ok;
}

const url = (id: ServiceId, config: StackConfig) =>
  CATALOG[id].ports.some((p) => p.role === 'web') ? hostUrl(id, config, config.hostAddress) : undefined;

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
  const adminApps = enabled.filter((id) => CATALOG[id].login?.kind === 'stack').map((id) => catalogEntry(id, config).label);
  const creds: Credentials = {
    admin: { user: config.adminUser, ...(secrets.ADMIN_PASSWORD ? { password: secrets.ADMIN_PASSWORD } : {}), usedBy: adminApps },
    apiKeys,
  };
  if (config.usenetServers.length > 0)
    creds.usenetServers = config.usenetServers.map((s, i) =>
      defined({ host: s.host, user: s.user, password: secrets[usenetPasswordSecret(i)] }),
    );
  if (config.indexers.length > 0)
    creds.indexers = config.indexers.map((x, i) => defined({ name: x.name, apiKey: secrets[indexerApiKeySecret(i)] }));
  for (const id of enabled) {
    const login = CATALOG[id].login;
    if (login?.kind === 'own')
      creds[id] = defined({ url: url(id, config), user: login.user(config, secrets), password: secrets[login.password] });
  }
  return creds;
}

const NOT_SET = '(not set)';

function renderCredentials(creds: Credentials, config: StackConfig): string {
  const sections: string[] = ['plexarr credentials — secrets; do not paste this output anywhere public.'];
  sections.push(
    `Stack admin (web login of ${creds.admin.usedBy.join(', ') || 'the *arr apps'})\n` +
      indent(
        renderPairs([
          ['user', creds.admin.user],
          ['password', creds.admin.password ?? NOT_SET],
        ]),
      ),
  );
  const keys = Object.entries(creds.apiKeys).map(
    ([id, k]) => [catalogEntry(id as ServiceId, config).label, `${k.apiKey ?? NOT_SET}  ${k.url ?? ''}`.trimEnd()] as const,
  );
  if (keys.length > 0) sections.push(`API keys\n${indent(renderPairs(keys))}`);
  const accounts = [
    ...(creds.usenetServers ?? []).map((s) => [`Usenet ${s.host}`, `${s.user ?? NOT_SET} / ${s.password ?? NOT_SET}`] as const),
    ...(creds.indexers ?? []).map((x) => [`Indexer ${x.name}`, x.apiKey ?? NOT_SET] as const),
  ];
  if (accounts.length > 0) sections.push(`Your accounts (Usenet: user / password; indexers: API key)\n${indent(renderPairs(accounts))}`);
  for (const id of enabledServices(config)) {
    const login = CATALOG[id].login;
    const l = creds[id];
    if (login?.kind !== 'own' || !l) continue;
    const title = `${catalogEntry(id, config).label}${login.what ? ` ${login.what}` : ''}`;
    sections.push(
      `${title}${l.url ? ` (${l.url})` : ''}\n${indent(
        renderPairs([
          ['user', l.user ?? NOT_SET],
          ['password', l.password ?? NOT_SET],
        ]),
      )}`,
    );
  }
  return sections.join('\n\n');
}

function indent(text: string): string {
  return text.replace(/^/gm, '  ');
}
