import { CATALOG, portClashes, publishedPorts } from '../catalog/index.js';
import { engineOf, type Placements } from '../engine/config.js';
import { indexerApiKeySecret, usenetPasswordSecret } from '../catalog/ids.js';
import { RECYCLARR_APPS } from '../catalog/recyclarr.js';
import type { Answers, QuestionName, UsenetServerAnswer } from './answers.js';
import { portKey } from './answers.js';
import { answeredPort, defaultNpmEmail } from './defaults.js';
import { issuesFromZod, type AnswerIssue } from './issues.js';
import {
  DEFAULT_PORTS,
  SERVICE_IDS,
  stackConfigSchema,
  type Secrets,
  type ServiceId,
  type StackConfig,
  type UsenetServer,
} from './schema.js';

/**
 * Answers → StackConfig. The schema checks each value; the rules here check what only the whole
 * stack can tell (services that need another one, two services on one host port).
 */

export type BuildResult = { ok: true; config: StackConfig } | { ok: false; issues: AnswerIssue[] };

/** The questions that must have an answer (from a flag, the file, or `--yes` taking the default). */
export function requiredQuestions(services: readonly ServiceId[]): QuestionName[] {
  const required: QuestionName[] = ['mediaRoot', 'configRoot', 'puid', 'pgid', 'tz', 'hostAddress', 'services', 'adminUser'];
  if (services.includes('requests')) required.push('requestManager');
  if (services.includes('wireguard')) required.push('wireguardPeers', 'wireguardServerUrl');
  if (services.includes('npm')) required.push('npmEmail');
  return required;
}

/** The `services` part of a config: enabled flags and every port, answered or default. */
export function servicesFromAnswers(answers: Pick<Answers, 'services' | 'ports'>): StackConfig['services'] {
  const enabled = new Set(answers.services ?? []);
  return Object.fromEntries(
    SERVICE_IDS.map((id) => [
      id,
      {
        enabled: enabled.has(id),
        ports: Object.fromEntries(Object.keys(DEFAULT_PORTS[id]).map((role) => [role, answeredPort(answers, id, role)])),
      },
    ]),
  ) as StackConfig['services'];
}

/** NZBGet's defaults for a news server: the TLS port 563 (119 in clear), 8 connections, primary level. */
export function usenetServerFromAnswer(answer: UsenetServerAnswer): UsenetServer {
  const tls = answer.tls ?? true;
  return {
    host: answer.host,
    port: answer.port ?? (tls ? 563 : 119),
    tls,
    ...(answer.user !== undefined ? { user: answer.user } : {}),
    connections: answer.connections ?? 8,
    level: answer.level ?? 0,
    retention: answer.retention ?? 0,
  };
}

/** The secrets the answers give for servers and indexers, by position (`USENET_1_PASSWORD`, …). */
export function accountSecrets(answers: Pick<Answers, 'usenetServers' | 'indexers'>): Secrets {
  const secrets: Secrets = {};
  answers.usenetServers?.forEach((server, i) => {
    if (server.password !== undefined) secrets[usenetPasswordSecret(i)] = server.password;
  });
  answers.indexers?.forEach((indexer, i) => {
    secrets[indexerApiKeySecret(i)] = indexer.apiKey;
  });
  return secrets;
}

/**
 * `saved`: the servers and indexers of the last saved configuration, kept when the answers name
 * none (their passwords and keys stay in the secrets table, never in answers).
 */
export function buildConfig(answers: Answers, saved: Partial<Pick<StackConfig, 'usenetServers' | 'indexers'>> = {}): BuildResult {
  const raw = {
    schemaVersion: 1,
    mediaRoot: answers.mediaRoot,
    configRoot: answers.configRoot,
    puid: answers.puid,
    pgid: answers.pgid,
    tz: answers.tz,
    hostAddress: answers.hostAddress,
    requestManager: answers.requestManager ?? 'seerr',
    adminUser: answers.adminUser,
    services: servicesFromAnswers(answers),
    wireguard: { serverUrl: answers.wireguardServerUrl ?? 'auto', peers: answers.wireguardPeers ?? '1' },
    npm: { email: answers.npmEmail ?? defaultNpmEmail(answers.domain), ...(answers.domain ? { domain: answers.domain } : {}) },
    ...(answers.engine === 'swarm' ? { engine: answers.engine } : {}),
    ...(answers.place && Object.keys(answers.place).length > 0 ? { placements: placementsFromAnswer(answers.place) } : {}),
    usenetServers: answers.usenetServers?.map(usenetServerFromAnswer) ?? saved.usenetServers ?? [],
    indexers: answers.indexers?.map(({ apiKey: _key, ...indexer }) => indexer) ?? saved.indexers ?? [],
    qualityProfile: answers.qualityProfile ?? 'hd',
  };
  // Recyclarr only applies a quality profile: with none chosen it has nothing to do.
  if (raw.qualityProfile === 'none') raw.services.recyclarr.enabled = false;
  const parsed = stackConfigSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: issuesFromZod(parsed.error, raw).map(toAnswerPath) };
  const issues = stackRuleIssues(parsed.data);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, config: parsed.data };
}

/** Services chosen without one they need (NZBGet 2 without NZBGet, Maintainerr without Plex). */
export function requirementProblems(enabled: readonly ServiceId[]): string[] {
  const problems = enabled.flatMap((id) =>
    CATALOG[id].requires
      .filter((needed) => !enabled.includes(needed))
      .map((needed) => `${id} needs ${needed}; enable ${needed} too or drop ${id}`),
  );
  if (enabled.includes('recyclarr') && !RECYCLARR_APPS.some((app) => enabled.includes(app))) {
    problems.push(`recyclarr needs ${RECYCLARR_APPS.join(' or ')}; enable one of them too or drop recyclarr`);
  }
  return problems;
}

export function stackRuleIssues(config: StackConfig): AnswerIssue[] {
  const enabled = SERVICE_IDS.filter((id) => config.services[id].enabled);
  const issues: AnswerIssue[] = requirementProblems(enabled).map((message) => ({ path: ['services'], message, value: enabled }));
  for (const [id, constraints] of Object.entries(config.placements ?? {})) {
    if (engineOf(config) !== 'swarm')
      issues.push({ path: ['place', id], message: 'places a service on a Swarm node; it needs --engine swarm', value: constraints });
    else if (!enabled.includes(id as ServiceId))
      issues.push({ path: ['place', id], message: `places ${id}, which is not among the chosen services`, value: constraints });
  }
  for (const { port: p, holder } of portClashes(publishedPorts(config))) {
    issues.push({
      path: ['ports', portKey(p.service, p.role)],
      message: `port ${p.port} is already used by ${portKey(holder.service, holder.role)}`,
      value: p.port,
    });
  }
  return issues;
}

function placementsFromAnswer(place: NonNullable<Answers['place']>): Placements {
  return Object.fromEntries(Object.entries(place).map(([id, c]) => [id, typeof c === 'string' ? [c] : c])) as Placements;
}

/** Config paths (`services.radarr.ports.web`, `npm.email`) → the question that sets them. */
function toAnswerPath(issue: AnswerIssue): AnswerIssue {
  const [head, id, sub, role] = issue.path;
  if (head === 'services' && sub === 'ports' && typeof role === 'string')
    return { ...issue, path: ['ports', portKey(id as ServiceId, role)] };
  if (head === 'wireguard') return { ...issue, path: [id === 'peers' ? 'wireguardPeers' : 'wireguardServerUrl'] };
  if (head === 'npm') return { ...issue, path: [id === 'domain' ? 'domain' : 'npmEmail'] };
  if (head === 'placements') return { ...issue, path: ['place', ...issue.path.slice(1, 2)] };
  return issue;
}
