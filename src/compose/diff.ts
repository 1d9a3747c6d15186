/**
 * A unified-style line diff (`-`/`+`/` ` lines in `@@` hunks with 3 lines of context), shown by
 * `init` before it overwrites a compose file. Compose files are a few hundred lines, so the plain
 * O(n·m) longest-common-subsequence table is fast enough and easy to trust.
 */
type Op = { kind: ' ' | '-' | '+'; line: string; oldNo: number; newNo: number };

const CONTEXT = 3;

function lines(text: string): string[] {
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  return all;
}

function editScript(a: string[], b: string[]): Op[] {
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ kind: ' ', line: a[i++]!, oldNo: i, newNo: ++j });
    // On a tie, removals go first, as in `diff -u`.
    else if (i < a.length && (j === b.length || lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!))
      ops.push({ kind: '-', line: a[i++]!, oldNo: i, newNo: j });
    else ops.push({ kind: '+', line: b[j++]!, oldNo: i, newNo: j });
  }
  return ops;
}

/** Returns '' when the texts have the same lines. */
export function diffCompose(oldYaml: string, newYaml: string): string {
  const ops = editScript(lines(oldYaml), lines(newYaml));
  const changed = ops.flatMap((op, index) => (op.kind === ' ' ? [] : [index]));
  if (changed.length === 0) return '';
  const out = ['--- docker-compose.yml (current)', '+++ docker-compose.yml (new)'];
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k]! - CONTEXT);
    let end = Math.min(ops.length, changed[k]! + CONTEXT + 1);
    // Merge changes whose context windows touch into one hunk.
    while (k + 1 < changed.length && changed[k + 1]! - CONTEXT <= end) end = Math.min(ops.length, changed[++k]! + CONTEXT + 1);
    k++;
    const hunk = ops.slice(start, end);
    const oldStart = hunk.find((op) => op.kind !== '+')?.oldNo ?? (hunk[0]?.oldNo ?? 0) + 1;
    const newStart = hunk.find((op) => op.kind !== '-')?.newNo ?? (hunk[0]?.newNo ?? 0) + 1;
    const oldCount = hunk.filter((op) => op.kind !== '+').length;
    const newCount = hunk.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${oldCount === 0 ? oldStart - 1 : oldStart},${oldCount} +${newCount === 0 ? newStart - 1 : newStart},${newCount} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.line}`);
  }
  return out.join('\n') + '\n';
}
