import { describe, test } from '@jest/globals';
import { INSTALL_LINE } from './summary-reporter.js';

/** A skipped suite's title carries this mark; the summary reporter turns it into one line per tier. */
const SKIP_MARK = '[skipped: ';

type Suite = (name: string, fn: () => void) => void;

/**
 * `describe` when the system dependency is here (`missing` undefined). Otherwise the suite is
 * skipped with the reason in its title, or, under PLEXARR_REQUIRE_ALL_TIERS=1 (CI), replaced by
 * one failing test, so a machine without the dependency can never pass by skipping.
 */
export function describeNeeding(reason: string | undefined): Suite {
  if (reason === undefined) return describe;
  // One line: the reporter reads it back out of the title.
  const missing = reason.replace(/\s+/g, ' ').trim();
  if (process.env.PLEXARR_REQUIRE_ALL_TIERS === '1') {
    return (name) =>
      describe(name, () => {
        test(`needs ${missing}`, () => {
          throw new Error(`${missing} (PLEXARR_REQUIRE_ALL_TIERS=1 forbids skipping; ${INSTALL_LINE})`);
        });
      });
  }
  return (name, fn) => describe.skip(`${name} ${SKIP_MARK}${missing}]`, fn);
}
