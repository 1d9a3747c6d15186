import { relative } from 'node:path';

/** What a bare machine lacks for the tiers that run the real NZBGet or a Docker engine. */
export const INSTALL_LINE = 'apt-get install nzbget docker.io docker-compose';
const SKIP = /\[skipped: (.+)\]$/;

/**
 * Prints jest's totals as one plain line ("tests: N passed, N failed, N skipped"), the form CI
 * logs are read by, and one line per test tier whose suites were skipped for a missing system
 * dependency (their describe titles carry `[skipped: <reason>]`: tiers.ts), naming what to
 * install. Written at process exit so it comes after jest's own summary; jest drops the console
 * output of fully skipped suites, so the reasons travel in the results instead.
 */
export default class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests, numRuntimeErrorTestSuites } = results;
    /** @type {Map<string, { suites: Set<string>, reasons: Set<string> }>} */
    const tiers = new Map();
    for (const suite of results.testResults) {
      for (const t of suite.testResults) {
        const reason = t.status === 'pending' ? t.ancestorTitles.map((a) => SKIP.exec(a)?.[1]).find(Boolean) : undefined;
        if (!reason) continue;
        const file = relative(this.rootDir, suite.testFilePath);
        const tier = file.split('/').slice(0, 2).join('/');
        const entry = tiers.get(tier) ?? { suites: new Set(), reasons: new Set() };
        entry.suites.add(file);
        entry.reasons.add(reason);
        tiers.set(tier, entry);
      }
    }
    const lines = [...tiers]
      .sort()
      .map(
        ([tier, { suites, reasons }]) =>
          `SKIPPED ${tier} (${suites.size} suite${suites.size === 1 ? '' : 's'}): ${[...reasons].join('; ')} — to run it: ${INSTALL_LINE}\n`,
      );
    const total = `tests: ${numPassedTests} passed, ${numFailedTests + numRuntimeErrorTestSuites} failed, ${numPendingTests + numTodoTests} skipped\n`;
    process.once('exit', () => process.stderr.write(lines.join('') + total));
  }
}
