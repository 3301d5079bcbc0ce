import { writeFileSync } from 'node:fs';
import type { Reporter } from 'vitest/reporters';
import type { RunnerTestFile, RunnerTask } from 'vitest';

/**
 * Prints the closing line CI reads: `N passed, N failed` (and skipped, when any). A file
 * or suite that failed outside its tests (an import error, a failing beforeAll) counts
 * as one failure, so a broken setup can never pass as "0 failed". Under `npm test`
 * (scripts/run-tests.mjs, which sets STREAMVIS_TEST_COUNTS to a file) the counts go to that
 * file instead, and the closing line, printed after the Python tests, counts both.
 */
export default class SummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = [], errors: unknown[] = []): void {
    const counts = { pass: 0, fail: 0, skip: 0 };
    /** Counts the tests under `task`; returns whether any of them failed. */
    const visit = (task: RunnerTask): boolean => {
      if (task.type === 'suite') {
        const failedInside = task.tasks.map(visit).some(Boolean);
        if (task.result?.state === 'fail' && !failedInside) counts.fail++;
        return failedInside || task.result?.state === 'fail';
      }
      const state = task.result?.state;
      if (state === 'pass') counts.pass++;
      else if (state === 'fail') counts.fail++;
      else counts.skip++;
      return state === 'fail';
    };
    files.forEach(visit);
    counts.fail += errors.length;
    const countsFile = process.env.STREAMVIS_TEST_COUNTS;
    if (countsFile) {
      writeFileSync(countsFile, JSON.stringify(counts));
      return;
    }
    const skipped = counts.skip ? `, ${counts.skip} skipped` : '';
    process.stdout.write(`\n${counts.pass} passed, ${counts.fail} failed${skipped}\n`);
  }
}
