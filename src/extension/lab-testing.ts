import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GradeReport } from '../grader/types';
import type { TestUpdate } from '../grader/index';
import { CancelledError, type GraderHost } from './grader-host';
import { loadGrader } from './lazy';
import type { LabSession } from './lab-session';
import type { TrustGate } from '../core/labs/trust-gate';
import { background } from './errors';
import { Disposable } from './lifecycle';
import { complain } from './messages';

interface ItemData {
  /** Full test name (describe path > test), as the grader reports it; undefined for a task group. */
  name?: string;
}

/**
 * The lab's public tests in the Testing view: one group per task, its public tests inside. Run grades the
 * public suite in the isolated child and maps each streamed event onto the run; Debug runs the same tests
 * under the debugger with source maps into the candidate's files.
 */
export class LabTesting extends Disposable {
  private readonly controller: vscode.TestController;
  private readonly data = new WeakMap<vscode.TestItem, ItemData>();
  private readonly byName = new Map<string, vscode.TestItem>();

  constructor(
    private readonly session: LabSession,
    private readonly grader: GraderHost,
    private readonly trust: Pick<TrustGate, 'run'>,
    private readonly onTrustHeld: () => void,
    private readonly log: vscode.LogOutputChannel,
    /** Each finished public run; the last one travels in an exported submission. */
    private readonly onReport: (report: GradeReport) => void = () => undefined,
  ) {
    // The label says what these tests are: a sample; Submit grades the hidden suite, which checks more.
    super(log);
    this.controller = this.register(
      vscode.tests.createTestController('mlopsLabs.labTests', `${session.lab.title}: public tests (a sample of what Submit grades)`),
    );
    this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token), true);
    this.controller.createRunProfile('Debug', vscode.TestRunProfileKind.Debug, (request, token) => this.debug(request, token), true);
    this.controller.refreshHandler = () => this.load();
    background(this.load(), log, 'Loading the public tests');
  }

  async load(): Promise<void> {
    const locations = await this.findTests();
    this.byName.clear();
    const groups: vscode.TestItem[] = [];
    for (const task of this.session.lab.tasks) {
      // The Testing view reads an item's description out in place of its label, so points go in the label.
      const group = this.controller.createTestItem(`task:${task.id}`, `Task ${task.id}: ${task.title} (${task.points} points)`);
      this.data.set(group, {});
      for (const name of task.publicTests ?? []) {
        const location = locations.get(name.split(' > ').at(-1) ?? name);
        const item = this.controller.createTestItem(name, name.split(' > ').at(-1) ?? name, location?.uri);
        if (location) item.range = location.range;
        this.data.set(item, { name });
        this.byName.set(name, item);
        group.children.add(item);
      }
      groups.push(group);
    }
    this.controller.items.replace(groups);
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const included = this.selected(request);
    const run = this.controller.createTestRun(request, `Public tests of ${this.session.lab.id}`, true);
    for (const item of included) run.enqueued(item);
    run.appendOutput('Public tests: a sample of the cases. Submit Lab for Grading runs the hidden suite, which checks more.\r\n');
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    try {
      const report = await this.trust.run(
        () =>
          this.grader.grade(this.session.lab, this.session.dir, 'public', {
            signal: abort.signal,
            onEvent: (event) => this.apply(run, loadGrader().toTestUpdate(event, this.session.lab.runtime.timeoutMs), included),
          }),
        this.onTrustHeld,
      );
      this.onReport(report);
      // Tests that never reported get the run's own explanation (a timeout, a crash, a compile error).
      for (const result of report.tests) {
        const item = this.byName.get(result.name);
        if (item && included.has(item) && result.status === 'error' && !this.reported.has(item)) {
          run.errored(item, new vscode.TestMessage(result.message ?? 'The test did not report a result.'));
        }
      }
    } catch (error) {
      if (!(error instanceof CancelledError)) throw error;
    } finally {
      this.reported.clear();
      cancel.dispose();
      run.end();
    }
  }

  private readonly reported = new Set<vscode.TestItem>();

  /** Applies one update; an exhaustive switch, so a new kind of update cannot be silently dropped. */
  private apply(run: vscode.TestRun, update: TestUpdate, included: Set<vscode.TestItem>): void {
    switch (update.kind) {
      case 'started': {
        const item = this.byName.get(update.name);
        if (item && included.has(item)) run.started(item);
        return;
      }
      case 'passed': {
        const item = this.byName.get(update.name);
        if (!item || !included.has(item)) return;
        this.reported.add(item);
        run.passed(item, update.durationMs);
        return;
      }
      case 'failed':
      case 'errored': {
        const item = this.byName.get(update.name);
        if (!item || !included.has(item)) return;
        this.reported.add(item);
        const message =
          update.expected !== undefined && update.actual !== undefined
            ? vscode.TestMessage.diff(update.message, update.expected, update.actual)
            : new vscode.TestMessage(update.message);
        if (update.location) {
          message.location = new vscode.Location(
            vscode.Uri.file(path.join(this.session.dir, update.location.file)),
            new vscode.Position(update.location.line - 1, update.location.column - 1),
          );
        }
        if (update.kind === 'failed') run.failed(item, message, update.durationMs);
        else run.errored(item, message, update.durationMs);
        return;
      }
      case 'problem':
        run.appendOutput(`${update.message}\r\n`);
        return;
      case 'output': {
        const item = this.byName.get(update.name);
        run.appendOutput(update.text.replace(/\r?\n/g, '\r\n'), undefined, item && included.has(item) ? item : undefined);
        return;
      }
      case 'none':
        return;
      default: {
        const unreachable: never = update;
        return unreachable;
      }
    }
  }

  /** Runs the selected public tests under the debugger; their output appears in the Debug Console. */
  private async debug(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const included = this.selected(request);
    const names = [...included].map((item) => this.data.get(item)?.name).filter((n): n is string => n !== undefined);
    const run = this.controller.createTestRun(request, `Debug public tests of ${this.session.lab.id}`, false);
    for (const item of included) run.enqueued(item);
    try {
      await this.trust.run(async () => {
        const outDir = path.join(this.session.dir, '.lab-debug');
        const errors = await loadGrader().prepareDebugRun(this.session.lab, this.session.dir, outDir);
        if (errors) {
          run.appendOutput(`The code does not compile:\r\n${errors.map((e) => `  ${e}`).join('\r\n')}\r\n`);
          complain(this.log, `Debug could not start: ${errors[0] ?? 'the code does not compile'}`);
          return;
        }
        const name = `Debug ${this.session.lab.id} public tests`;
        const port = await freePort();
        const ended = new Promise<void>((resolve) => {
          const subscription = vscode.debug.onDidTerminateDebugSession((session) => {
            if (session.name !== name) return;
            subscription.dispose();
            resolve();
          });
          token.onCancellationRequested(() => {
            background(vscode.debug.stopDebugging(), this.log, 'Stopping the debug session');
            resolve();
          });
        });
        const started = await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], {
          type: 'node',
          request: 'launch',
          name,
          runtimeExecutable: process.execPath,
          // The debugger attaches to the inspector port before any test runs (the process waits for it), sets the
          // breakpoints, then lets it go: simpler and sturdier than attaching through NODE_OPTIONS, which left
          // breakpoints unbound and the session waiting for the debugger to disconnect.
          runtimeArgs: [
            `--inspect-brk=127.0.0.1:${port}`,
            '--enable-source-maps',
            ...names.map((n) => `--test-name-pattern=^${escapeRegExp(n.split(' > ').at(-1) ?? n)}$`),
          ],
          attachSimplePort: port,
          // The same sandbox as grading: the candidate's code runs in a locked-down compartment.
          program: this.grader.debugProgram,
          args: [outDir],
          cwd: this.session.dir,
          console: 'internalConsole',
          // node:test's reporter writes to stdout, not through console.log, so capture the streams.
          outputCapture: 'std',
          skipFiles: ['<node_internals>/**', this.grader.debugProgram],
          sourceMaps: true,
          // The bundle sits in a hidden folder, which the debugger's default outFiles search skips: name it, so
          // breakpoints in src/ are mapped and set before the tests run, and wait for source maps on load.
          outFiles: [path.join(outDir, '**', '*.js')],
          resolveSourceMapLocations: [path.join(outDir, '**'), '!**/node_modules/**'],
          pauseForSourceMap: true,
          // NODE_TEST_CONTEXT (set when VS Code itself was started under a test runner) would switch node:test to
          // its machine-readable child protocol; the Debug Console must show the readable report.
          env: { NODE_TEST_CONTEXT: null, ...(process.versions['electron'] ? { ELECTRON_RUN_AS_NODE: '1' } : {}) },
        });
        if (!started) {
          complain(this.log, 'The debugger could not start the lab tests.');
          return;
        }
        run.appendOutput('Running under the debugger: results are in the Debug Console.\r\n');
        await ended;
      }, this.onTrustHeld);
    } finally {
      run.end();
    }
  }

  private selected(request: vscode.TestRunRequest): Set<vscode.TestItem> {
    const roots: vscode.TestItem[] = request.include ? [...request.include] : [];
    if (!request.include) this.controller.items.forEach((item) => roots.push(item));
    const leaves = new Set<vscode.TestItem>();
    const visit = (item: vscode.TestItem) => {
      if (request.exclude?.includes(item)) return;
      if (this.data.get(item)?.name) leaves.add(item);
      item.children.forEach(visit);
    };
    roots.forEach(visit);
    return leaves;
  }

  /** Where each public test is defined: the line of `it('name'` in the workspace's tests/. */
  private async findTests(): Promise<Map<string, vscode.Location>> {
    const found = new Map<string, vscode.Location>();
    const dir = path.join(this.session.dir, 'tests');
    const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.ts'));
    for (const file of files) {
      const lines = (await readFile(path.join(dir, file), 'utf8')).split('\n');
      lines.forEach((line, index) => {
        const match = /\b(?:it|test)\(\s*(['"`])(.+?)\1/.exec(line);
        if (match?.[2] && !found.has(match[2]))
          found.set(match[2], new vscode.Location(vscode.Uri.file(path.join(dir, file)), new vscode.Position(index, line.indexOf(match[0]))));
      });
    }
    return found;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A TCP port on the loopback interface that is free now, for the debuggee's inspector. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
