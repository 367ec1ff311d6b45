/**
 * A separate process writing the shared files, as another window or the CLI would: bundled and spawned by
 * shared-state.test.ts. Arguments: labs.json, progress.json, this writer's number, how many changes.
 */
import { LabState } from '../../../../src/core/labs/lab-state';
import { ProgressBook } from '../../../../src/core/progress/progress-book';
import { ProgressStore } from '../../../../src/core/progress/progress-store';

async function main(): Promise<void> {
  const [labsFile, progressFile, name, count] = process.argv.slice(2) as [string, string, string, string];
  const { state } = await LabState.open(labsFile);
  const { book } = await ProgressBook.open(new ProgressStore(progressFile));
  for (let i = 0; i < Number(count); i++) {
    await Promise.all([
      state.graded('core/zero-memory', { points: i, maxPoints: 100, status: 'fail' }),
      state.hintTaken('core/zero-memory'),
      book.rate(`core/process-${name}`, 'good'),
    ]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
