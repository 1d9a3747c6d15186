/**
 * A unified-style line diff (LCS), enough to show what a re-run of init changes in the compose
 * file. The compose file holds no secrets (they are `${VAR}`s), so printing it is safe.
 */
export function lineDiff(before: string, after: string, context = 2): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = lcs[i] as number[];
      row[j] = a[i] === b[j] ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const ops: { op: ' ' | '-' | '+'; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ op: ' ', text: a[i++] ?? '' });
      j++;
    } else if (i < a.length && (j >= b.length || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) ops.push({ op: '-', text: a[i++] ?? '' });
    else ops.push({ op: '+', text: b[j++] ?? '' });
  }
  const near = ops.map((_, k) => ops.slice(Math.max(0, k - context), k + context + 1).some((o) => o.op !== ' '));
  const out: string[] = [];
  ops.forEach((o, k) => {
    if (near[k]) out.push(`${o.op} ${o.text}`);
    else if (near[k - 1]) out.push('  …');
  });
  return out;
}
