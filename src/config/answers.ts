import { z } from 'zod';
import { hasControl } from '../ui/echo.js';
import { engineSchema, placeAnswerSchema } from '../engine/config.js';
import {
  absolutePathSchema,
  DEFAULT_PORTS,
  domainSchema,
  emailSchema,
  hostAddressSchema,
  indexerNameSchema,
  indexerUrlSchema,
  portSchema,
  qualityProfileSchema,
  usenetServerSchema,
  requestManagerSchema,
  SERVICE_IDS,
  timeZoneSchema,
  unixIdSchema,
  usernameSchema,
  wireguardPeersSchema,
  wireguardServerUrlSchema,
  type ServiceId,
} from './schema.js';

/**
 * The answers to `plexarr init`, keyed by question name. The same names are the wizard's
 * questions, the keys of an answers file, and (kebab-cased) the flags — so flags, files and
 * prompts are validated by this one schema and an error can always name the flag to fix.
 */

const serviceNameSchema = z.enum(SERVICE_IDS, { error: `is not a known service (known: ${SERVICE_IDS.join(', ')})` });

/** A secret typed by the user: it lands in `.env`, where a newline would end the value. */
const secretInputSchema = z
  .string()
  .min(1, 'must not be empty')
  .refine((v) => !/[\r\n]/.test(v), 'must not contain a newline')
  .refine((v) => !hasControl(v.replace(/[\r\n]/g, '')), 'must not contain control characters');

/** Also checks `coordinate --plex-token`, so a token is held to one rule wherever it is given. */
export const plexTokenSchema = secretInputSchema.refine(
  (v) => /^[A-Za-z0-9_.-]+$/.test(v),
  'may contain only letters, digits, ".", "_" and "-"',
);

/** A news server as answered: what the saved one has, with defaults left out, plus its password. */
export const usenetServerAnswerSchema = usenetServerSchema
  .partial()
  .required({ host: true })
  .extend({ password: secretInputSchema.optional() });
export type UsenetServerAnswer = z.infer<typeof usenetServerAnswerSchema>;

/** An indexer as answered: its name, where it is (a Newznab URL or a Prowlarr preset) and its API key. */
export const indexerAnswerSchema = z
  .strictObject({
    name: indexerNameSchema,
    preset: indexerNameSchema.optional(),
    url: indexerUrlSchema.optional(),
    apiKey: secretInputSchema,
  })
  .refine((i) => i.preset !== undefined || i.url !== undefined, {
    message: 'needs a Newznab URL or the name of a Prowlarr preset',
    path: ['url'],
  });
export type IndexerAnswer = z.infer<typeof indexerAnswerSchema>;

export const answersSchema = z
  .strictObject({
    mediaRoot: absolutePathSchema,
    configRoot: absolutePathSchema,
    puid: unixIdSchema,
    pgid: unixIdSchema,
    tz: timeZoneSchema,
    hostAddress: hostAddressSchema,
    services: z.array(serviceNameSchema).min(1, 'must name at least one service'),
    ports: z.record(z.string(), portSchema).superRefine((ports, ctx) => {
      for (const key of Object.keys(ports)) {
        if (!parsePortKey(key))
          ctx.addIssue({ code: 'custom', path: [key], message: `is not a service port (known: ${PORT_KEYS.join(', ')})`, input: key });
      }
    }),
    requestManager: requestManagerSchema,
    adminUser: usernameSchema,
    adminPassword: secretInputSchema.refine((v) => v.length >= 8, 'must be at least 8 characters'),
    plexToken: plexTokenSchema,
    wireguardPeers: wireguardPeersSchema,
    wireguardServerUrl: wireguardServerUrlSchema,
    npmEmail: emailSchema,
    domain: domainSchema,
    engine: engineSchema,
    place: placeAnswerSchema.superRefine((place, ctx) => {
      for (const key of Object.keys(place)) {
        if (!(SERVICE_IDS as readonly string[]).includes(key))
          ctx.addIssue({ code: 'custom', path: [key], message: `is not a known service (known: ${SERVICE_IDS.join(', ')})`, input: key });
      }
    }),
    usenetServers: z.array(usenetServerAnswerSchema),
    indexers: z.array(indexerAnswerSchema).superRefine((list, ctx) => {
      list.forEach((indexer, i) => {
        if (list.findIndex((other) => other.name === indexer.name) !== i)
          ctx.addIssue({
            code: 'custom',
            path: [i, 'name'],
            message: 'names another indexer too; each needs its own name',
            input: indexer.name,
          });
      });
    }),
    qualityProfile: qualityProfileSchema,
  })
  .partial();
export type Answers = z.infer<typeof answersSchema>;
export type QuestionName = keyof Answers;
export const QUESTION_NAMES = Object.keys(answersSchema.shape) as QuestionName[];

/** The flag that answers a question (`mediaRoot` → `--media-root`; `ports` → `--port`). */
export function flagFor(question: QuestionName): string {
  if (question === 'ports') return '--port';
  if (question === 'usenetServers') return '--usenet-server';
  if (question === 'indexers') return '--indexer';
  return `--${question.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** A port answer's key: `radarr` (its main port) or `npm.http` (one role of a service). */
export interface PortKey {
  service: ServiceId;
  role: string;
}

const rolesOf = (id: ServiceId): string[] => Object.keys(DEFAULT_PORTS[id]);

/** The role a bare `--port <service>=n` sets: the web UI where there is one, else the only port. */
export function mainRole(id: ServiceId): string {
  const roles = rolesOf(id);
  return roles.includes('web') ? 'web' : (roles[0] ?? 'web');
}

export const PORT_KEYS: string[] = SERVICE_IDS.filter((id) => rolesOf(id).length > 0).flatMap((id) => [
  id,
  ...(rolesOf(id).length > 1 ? rolesOf(id).map((r) => `${id}.${r}`) : []),
]);

export function parsePortKey(key: string): PortKey | undefined {
  const [name, role, extra] = key.split('.');
  const service = SERVICE_IDS.find((id) => id === name);
  if (!service || extra !== undefined) return undefined;
  const resolvedRole = role ?? mainRole(service);
  return rolesOf(service).includes(resolvedRole) ? { service, role: resolvedRole } : undefined;
}

/** The shortest key naming a port: `radarr` for its main port, `npm.http` otherwise. */
export function portKey(service: ServiceId, role: string): string {
  return role === mainRole(service) ? service : `${service}.${role}`;
}

/** Port keys in their shortest spelling, so `radarr` and `radarr.web` merge as one answer. */
export function normalisePorts(ports: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, port] of Object.entries(ports)) {
    const parsed = parsePortKey(key);
    out[parsed ? portKey(parsed.service, parsed.role) : key] = port;
  }
  return out;
}

/** Later answers win; ports and placements merge key by key. */
export function mergeAnswers(...layers: Answers[]): Answers {
  const out: Answers = {};
  for (const layer of layers) {
    const { ports, place, ...rest } = layer;
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
    if (ports) out.ports = { ...out.ports, ...normalisePorts(ports) };
    if (place) out.place = { ...out.place, ...place };
  }
  return out;
}
