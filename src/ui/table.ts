import { stripVTControlCharacters } from 'node:util';

/** A plain aligned text table: readable in a terminal, in a log file and in a test assertion. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, col) => Math.max(...all.map((r) => visibleLength(r[col] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, col) => (col === cells.length - 1 ? c : c + ' '.repeat((widths[col] ?? 0) - visibleLength(c))))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Two columns, no header: a summary of settings. */
export function renderPairs(pairs: readonly (readonly [string, string])[]): string {
  const width = Math.max(...pairs.map(([k]) => visibleLength(k)));
  return pairs.map(([k, v]) => `${k}${' '.repeat(width - visibleLength(k))}  ${v}`).join('\n');
}

function visibleLength(text: string): number {
  return stripVTControlCharacters(text).length;
}
