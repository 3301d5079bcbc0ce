import type { Reporter } from 'vitest/reporters';
import type { RunnerTestFile, RunnerTask } from 'vitest';

/** Prints the closing line CI reads: `N passed, N failed` (and skipped, when any). */
export default class SummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = [], errors: unknown[] = []): void {
    const counts = { pass: 0, fail: 0, skip: 0 };
    const visit = (task: RunnerTask): void => {
      if (task.type === 'suite') return task.tasks.forEach(visit);
      const state = task.result?.state;
      if (state === 'pass') counts.pass++;
      else if (state === 'fail') counts.fail++;
      else counts.skip++;
    };
    files.forEach((file) => {
      if (file.result?.state === 'fail' && file.tasks.length === 0) counts.fail++;
      file.tasks.forEach(visit);
    });
    counts.fail += errors.length;
    const skipped = counts.skip ? `, ${counts.skip} skipped` : '';
    process.stdout.write(`\n${counts.pass} passed, ${counts.fail} failed${skipped}\n`);
  }
}
