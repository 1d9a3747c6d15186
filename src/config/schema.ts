import { resolve } from 'node:path';
import { z } from 'zod';
import { REQUEST_MANAGERS, SERVICE_IDS, type SecretName, type ServiceId } from '../catalog/ids.js';
import { hasControl } from '../ui/echo.js';
import { engineSchema, placementsSchema } from '../engine/config.js';

/**
 * The one description of a plexarr stack. The wizard, the flags, the answers file and the rows
 * read back from SQLite are all validated by these schemas; every other type is inferred from them.
 */

export {
  DEFAULT_ENABLED,
  DEFAULT_PORTS,
  REQUEST_MANAGERS,
  SECRET_NAMES,
  SERVICE_IDS,
  type RequestManager,
  type SecretName,
  type ServiceId,
} from '../catalog/index.js';
export const serviceIdSchema = z.enum(SERVICE_IDS);
export const requestManagerSchema = z.enum(REQUEST_MANAGERS);

export const portSchema = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

/** 4294967295 is (uid_t)-1, which the kernel reads as "no change", never a real user. */
export const unixIdSchema = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be 0 or more')
  .max(4_294_967_294, 'must be at most 4294967294');

/** Paths end up inside YAML and `.env`: a newline, a `${` or a `:` would change what Compose reads. */
export const absolutePathSchema = z
  .string()
  .min(1, 'must not be empty')
  .refine((p) => p.startsWith('/'), 'must be an absolute path')
  .refine((p) => !/[\r\n]/.test(p), 'must not contain a newline')
  .refine((p) => !hasControl(p.replace(/[\r\n]/g, '')), 'must not contain control characters')
  .refine((p) => !p.includes('${'), 'must not contain "${"')
  .refine((p) => !p.includes(':'), 'must not contain ":" (Compose splits volume specs on it)');

let knownZones: Set<string> | undefined;
export function isKnownTimeZone(tz: string): boolean {
  knownZones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']);
  return knownZones.has(tz);
}
export const timeZoneSchema = z.string().refine(isKnownTimeZone, 'is not a known time zone');

const hostnameRe = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
export const hostAddressSchema = z
  .string()
  .refine(
    (h) => hostnameRe.test(h) || z.ipv4().safeParse(h).success || z.ipv6().safeParse(h).success,
    'must be a host name or an IP address',
  );

/** `--home`: the plexarr home, by default the current directory, always made absolute. */
export const homeOptionSchema = z
  .string()
  .min(1)
  .default(() => process.cwd())
  .transform((p) => resolve(p));

export const domainSchema = z.string().refine((h) => hostnameRe.test(h) && h.includes('.'), 'must be a domain name like example.com');

export const usernameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9._-]+$/, 'may contain only letters, digits, ".", "_" and "-"');

export const wireguardServerUrlSchema = z
  .string()
  .min(1, 'must not be empty')
  .refine((u) => u === 'auto' || hostnameRe.test(u) || z.ipv4().safeParse(u).success, 'must be "auto", a host name or an IP address');

export const wireguardPeersSchema = z
  .string()
  .regex(/^([1-9][0-9]?|[A-Za-z0-9]+(,[A-Za-z0-9]+)*)$/, 'must be a number (1-99) or a comma-separated list of names');

/**
 * Lower-cased before it goes anywhere: Nginx Proxy Manager stores the address as given but
 * lower-cases the one typed at login, so a stored capital letter could never log in.
 */
export const emailSchema = z.email('must be an e-mail address').toLowerCase();

export const serviceSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  ports: z.record(z.string(), portSchema),
});

/** TRaSH-guide quality profiles Recyclarr applies to Radarr and Sonarr; `none` leaves the apps' own. */
export const QUALITY_PROFILES = ['none', 'hd', 'uhd'] as const;
export type QualityProfile = (typeof QUALITY_PROFILES)[number];
export const qualityProfileSchema = z.enum(QUALITY_PROFILES, { error: `must be one of ${QUALITY_PROFILES.join(', ')}` });

const countSchema = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`);

/** NZBGet keeps options one per line in nzbget.conf: a line break would start another option. */
const confTextSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((v) => !/[\r\n]/.test(v), 'must not contain a newline');

/** A news server as saved (its password is the secret `USENET_<n>_PASSWORD`). */
export const usenetServerSchema = z.strictObject({
  host: hostAddressSchema,
  port: portSchema,
  tls: z.boolean(),
  user: confTextSchema.optional(),
  connections: countSchema(1, 999),
  /** 0 = primary; backup/fill servers get 1 and up (NZBGet tries lower levels first). */
  level: countSchema(0, 99),
  /** Days of articles the server keeps; 0 = unknown (NZBGet then tries every article). */
  retention: countSchema(0, 100000),
});
export type UsenetServer = z.infer<typeof usenetServerSchema>;

/** Prowlarr names the indexer after this; Newznab definitions take http(s) base URLs. */
export const indexerNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._()+-]*$/, 'may contain only letters, digits, spaces and . _ ( ) + -');
export const indexerUrlSchema = z.string().refine((u) => {
  try {
    const url = new URL(u);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}, 'must be an http(s) URL without a user or password, like https://api.nzbgeek.info');

/**
 * An indexer as saved (its API key is the secret `INDEXER_<n>_API_KEY`): a Prowlarr preset by
 * name, or the generic Newznab definition at `url`; a preset with a `url` uses that URL instead.
 */
export const indexerSchema = z
  .strictObject({ name: indexerNameSchema, preset: indexerNameSchema.optional(), url: indexerUrlSchema.optional() })
  .refine((i) => i.preset !== undefined || i.url !== undefined, {
    message: 'needs a Newznab URL or the name of a Prowlarr preset',
    path: ['url'],
  });
export type Indexer = z.infer<typeof indexerSchema>;
export type ServiceSettings = z.infer<typeof serviceSettingsSchema>;

/** The saved, non-secret configuration (`configs` table, one row per confirmed init). */
export const stackConfigSchema = z.strictObject({
  schemaVersion: z.literal(1),
  mediaRoot: absolutePathSchema,
  configRoot: absolutePathSchema,
  puid: unixIdSchema,
  pgid: unixIdSchema,
  tz: timeZoneSchema,
  hostAddress: hostAddressSchema,
  requestManager: requestManagerSchema,
  adminUser: usernameSchema,
  // A service added in a later version is off in a configuration saved before it existed.
  services: z.strictObject(
    Object.fromEntries(SERVICE_IDS.map((id) => [id, serviceSettingsSchema.default({ enabled: false, ports: {} })])) as Record<
      ServiceId,
      z.ZodDefault<typeof serviceSettingsSchema>
    >,
  ),
  wireguard: z.strictObject({
    serverUrl: wireguardServerUrlSchema,
    peers: wireguardPeersSchema,
  }),
  npm: z.strictObject({
    email: emailSchema,
    domain: domainSchema.optional(),
  }),
  /** Absent for Compose, so a config saved before Swarm support reads back as it was. */
  engine: engineSchema.optional(),
  placements: placementsSchema.optional(),
  // Defaults: configurations saved before these answers existed read as "none given".
  usenetServers: z.array(usenetServerSchema).default([]),
  indexers: z.array(indexerSchema).default([]),
  qualityProfile: qualityProfileSchema.default('hd'),
});
export type StackConfig = z.infer<typeof stackConfigSchema>;

/** Secrets live apart from the config (`secrets` table, `.env`), never in logs or output. */
export type Secrets = Partial<Record<SecretName, string>>;
