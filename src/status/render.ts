import type { ChalkInstance } from 'chalk';
import { renderTable } from '../ui/table.js';
import type { HookupState, ServiceStatus, StatusReport } from './types.js';

/** The dashboard as text: one table row per service, then each hookup, then what to do next. */
export function renderStatus(report: StatusReport, style: ChalkInstance): string {
  const lines: string[] = [];
  const engine =
    report.compose?.kind === 'swarm'
      ? 'Docker Swarm'
      : report.compose
        ? `Compose ${report.compose.kind} ${report.compose.version}`
        : undefined;
  const compose = engine ?? 'containers unknown';
  lines.push(`plexarr status — ${report.home} (${compose}${report.live ? ', hookups checked live' : ''})`, '');

  const rows = report.services.map((s) => {
    const cells = [s.label, s.node ? `${s.container} @ ${s.node}` : s.container, s.state, s.health ?? '-', s.url ?? '-', hookupSummary(s)];
    return s.up ? cells : cells.map((cell) => (s.state === 'running' ? style.yellow(cell) : style.red(cell)));
  });
  lines.push(renderTable(['SERVICE', 'CONTAINER', 'STATE', 'HEALTH', 'URL', 'HOOKUPS'], rows));

  const imaged = report.services.filter((s) => s.image);
  if (imaged.length > 0) {
    lines.push('', 'Images (as `plexarr update` recorded them)');
    const width = Math.max(...imaged.map((s) => s.container.length));
    for (const s of imaged) {
      lines.push(
        `  ${s.container.padEnd(width)}  ${s.image!.id.replace(/^sha256:/, '').slice(0, 12)}  ${s.image!.updatedAt ? `last updated ${s.image!.updatedAt}` : 'not changed by an update yet'}`,
      );
    }
  }

  if (report.hookups.length > 0) {
    lines.push('', 'Hookups');
    const idWidth = Math.max(...report.hookups.map((h) => h.id.length));
    for (const h of report.hookups) {
      const was = h.recorded !== undefined && h.recorded !== h.state ? ` (recorded: ${h.recorded})` : '';
      const why = h.reason ? ` — ${h.reason}` : '';
      lines.push(`  ${MARK[h.state](style)} ${h.id.padEnd(idWidth)}  ${h.state}${was}${why}`);
    }
  }
  lines.push('', (report.ok ? style.green : style.yellow)(report.next));
  return lines.join('\n');
}

const MARK: Record<HookupState, (c: ChalkInstance) => string> = {
  linked: (c) => c.green('✓'),
  failed: (c) => c.red('✗'),
  pending: (c) => c.yellow('…'),
  skipped: (c) => c.dim('-'),
};

function hookupSummary(s: ServiceStatus): string {
  const parts = (['linked', 'failed', 'pending', 'skipped'] as const).filter((k) => s.counts[k] > 0).map((k) => `${s.counts[k]} ${k}`);
  return parts.length > 0 ? parts.join(', ') : '-';
}
