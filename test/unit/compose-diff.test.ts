import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffCompose } from '../../src/compose/diff.js';
import { formatComposeChanges, summarizeComposeChanges } from '../../src/compose/diff-summary.js';
import { renderStack } from '../../src/compose/render.js';
import { DEFAULT_ENABLED } from '../../src/config/schema.js';
import { FIXTURE_SECRETS, fixtureConfig } from './compose-fixtures.js';

/** GNU diff's hunks (headers stripped), the reference for how small a diff can be. */
function gnuDiff(a: string, b: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'plexarr-diff-'));
  try {
    writeFileSync(join(dir, 'a'), a);
    writeFileSync(join(dir, 'b'), b);
    const run = spawnSync('diff', ['-U3', join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' });
    if (run.error) return undefined;
    return run.stdout.split('\n').slice(2).join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Applies unified hunks to `a`, checking every context and removed line against it. */
function applyDiff(a: string, diff: string): string {
  const old = a.split('\n');
  if (old.at(-1) === '') old.pop();
  const out: string[] = [];
  let next = 0;
  let lines = diff.split('\n').slice(2);
  if (lines.at(-1) === '') lines = lines.slice(0, -1);
  for (const line of lines) {
    const header = /^@@ -(\d+),(\d+) \+\d+,\d+ @@$/.exec(line);
    if (header) {
      const start = Number(header[2]) === 0 ? Number(header[1]) : Number(header[1]) - 1;
      out.push(...old.slice(next, start));
      next = start;
    } else if (line.startsWith('+')) {
      out.push(line.slice(1));
    } else {
      expect(old[next]).toBe(line.slice(1));
      next++;
      if (line.startsWith(' ')) out.push(line.slice(1));
    }
  }
  out.push(...old.slice(next));
  return out.length ? out.join('\n') + '\n' : '';
}

const changes = (diff: string) => diff.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l)).length;
const body = (diff: string) => diff.split('\n').slice(2).join('\n');
const numbered = (n: number, f: (i: number) => string = (i) => `line ${i}`) =>
  Array.from({ length: n }, (_, i) => f(i + 1)).join('\n') + '\n';

describe('diffCompose', () => {
  test('identical texts give no diff', () => {
    expect(diffCompose('a\nb\n', 'a\nb\n')).toBe('');
  });

  test('a changed line shows as - and + with context', () => {
    const diff = diffCompose(
      numbered(10),
      numbered(10, (i) => (i === 5 ? 'line five' : `line ${i}`)),
    );
    expect(diff).toBe(
      [
        '--- docker-compose.yml (current)',
        '+++ docker-compose.yml (new)',
        '@@ -2,7 +2,7 @@',
        ' line 2',
        ' line 3',
        ' line 4',
        '-line 5',
        '+line five',
        ' line 6',
        ' line 7',
        ' line 8',
        '',
      ].join('\n'),
    );
  });

  const cases: [string, string, string][] = [
    ['far-apart changes make two hunks', numbered(30), numbered(30, (i) => (i === 3 || i === 25 ? `changed ${i}` : `line ${i}`))],
    ['close changes merge into one hunk', numbered(30), numbered(30, (i) => (i === 10 || i === 15 ? `changed ${i}` : `line ${i}`))],
    ['lines added at the end', numbered(5), numbered(8)],
    ['lines removed at the start', numbered(8), numbered(8).split('\n').slice(3).join('\n')],
    ['from an empty file', '', numbered(3)],
    ['to an empty file', numbered(3), ''],
    [
      'a service turned on between two compose files',
      renderStack(fixtureConfig(DEFAULT_ENABLED), FIXTURE_SECRETS).composeYaml,
      renderStack(fixtureConfig([...DEFAULT_ENABLED, 'nzbget2'], { requestManager: 'overseerr' }), FIXTURE_SECRETS).composeYaml,
    ],
  ];
  test.each(cases)('%s: applies to the old text, as small as GNU diff', (_name, a, b) => {
    const diff = diffCompose(a, b);
    expect(applyDiff(a, diff)).toBe(b);
    const reference = gnuDiff(a, b);
    if (reference !== undefined) expect(changes(body(diff))).toBe(changes(reference));
  });
});

describe('summarizeComposeChanges', () => {
  const yaml = (enabled: Parameters<typeof fixtureConfig>[0], overrides: Parameters<typeof fixtureConfig>[1] = {}) =>
    renderStack(fixtureConfig(enabled, overrides), FIXTURE_SECRETS).composeYaml;

  test('names services added and removed and ports changed, and counts the changed lines', () => {
    const before = yaml(DEFAULT_ENABLED);
    const moved = fixtureConfig([...DEFAULT_ENABLED.filter((id) => id !== 'lidarr'), 'nzbget2']);
    moved.services.radarr.ports = { web: 7001 };
    const after = renderStack(moved, FIXTURE_SECRETS).composeYaml;
    const diff = diffCompose(before, after);
    const summary = summarizeComposeChanges(before, after, diff);
    expect(summary).toEqual({ added: ['nzbget2'], removed: ['lidarr'], ports: ['radarr 7878:7878 → 7001:7878'], lines: changes(diff) });
    expect(formatComposeChanges(summary)).toEqual([
      'services added: nzbget2',
      'services removed: lidarr',
      'ports changed: radarr 7878:7878 → 7001:7878',
      `${changes(diff)} lines changed in all`,
    ]);
  });

  test('a change that is neither a service nor a port is still counted; a damaged old file names nothing', () => {
    const before = yaml(DEFAULT_ENABLED);
    const after = yaml(DEFAULT_ENABLED, { tz: 'Asia/Tokyo' });
    const diff = diffCompose(before, after);
    expect(formatComposeChanges(summarizeComposeChanges(before, after, diff))).toEqual([`${changes(diff)} lines changed in all`]);
    expect(summarizeComposeChanges('services: [unclosed', after, '+a\n')).toMatchObject({ added: [], removed: [], ports: [], lines: 1 });
  });
});
