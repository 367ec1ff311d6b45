// Spike (issue 25): can one Node 20 process register and run node:test top-level suites one after another while
// it lives, with the reporter streaming each suite's results as they happen? The grading child relies on it to
// grade several submissions in turn. Run: node bench/spike-test-reuse.mjs (exit 0 and "reuse works" when it does).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const role = process.argv[2];

if (role === 'child') {
  const { describe, it } = await import('node:test');
  let round = 0;
  process.on('message', (job) => {
    const name = `grade-${++round}`;
    describe(name, () => {
      it('sync', () => {});
      it('async', async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (job.fail) throw new Error('failed on purpose');
      });
    });
  });
  process.send({ kind: 'ready' });
} else {
  const child = fork(self, ['child'], {
    execArgv: [`--test-reporter=${self}`, '--test-reporter-destination=stdout'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const events = [];
  let wake = () => undefined;
  child.on('message', (message) => {
    events.push(message);
    wake();
  });
  await new Promise((resolve) => child.once('message', resolve));
  const rounds = [];
  for (let i = 0; i < 4; i++) {
    const from = events.length;
    const started = performance.now();
    child.send({ fail: i === 1 });
    while (!events.slice(from).some((e) => e.nesting === 0)) await new Promise((resolve) => (wake = resolve));
    rounds.push({ ms: performance.now() - started, results: events.slice(from).map((e) => `${e.type === 'test:pass' ? 'pass' : 'fail'} ${e.name}`) });
  }
  child.disconnect();
  const ok = rounds.every((r, i) => r.results.length === 3 && r.results[2].endsWith(`grade-${i + 1}`) && r.results[1].startsWith(i === 1 ? 'fail' : 'pass'));
  for (const [i, r] of rounds.entries()) console.log(`round ${i + 1}: ${r.ms.toFixed(1)} ms  ${r.results.join(', ')}`);
  console.log(`${process.version}: ${ok ? 'reuse works' : 'reuse does NOT work'}`);
  process.exitCode = ok ? 0 : 1;
}

/** The reporter: each result back to the parent as it happens. */
export default async function* reporter(source) {
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && process.connected)
      process.send({ type: event.type, name: event.data.name, nesting: event.data.nesting });
  }
  yield '';
}
