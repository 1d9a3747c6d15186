import { MASK } from '../redact.js';
import { type Answers, answersSchema, parsePortKey, PORT_KEYS } from './answers.js';
import { controlCharIssues, FLAGS, issuesFromZod, secretsIn, usageErrorFrom, type AnswerIssue, type AnswerSource } from './issues.js';

/** What commander hands over for the answer flags: strings, and `--port` collected as a list. */
export interface AnswerFlags {
  mediaRoot?: string;
  configRoot?: string;
  puid?: string;
  pgid?: string;
  tz?: string;
  hostAddress?: string;
  services?: string;
  port?: string[];
  requestManager?: string;
  adminUser?: string;
  adminPassword?: string;
  plexToken?: string;
  wireguardPeers?: string;
  wireguardServerUrl?: string;
  npmEmail?: string;
  domain?: string;
  engine?: string;
  place?: string[];
  usenetServer?: string;
  usenetUser?: string;
  usenetPassword?: string;
  usenetConnections?: string;
  indexer?: string[];
  qualityProfile?: string;
}

const STRING_FLAGS = [
  'mediaRoot',
  'configRoot',
  'tz',
  'hostAddress',
  'requestManager',
  'adminUser',
  'adminPassword',
  'plexToken',
  'wireguardPeers',
  'wireguardServerUrl',
  'npmEmail',
  'domain',
  'engine',
  'qualityProfile',
] as const;

/** The flags of the one news server flags can give; `--usenet-server` is the one that adds it. */
const USENET_DETAIL_FLAGS = ['usenetUser', 'usenetPassword', 'usenetConnections'] as const;

/**
 * Validates answers from any source; throws one UsageError listing every problem. `knownSecrets`
 * (secrets given by another source) are masked wherever the error would quote them.
 */
export function parseAnswers(
  input: unknown,
  source: AnswerSource,
  extra: AnswerIssue[] = [],
  knownSecrets: readonly string[] = [],
): Answers {
  const parsed = answersSchema.safeParse(input);
  // One complaint per field: a control character or a bad port key hides what its schema says.
  const early = new Map<string, AnswerIssue>();
  for (const issue of [...controlCharIssues(input), ...portKeyIssues(input)])
    if (!early.has(pathKey(issue))) early.set(pathKey(issue), issue);
  const schemaIssues = parsed.success ? [] : issuesFromZod(parsed.error, input).filter((i) => !early.has(pathKey(i)));
  const issues = [...extra, ...early.values(), ...schemaIssues];
  if (issues.length > 0 || !parsed.success) throw usageErrorFrom(issues, source, [...knownSecrets, ...secretsIn(input)]);
  return parsed.data;
}

const pathKey = (issue: AnswerIssue) => issue.path.join('\0');

/** zod's record drops a `__proto__` key without a word, so port keys are checked on the raw input. */
function portKeyIssues(input: unknown): AnswerIssue[] {
  const ports = input !== null && typeof input === 'object' ? (input as { ports?: unknown }).ports : undefined;
  if (ports === null || typeof ports !== 'object' || Array.isArray(ports)) return [];
  return Object.keys(ports)
    .filter((key) => !parsePortKey(key))
    .map((key) => ({ path: ['ports', key], message: `is not a service port (known: ${PORT_KEYS.join(', ')})`, value: key }));
}

/** Flags → answers: numbers where a number is meant, `--services a,b` as a list, `--port k=n` as a map. */
export function answersFromFlags(flags: AnswerFlags): Answers {
  const raw: Record<string, unknown> = {};
  const issues: AnswerIssue[] = [];
  for (const name of STRING_FLAGS) if (flags[name] !== undefined) raw[name] = flags[name];
  if (flags.puid !== undefined) raw.puid = numberOrText(flags.puid);
  if (flags.pgid !== undefined) raw.pgid = numberOrText(flags.pgid);
  if (flags.services !== undefined) {
    const services = flags.services
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (services.length === 0) issues.push({ path: ['services'], message: 'must name at least one service', value: flags.services });
    else raw.services = services;
  }
  if (flags.port !== undefined) {
    // No prototype: `--port __proto__=1` must be an unknown key, not a write to Object.prototype.
    const ports: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const spec of flags.port) {
      const match = /^([^=\s]+)=(.*)$/.exec(spec.trim());
      if (!match?.[1] || match[2] === undefined)
        issues.push({ path: ['ports'], message: 'must look like <service>[.<role>]=<port>', value: spec });
      else ports[match[1]] = numberOrText(match[2]);
    }
    raw.ports = ports;
  }
  if (flags.place !== undefined) raw.place = placeFromFlags(flags.place, issues);
  const usenet = usenetFromFlags(flags, issues);
  if (usenet) raw.usenetServers = [usenet];
  if (flags.indexer !== undefined) raw.indexers = flags.indexer.flatMap((spec) => indexerFromFlag(spec, issues) ?? []);
  return parseAnswers(raw, FLAGS, issues);
}

/** `--place plex=node.labels.gpu==true`, repeatable; a service named twice gets both constraints. */
function placeFromFlags(specs: readonly string[], issues: AnswerIssue[]): Record<string, string[]> {
  const place: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const spec of specs) {
    const match = /^([^=\s]+)=(.+)$/.exec(spec.trim());
    if (!match?.[1] || match[2] === undefined)
      issues.push({ path: ['place'], message: 'must look like <service>=<constraint>, e.g. plex=node.labels.gpu==true', value: spec });
    else place[match[1]] = [...(place[match[1]] ?? []), match[2].trim()];
  }
  return place;
}

/** `--usenet-server host[:port]` with its user, password and connections, as one server. */
function usenetFromFlags(flags: AnswerFlags, issues: AnswerIssue[]): Record<string, unknown> | undefined {
  if (flags.usenetServer === undefined) {
    const stray = USENET_DETAIL_FLAGS.find((name) => flags[name] !== undefined);
    if (stray)
      issues.push({
        path: ['usenetServers', 0, stray === 'usenetUser' ? 'user' : stray === 'usenetPassword' ? 'password' : 'connections'],
        message: 'needs --usenet-server too',
      });
    return undefined;
  }
  const spec = flags.usenetServer.trim();
  // host:port, [v6]:port, or a bare host (the port then follows from TLS).
  const match = /^(\[[^\]]+\]|[^:]+)(?::(.*))?$/.exec(spec);
  const server: Record<string, unknown> = { host: (match?.[1] ?? spec).replace(/^\[(.*)\]$/, '$1') };
  if (match?.[2] !== undefined) server.port = numberOrText(match[2]);
  if (flags.usenetUser !== undefined) server.user = flags.usenetUser;
  if (flags.usenetPassword !== undefined) server.password = flags.usenetPassword;
  if (flags.usenetConnections !== undefined) server.connections = numberOrText(flags.usenetConnections);
  return server;
}

/**
 * `--indexer 'Name=https://url,APIKEY'` (a Newznab indexer) or `--indexer 'Preset,APIKEY'` (a
 * Prowlarr preset by name). A spec that fits neither is reported with its key masked.
 */
function indexerFromFlag(spec: string, issues: AnswerIssue[]): Record<string, unknown> | undefined {
  const comma = spec.lastIndexOf(',');
  const head = comma < 0 ? spec : spec.slice(0, comma);
  const apiKey = comma < 0 ? undefined : spec.slice(comma + 1).trim();
  if (apiKey === undefined || apiKey === '') {
    // Without a comma the whole spec may be the key: nothing of it is echoed.
    issues.push({
      path: ['indexers', 'spec'],
      message: "must look like 'Name=https://url,APIKEY' or 'Preset,APIKEY'",
      value: comma < 0 ? MASK : head,
    });
    return undefined;
  }
  const eq = head.indexOf('=');
  if (eq < 0) return { name: head.trim(), preset: head.trim(), apiKey };
  return { name: head.slice(0, eq).trim(), url: head.slice(eq + 1).trim(), apiKey };
}

/** A numeric flag stays text when it is not a number, so the error can quote what was typed. */
function numberOrText(value: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
}
