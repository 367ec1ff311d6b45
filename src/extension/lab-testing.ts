import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GradeReport } from '../grader/types';
import type { TestUpdate } from '../grader/index';
import { coverageDetails } from './lab-coverage';
import { debugLabTests } from './lab-debug';
import { LabTestTree } from './lab-test-tree';
import { CancelledError, type GraderHost } from './grader-host';
import { loadGrader } from './lazy';
import type { LabSession } from './lab-session';
import type { TrustGate } from '../core/labs/trust-gate';
import { background } from './errors';
import { Disposable } from './lifecycle';
import { complain } from './messages';

/** A continuous run the candidate turned on: it re-runs affected tests on each save until cancelled. */
interface Continuous {
  request: vscode.TestRunRequest;
  token: vscode.CancellationToken;
}

/** How long file events are gathered before the tree is re-read or a continuous run starts. */
const SETTLE_MS = 300;

/**
 * The lab workspace's tests in the Testing view: the public tests grouped by task, the candidate's own tests in
 * a group of their own (lab-test-tree.ts), found in tests/ and kept current as files change. Run, Debug and
 * Coverage run the workspace's tests (never the hidden suite) in the grader's sandbox; Run supports continuous
 * runs, re-running on each save the test files that are, or import, what changed.
 */
export class LabTesting extends Disposable {
  private readonly controller: vscode.TestController;
  private readonly tree: LabTestTree;
  private readonly details = new WeakMap<vscode.FileCoverage, vscode.FileCoverageDetail[]>();
  private readonly continuous = new Set<Continuous>();
  private readonly changed = new Set<string>();
  private settleTimer: NodeJS.Timeout | undefined;
  private readonly ended = this.register(new vscode.EventEmitter<void>());
  /** Fires when a Run or Coverage run has ended (its last result given); the integration suite times runs by it. */
  readonly onDidEndRun: vscode.Event<void> = this.ended.event;
  /** Settles when the first reading of tests/ is in the tree. */
  readonly found: Promise<void>;

  constructor(
    private readonly session: LabSession,
    private readonly grader: GraderHost,
    private readonly trust: Pick<TrustGate, 'run'>,
    private readonly onTrustHeld: () => void,
    private readonly log: vscode.LogOutputChannel,
    /** Each finished run; the last one travels in an exported submission. */
    private readonly onReport: (report: GradeReport) => void = () => undefined,
  ) {
    // The label says what these tests are: the public ones are a sample; Submit grades the hidden suite.
    super(log);
    this.controller = this.register(
      vscode.tests.createTestController('mlopsLabs.labTests', `${session.lab.title}: tests (the public ones are a sample of what Submit grades)`),
    );
    this.tree = new LabTestTree(this.controller, session.dir);
    this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => this.start(request, token), true, undefined, true);
    this.controller.createRunProfile('Debug', vscode.TestRunProfileKind.Debug, (request, token) => this.debug(request, token), true);
    const coverage = this.controller.createRunProfile('Coverage', vscode.TestRunProfileKind.Coverage, (request, token) =>
      this.execute(request, token, { coverage: true }),
    );
    coverage.loadDetailedCoverage = (_run, file) => Promise.resolve(this.details.get(file) ?? []);
    this.controller.refreshHandler = () => this.load();
    const watcher = this.register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(session.dir, '{src,tests}/**')));
    for (const event of [watcher.onDidCreate, watcher.onDidChange, watcher.onDidDelete]) this.register(event((uri) => this.noteChange(uri)));
    this.register({ dispose: () => clearTimeout(this.settleTimer) });
    this.found = this.load();
    background(this.found, log, 'Finding the tests');
  }

  /** Reads tests/ again: every top-level test file, as the grader runs them. */
  async load(): Promise<void> {
    const { discoverTests, isTestFile } = loadGrader();
    const dir = path.join(this.session.dir, 'tests');
    const names = (await readdir(dir).catch(() => [] as string[])).filter(isTestFile).sort();
    const files = await Promise.all(names.map(async (name) => discoverTests(name, await readFile(path.join(dir, name), 'utf8').catch(() => ''))));
    this.tree.replace(this.session.lab, files);
  }

  private noteChange(uri: vscode.Uri): void {
    const relative = path.relative(this.session.dir, uri.fsPath).split(path.sep).join('/');
    if (relative.startsWith('..')) return;
    this.changed.add(relative);
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => background(this.settled(), this.log, 'Updating the tests after a change'), SETTLE_MS);
  }

  /** After a burst of changes: re-read tests/ when it changed, then re-run what each continuous run covers. */
  private async settled(): Promise<void> {
    const changed = [...this.changed];
    this.changed.clear();
    if (changed.some((f) => f.startsWith('tests/'))) await this.load();
    const live = [...this.continuous].filter((c) => !c.token.isCancellationRequested);
    if (live.length === 0) return;
    const affected = loadGrader()
      .affectedTestFiles(changed, await this.sources())
      .map((f) => f.slice('tests/'.length));
    if (affected.length === 0) return;
    for (const { request, token } of live) {
      const again = new vscode.TestRunRequest(request.include, request.exclude, request.profile, true);
      await this.execute(again, token, { files: affected });
    }
  }

  /** The text of every file in src/ and tests/, by workspace-relative path, for following imports. */
  private async sources(): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const folder of ['src', 'tests']) {
      const entries = await readdir(path.join(this.session.dir, folder), { recursive: true }).catch(() => [] as string[]);
      for (const entry of entries) {
        const relative = `${folder}/${entry.split(path.sep).join('/')}`;
        if (!/\.[cm]?[jt]sx?$/.test(relative)) continue;
        const text = await readFile(path.join(this.session.dir, relative), 'utf8').catch(() => undefined);
        if (text !== undefined) found.set(relative, text);
      }
    }
    return found;
  }

  /** The Run profile: a run now, or (continuous) a watch that runs on each save until cancelled. */
  private async start(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    if (!request.continuous) return this.execute(request, token, {});
    const entry = { request, token };
    this.continuous.add(entry);
    token.onCancellationRequested(() => this.continuous.delete(entry));
    return Promise.resolve();
  }

  /**
   * Runs the workspace's tests in the grader's sandbox: the files of the selected tests (or `files`), with coverage
   * of src/ when asked. Results arrive as they happen; a test whose name is computed at run time gets its item then.
   */
  private async execute(request: vscode.TestRunRequest, token: vscode.CancellationToken, options: { coverage?: boolean; files?: string[] }): Promise<void> {
    let included = this.selected(request);
    const files =
      options.files ?? (request.include ? [...new Set([...included].map((item) => this.tree.data.get(item)?.file).filter((f) => f !== undefined))] : undefined);
    if (options.files) included = new Set([...included].filter((item) => options.files?.includes(this.tree.data.get(item)?.file ?? '')));
    const run = this.controller.createTestRun(request, `Tests of ${this.session.lab.id}`, true);
    for (const item of included) run.enqueued(item);
    run.appendOutput(
      'The public tests are a sample of the cases: Submit Lab for Grading runs the hidden suite, which checks more. Your own tests are never graded.\r\n',
    );
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    const reported = new Set<vscode.TestItem>();
    try {
      const report = await this.trust.run(
        () =>
          this.grader.grade(this.session.lab, this.session.dir, 'workspace', {
            signal: abort.signal,
            ...(files ? { testFiles: files } : {}),
            ...(options.coverage ? { coverage: true } : {}),
            onEvent: (event) => this.apply(run, loadGrader().toTestUpdate(event, this.session.lab.runtime.timeoutMs), included, reported, !request.include),
          }),
        this.onTrustHeld,
      );
      this.onReport(report);
      for (const [file, data] of Object.entries(report.coverage ?? {})) {
        const details = coverageDetails(data);
        const coverage = vscode.FileCoverage.fromDetails(vscode.Uri.file(path.join(this.session.dir, ...file.split('/'))), details);
        this.details.set(coverage, details);
        run.addCoverage(coverage);
      }
      // Tests that never reported get the run's own explanation (a compile error, a timeout, a crash), or are skipped.
      for (const item of included) {
        if (reported.has(item)) continue;
        if (report.message) run.errored(item, new vscode.TestMessage(report.message));
        else run.skipped(item);
      }
    } catch (error) {
      if (!(error instanceof CancelledError)) throw error;
    } finally {
      cancel.dispose();
      run.end();
      this.ended.fire();
    }
  }

  /** Applies one update; an exhaustive switch, so a new kind of update cannot be silently dropped. */
  private apply(run: vscode.TestRun, update: TestUpdate, included: Set<vscode.TestItem>, reported: Set<vscode.TestItem>, wholeRun: boolean): void {
    const targets = (name: string): vscode.TestItem[] => {
      const known = this.tree.itemsNamed(name).filter((item) => included.has(item));
      if (known.length || this.tree.itemsNamed(name).length || !wholeRun) return known;
      const found = this.tree.found(name);
      included.add(found);
      return [found];
    };
    switch (update.kind) {
      case 'started':
        for (const item of targets(update.name)) run.started(item);
        return;
      case 'passed':
        for (const item of targets(update.name)) {
          reported.add(item);
          run.passed(item, update.durationMs);
        }
        return;
      case 'failed':
      case 'errored': {
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
        for (const item of targets(update.name)) {
          reported.add(item);
          if (update.kind === 'failed') run.failed(item, message, update.durationMs);
          else run.errored(item, message, update.durationMs);
        }
        return;
      }
      case 'problem':
        run.appendOutput(`${update.message}\r\n`);
        return;
      case 'output':
        run.appendOutput(
          update.text.replace(/\r?\n/g, '\r\n'),
          undefined,
          this.tree.itemsNamed(update.name).find((item) => included.has(item)),
        );
        return;
      case 'none':
        return;
      default: {
        const unreachable: never = update;
        return unreachable;
      }
    }
  }

  /** Runs the selected tests of the workspace under the debugger; their output appears in the Debug Console. */
  private async debug(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const included = this.selected(request);
    const names = [...included].map((item) => this.tree.data.get(item)?.name).filter((n): n is string => n !== undefined);
    const run = this.controller.createTestRun(request, `Debug tests of ${this.session.lab.id}`, false);
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
        await debugLabTests({ session: this.session, program: this.grader.debugProgram, outDir, names, token, log: this.log, run });
      }, this.onTrustHeld);
    } finally {
      run.end();
    }
  }

  /** The tests a request covers: leaves under what it includes (everything when it names nothing), less what it excludes. */
  private selected(request: vscode.TestRunRequest): Set<vscode.TestItem> {
    const roots: vscode.TestItem[] = request.include ? [...request.include] : [];
    if (!request.include) this.controller.items.forEach((item) => roots.push(item));
    const leaves = new Set<vscode.TestItem>();
    const visit = (item: vscode.TestItem) => {
      if (request.exclude?.includes(item)) return;
      if (item.children.size === 0 && this.tree.data.get(item)?.file !== undefined) leaves.add(item);
      item.children.forEach(visit);
    };
    roots.forEach(visit);
    return leaves;
  }
}
