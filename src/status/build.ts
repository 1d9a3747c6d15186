import { CATALOG, catalogEntry, enabledServices, hostUrl } from '../catalog/index.js';
import type { Secrets, ServiceId, StackConfig } from '../config/schema.js';
import type { Hookup } from '../coordinate/types.js';
import type { ContainerInfo } from '../docker/compose.js';
import { masker } from '../redact.js';
import type { ServiceImage } from '../state/image-updates.js';
import type { ContainerState, HookupState, HookupStatus, ServiceStatus, StatusReport } from './types.js';
import { plexarrCommand } from '../ui/invocation.js';

/** The last recorded outcome of one task (a row of `task_runs`, newest run first). */
export interface TaskRecord {
  status: string;
  error?: string | null;
  detail?: string | null;
  finishedAt?: string | null;
}

/** What `--live` learned by planning a hookup against the running apps. */
export type LiveResult = { state: 'linked' } | { state: 'drift'; changes: string[] } | { state: 'failed'; reason: string };

export type HookupInfo = Pick<Hookup, 'id' | 'title' | 'services' | 'skipReason' | 'whenOff'>;

export interface StatusInput {
  home: string;
  config: StackConfig;
  secrets: Secrets;
  containers: { list: ContainerInfo[]; compose: { kind: 'v2' | 'v1' | 'swarm'; version: string } } | { error: string };
  hookups: readonly HookupInfo[];
  tasks: ReadonlyMap<string, TaskRecord>;
  live?: ReadonlyMap<string, LiveResult>;
  /** Per service id, from `plexarr update`'s records. */
  images?: ReadonlyMap<string, ServiceImage>;
}

const noCounts = (): Record<HookupState, number> => ({ linked: 0, failed: 0, pending: 0, skipped: 0 });

export function buildStatus(input: StatusInput): StatusReport {
  const { config, secrets } = input;
  const clean = masker(secrets);
  const enabled = enabledServices(config);

  // A hookup between an enabled and a disabled service does not exist for this stack; a removal
  // is housekeeping, not wiring the dashboard shows.
  const hookups = input.hookups
    .filter((h) => h.services.every((s) => enabled.includes(s)) && h.whenOff === undefined)
    .map((h) => hookupStatus(h, input, clean));

  const containers = 'list' in input.containers ? input.containers.list : undefined;
  const services = enabled.map((id) => serviceStatus(id, config, containers, hookups, input.images?.get(id)));

  const summary = {
    services: services.length,
    up: services.filter((s) => s.up).length,
    ...countStates(hookups),
    drifted: hookups.filter((h) => h.drift !== undefined || (h.recorded !== undefined && h.recorded !== h.state)).length,
  };
  const report: StatusReport = {
    home: input.home,
    live: input.live !== undefined,
    services,
    hookups,
    summary,
    next: '',
    ok: summary.up === summary.services && summary.failed === 0 && summary.pending === 0 && summary.drifted === 0,
  };
  if ('error' in input.containers) report.dockerError = clean(input.containers.error);
  else report.compose = input.containers.compose;
  report.next = nextStep(report);
  return report;
}

function countStates(hookups: readonly HookupStatus[]): Record<HookupState, number> {
  const counts = noCounts();
  for (const h of hookups) counts[h.state] += 1;
  return counts;
}

function hookupStatus(h: HookupInfo, input: StatusInput, clean: (t: string) => string): HookupStatus {
  const base = { id: h.id, title: h.title, services: [...h.services] };
  const skip = h.skipReason(input.config, input.secrets);
  if (skip !== null) return { ...base, state: 'skipped', reason: clean(skip) };

  const recorded = recordedState(input.tasks.get(h.id), clean);
  const status: HookupStatus = { ...base, ...recorded };
  const live = input.live?.get(h.id);
  if (!live) return status;

  const checked: HookupStatus = { ...base, recorded: recorded.state, state: live.state === 'drift' ? 'pending' : live.state };
  if (recorded.finishedAt) checked.finishedAt = recorded.finishedAt;
  if (live.state === 'failed') checked.reason = clean(live.reason);
  if (live.state === 'drift') {
    checked.drift = live.changes.map(clean);
    checked.reason = `the app differs from what plexarr set: ${checked.drift.join('; ')}`;
  }
  return checked;
}

function recordedState(task: TaskRecord | undefined, clean: (t: string) => string): Pick<HookupStatus, 'state' | 'reason' | 'finishedAt'> {
  if (!task) return { state: 'pending', reason: 'not run yet' };
  const at = task.finishedAt ? { finishedAt: task.finishedAt } : {};
  switch (task.status) {
    case 'done':
      return { state: 'linked', ...at };
    case 'failed':
      return { state: 'failed', reason: clean(task.error || task.detail || 'failed without a message'), ...at };
    case 'skipped':
      // It was skipped before, but its reason no longer holds (e.g. a Plex token was added since).
      return { state: 'pending', reason: `skipped in the last run${task.detail ? ` (${clean(task.detail)})` : ''}; it can run now`, ...at };
    case 'running':
      return { state: 'pending', reason: 'interrupted in the last run', ...at };
    default: {
      const why = task.error || task.detail;
      return { state: 'pending', reason: why ? clean(why) : 'did not run in the last run (a task it depends on did not finish)', ...at };
    }
  }
}

function serviceStatus(
  id: ServiceId,
  config: StackConfig,
  containers: ContainerInfo[] | undefined,
  hookups: readonly HookupStatus[],
  image: ServiceImage | undefined,
): ServiceStatus {
  const container = catalogEntry(id, config).container;
  const info = containers?.find((c) => c.service === container || c.name === container);
  const state: ContainerState = containers === undefined ? 'unknown' : (info?.state ?? 'missing');
  const own = hookups.filter((h) => h.services.includes(id));
  const status: ServiceStatus = {
    service: id,
    label: catalogEntry(id, config).label,
    container,
    state,
    hookups: own.map((h) => h.id),
    counts: countStates(own),
    up: state === 'running' && (info?.health === undefined || info.health === '' || info.health === 'healthy'),
  };
  // Like Compose v2, health only for running containers: an exited one keeps a stale last result.
  if (info?.health && state === 'running') status.health = info.health;
  if (info?.node) status.node = info.node;
  if (CATALOG[id].ports.some((p) => p.role === 'web')) status.url = hostUrl(id, config, config.hostAddress);
  if (image?.imageId) status.image = { id: image.imageId, ...(image.updatedAt ? { updatedAt: image.updatedAt } : {}) };
  return status;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The one line that says what to do next, most fundamental problem first. */
export function nextStep(report: Pick<StatusReport, 'dockerError' | 'services' | 'summary'>): string {
  if (report.dockerError)
    return `Docker could not be asked for the containers (${report.dockerError}) — run \`${plexarrCommand('doctor')}\``;
  const steps: string[] = [];
  // A container that exists but misbehaves needs its logs read; a missing or stopped one needs deploy.
  const alive = (s: ServiceStatus) => ['running', 'restarting', 'paused'].includes(s.state);
  const down = report.services.filter((s) => !alive(s));
  if (down.length > 0) {
    steps.push(
      `${plural(down.length, 'service')} not running (${down.map((s) => s.container).join(', ')}) — run \`${plexarrCommand('deploy')}\``,
    );
  }
  for (const s of report.services.filter((x) => alive(x) && !x.up)) {
    steps.push(`${s.container} is ${s.state === 'running' ? (s.health ?? 'not healthy') : s.state} — see \`docker logs ${s.container}\``);
  }
  const { failed, pending, drifted } = report.summary;
  if (failed + pending > 0) {
    const parts = [failed > 0 ? `${plural(failed, 'hookup')} failed` : '', pending > 0 ? `${plural(pending, 'hookup')} pending` : ''];
    steps.push(`${parts.filter(Boolean).join(', ')} — run \`${plexarrCommand(drifted > 0 ? 'coordinate' : 'coordinate --retry')}\``);
  } else if (drifted > 0) {
    steps.push(`${plural(drifted, 'hookup')} drifted — run \`${plexarrCommand('coordinate')}\``);
  }
  if (steps.length > 0) return steps.join('; ');
  const skipped = report.summary.skipped > 0 ? ` (${report.summary.skipped} skipped — see above)` : '';
  return `All ${plural(report.summary.services, 'service')} up and ${plural(report.summary.linked, 'hookup')} linked${skipped}.`;
}
