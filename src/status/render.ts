import { Chalk, type ChalkInstance } from 'chalk';
import type { HookupState, ServiceStatus, StatusReport } from './types.js';

/** The dashboard as text: one table row per service, then each hookup, then what to do next. */
export function renderStatus(report: StatusReport, opts: { color: boolean }): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const lines: string[] = [];
  const compose = report.compose ? `Compose ${report.compose.kind} ${report.compose.version}` : 'containers unknown';
  lines.push(`plexarr status — ${report.home} (${compose}${report.live ? ', hookups checked live' : ''})`, '');

  const header = ['SERVICE', 'CONTAINER', 'STATE', 'HEALTH', 'URL', 'HOOKUPS'];
  const rows = report.services.map((s) => [s.label, s.container, s.state, s.health ?? '-', s.url ?? '-', hookupSummary(s)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const pad = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ');
  lines.push(c.bold(pad(header)));
  report.services.forEach((s, i) => {
    const text = pad(rows[i] ?? []);
    lines.push(s.up ? text : colourRow(c, s, text));
  });

  if (report.hookups.length > 0) {
    lines.push('', c.bold('Hookups'));
    const idWidth = Math.max(...report.hookups.map((h) => h.id.length));
    for (const h of report.hookups) {
      const was = h.recorded !== undefined && h.recorded !== h.state ? ` (recorded: ${h.recorded})` : '';
      const why = h.reason ? ` — ${h.reason}` : '';
      lines.push(`  ${MARK[h.state](c)} ${h.id.padEnd(idWidth)}  ${h.state}${was}${why}`);
    }
  }
  lines.push('', (report.ok ? c.green : c.yellow)(report.next));
  return lines.join('\n') + '\n';
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

function colourRow(c: ChalkInstance, s: ServiceStatus, text: string): string {
  return s.state === 'running' ? c.yellow(text) : c.red(text);
}
