// Which npm packages a process ran code from, read from V8's coverage of that process (run it with
// NODE_V8_COVERAGE=<dir>): a package counts once one of its own functions ran, whether it was loaded
// from node_modules or bundled into a dist/ file (named there through the file's source map).
// Merely being inside a bundle does not count: code behind an `import()` is bundled but runs lazily.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import Module, { SourceMap } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//;
/** The dist/ bundles run inside Module.wrap's function (src/startup/code-cache.ts); offsets count it. */
const WRAPPER = Module.wrap('\0').indexOf('\0');

function lineStarts(text) {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function position(starts, offset) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, column: offset - starts[lo] };
}

/** @param {string} coverageDir @returns {Set<string>} */
export function executedPackages(coverageDir) {
  const names = new Set();
  for (const file of readdirSync(coverageDir)) {
    for (const script of JSON.parse(readFileSync(join(coverageDir, file), 'utf8')).result) {
      const path = script.url.startsWith('file:') ? fileURLToPath(script.url) : script.url;
      const ran = script.functions.filter((fn) => fn.ranges[0].count > 0);
      const direct = PACKAGE.exec(path)?.[1];
      if (direct) {
        if (ran.length > 0) names.add(direct);
        continue;
      }
      if (!path.includes('/dist/') || !existsSync(`${path}.map`)) continue;
      const map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')));
      const starts = lineStarts(readFileSync(path, 'utf8'));
      for (const fn of ran) {
        const offset = fn.ranges[0].startOffset - WRAPPER;
        // The script itself (the whole file) ran; only functions inside it say which code did.
        if (offset <= 0) continue;
        const { line, column } = position(starts, offset);
        const bundled = PACKAGE.exec(map.findEntry(line, column).originalSource ?? '')?.[1];
        if (bundled) names.add(bundled);
      }
    }
  }
  return names;
}
