import { type Answers, answersSchema } from './answers.js';
import { FLAGS, issuesFromZod, usageErrorFrom, type AnswerIssue, type AnswerSource } from './issues.js';

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
] as const;

/** Validates answers from any source; throws one UsageError listing every problem. */
export function parseAnswers(input: unknown, source: AnswerSource, extra: AnswerIssue[] = []): Answers {
  const parsed = answersSchema.safeParse(input);
  const issues = [...extra, ...(parsed.success ? [] : issuesFromZod(parsed.error, input))];
  if (issues.length > 0 || !parsed.success) throw usageErrorFrom(issues, source);
  return parsed.data;
}

/** Flags → answers: numbers where a number is meant, `--services a,b` as a list, `--port k=n` as a map. */
export function answersFromFlags(flags: AnswerFlags): Answers {
  const raw: Record<string, unknown> = {};
  const issues: AnswerIssue[] = [];
  for (const name of STRING_FLAGS) if (flags[name] !== undefined) raw[name] = flags[name];
  if (flags.puid !== undefined) raw.puid = numberOrText(flags.puid);
  if (flags.pgid !== undefined) raw.pgid = numberOrText(flags.pgid);
  if (flags.services !== undefined) raw.services = flags.services.split(',').map((s) => s.trim()).filter(Boolean);
  if (flags.port !== undefined) {
    const ports: Record<string, unknown> = {};
    for (const spec of flags.port) {
      const match = /^([^=\s]+)=(.*)$/.exec(spec.trim());
      if (!match?.[1] || match[2] === undefined) issues.push({ path: ['ports'], message: 'must look like <service>[.<role>]=<port>', value: spec });
      else ports[match[1]] = numberOrText(match[2]);
    }
    raw.ports = ports;
  }
  return parseAnswers(raw, FLAGS, issues);
}

/** A numeric flag stays text when it is not a number, so the error can quote what was typed. */
function numberOrText(value: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
}
