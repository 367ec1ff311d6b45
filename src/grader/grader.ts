/**
 * The grader: lays out a submission with a suite, bundles it, and runs it in an isolated child process that
 * was spawned ahead of need, so a grade does not wait for a process start.
 */
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { Lab } from '../core/catalog/types';
import { bundleForDebug, bundleTests } from './bundle';
import { coverageOfBundle } from './coverage';
import type { ChildEvent } from './channel';
import { GradingChild, profileKey, type ChildProfile } from './child-process';
import { defaultWorkDir, layOut, SubmissionError, sweepStaleLayouts } from './layout';
import { currentRuntime, type NodeRuntime } from './permissions';
import { buildReport, expectedTests, testTimeoutMs } from './report';
import { MissingRuntimeError, runtimeAliases, runtimePackageDirs } from './runtime-packages';
import { suiteKeyOf, warmSuiteBundles } from './suite-warmup';
import type { GradeMode, GradeReport, Protections, Suite } from './types';

export interface GradeRequest {
  lab: Lab;
  /** A folder in the workspace layout: the candidate's code is in its src/. */
  submissionDir: string;
  suite: Suite;
  mode?: GradeMode;
  signal?: AbortSignal;
  /** Results as they happen, for the Testing view. */
  onEvent?: (event: ChildEvent) => void;
  /** Only these test files (names in tests/, e.g. "zero.test.ts"); all when absent. */
  testFiles?: readonly string[];
  /** Collect coverage of src/ (workspace runs; the child then runs without Node's permission model, see ChildProfile). */
  coverage?: boolean;
}

export interface GraderOptions {
  /** dist/grader-harness.js: the child's main module and node:test reporter. */
  harness: string;
  runtime?: NodeRuntime;
  /** Keep a child spawned ahead of need (the editor does; a one-shot CLI run need not). */
  warm?: boolean;
  /**
   * With `warm`: spawn the next spare as soon as a grade takes the current one, so it boots while this grade runs
   * (batches, where the next grade follows at once); when the current one may be kept, a reserve boots instead, for
   * the grade after it should it be retired. Without it, the spare is spawned once the grade is done.
   */
  overlap?: boolean;
  /**
   * With `warm`: how many grades one child may run in turn, for labs without runtime packages (docs/grading.md, "One
   * child, several grades"). 1 spawns a child per grade.
   */
  reuse?: number;
  /**
   * A private folder for grades' layouts, outside a crowded /tmp (layout.ts, defaultWorkDir): the extension's global
   * storage, the CLI's cache. Created when missing; layouts a killed process left there a day ago are removed.
   */
  workDir?: string;
}

/** Grades a warm child runs before it is retired (node:test keeps a little of every run it reported). */
export const REUSE_GRADES = 25;

export class Grader {
  private readonly runtime: NodeRuntime;
  private spare: GradingChild | undefined;
  /** With `overlap`: a fresh child for the grade after a kept child is retired. */
  private reserve: GradingChild | undefined;
  private disposed = false;
  /** Children this grader has started (a kept child grades several submissions, so fewer than its grades). */
  childrenStarted = 0;
  /** Grades under way: a spare is not spawned behind one that will keep its child. */
  private running = 0;
  private readonly removing = new Set<string>();
  private readonly workDir: string;
  /** The suite warm-up the last prepare() began. */
  private warming: Promise<void> = Promise.resolve();

  constructor(private readonly options: GraderOptions) {
    this.runtime = options.runtime ?? currentRuntime();
    this.workDir = options.workDir ?? defaultWorkDir();
    // Best effort: a sweep that fails leaves the old layouts for the next grader to try.
    if (options.workDir) sweepStaleLayouts(options.workDir).catch(() => undefined);
  }

  /** Spawns a child for this lab now, so its next grade starts at once. */
  prepare(lab: Lab): void {
    if (this.options.warm) this.warming = warmSuiteBundles(lab, () => runtimeAliases(lab), this.workDir).catch(() => undefined);
    const profile = this.profileFor(lab);
    if (this.spare?.alive && profileKey(this.spare.profile) === profileKey(profile)) return;
    this.spare?.dispose();
    this.spare = this.start(profile);
  }

  async grade(request: GradeRequest): Promise<GradeReport> {
    this.running++;
    const taking = request.coverage ? (async () => this.start({ ...this.profileFor(request.lab), coverage: true }))() : this.take(request.lab);
    // Awaited below, after the layout: a lab this build cannot run (no onnxruntime) rejects meanwhile, and Node would
    // end the process over a rejection nobody had handled yet. The awaits below still see it and report it.
    taking.catch(() => undefined);
    const started = performance.now();
    const { lab, suite } = request;
    const mode = request.mode ?? 'practice';
    let child: GradingChild | undefined;
    const report = (extra: { setupError?: string; outcome?: Awaited<ReturnType<GradingChild['run']>> }) => {
      const protections: Protections = child
        ? { ...child.protections, timeoutMs: lab.runtime.timeoutMs }
        : {
            permissionModel: 'unavailable',
            nodeVersion: process.version,
            timeoutMs: lab.runtime.timeoutMs,
            heapMb: lab.runtime.memoryMb,
            rssWatchdogMb: null,
            outputCapBytes: 0,
            addons: false,
            childProcesses: false,
          };
      return buildReport({ lab, suite, mode, protections, durationMs: performance.now() - started, ...extra });
    };

    let layoutDir: string | undefined;
    try {
      // A coverage run needs a child of its own kind (no permission model); it is never the spare. The spare is taken
      // while the submission is laid out and bundled (a kept child says it is ready again a few ms after its last grade).
      const layout = await layOut(lab.dir, request.submissionDir, suite, request.testFiles, this.workDir);
      layoutDir = layout.dir;
      if (layout.testFiles.length === 0) {
        child = await taking;
        return report({ setupError: suite === 'workspace' ? 'there are no test files (*.test.ts) in tests/' : `the lab has no ${suite} tests` });
      }
      const assetsDir = path.join(lab.dir, 'assets');
      const candidateTests = suite === 'workspace';
      // The lab's suites are bundled once per content (bundle.ts caches them); the candidate's own tests every time.
      const suiteKey = candidateTests ? undefined : suiteKeyOf(lab, suite, layout.testsDigest);
      const bundled = await bundleTests(layout.dir, layout.testFiles, { assetsDir, aliases: runtimeAliases(lab), candidateTests }, suiteKey);
      child = await taking;
      // Batches: the next child boots while this grade runs, unless this one will be kept for the next grade.
      if (this.options.warm && this.options.overlap && !request.coverage) {
        if (candidateTests || child.gradesLeft <= 1) this.prepare(lab);
        // A kept child may yet be retired after this grade (a limit hit, a test timed out): a reserve boots meanwhile,
        // so the grade after a retired child does not wait for a process start.
        else if (!this.reserve) this.reserve = this.start(child.profile);
      }
      if (!bundled.ok) return report({ setupError: compileError(bundled.errors) });
      await child.ready;
      const outcome = await child.run(
        {
          modules: bundled.modules,
          candidate: bundled.candidate,
          layoutDir: layout.dir,
          expected: [...expectedTests(lab, suite).keys()],
          ...(candidateTests ? { candidateTests: { assetsDir } } : {}),
        },
        { timeoutMs: lab.runtime.timeoutMs, ...(request.signal ? { signal: request.signal } : {}), ...(request.onEvent ? { onEvent: request.onEvent } : {}) },
      );
      const graded = report({ outcome });
      if (request.coverage && outcome.coverage) graded.coverage = await coverageOfBundle(bundled.candidate, outcome.coverage);
      return graded;
    } catch (error) {
      child ??= await taking.catch(() => undefined);
      if (error instanceof SubmissionError || error instanceof MissingRuntimeError) return report({ setupError: error.message });
      // Whatever else goes wrong with one submission (an unreadable file, a vanished folder) is that submission's
      // graded error: a batch records it and goes on.
      return report({ setupError: `the grader could not grade this submission: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      this.running--;
      child ??= await taking.catch(() => undefined);
      const kept = child && !request.coverage && this.keep(child, lab);
      if (!kept) child?.dispose();
      if (layoutDir) await this.remove(layoutDir);
      // The next spare is spawned just after this grade is handed back (a spawn costs a few ms of this process's time).
      if (this.options.warm && child && !kept)
        setImmediate(() => {
          if (!this.disposed && this.running === 0) this.prepare(lab);
        });
    }
  }

  /**
   * Resolves once what prepare() began is done: the spare child booted (or failed to) and the lab's suites bundled.
   * A window a candidate has worked in for a minute is in this state; the integration suite times Submit from it.
   */
  async settled(): Promise<void> {
    await Promise.all([this.spare?.ready.catch(() => undefined), this.warming]);
  }

  dispose(): void {
    this.disposed = true;
    for (const dir of this.removing) rmSync(dir, { recursive: true, force: true });
    this.removing.clear();
    this.spare?.dispose();
    this.spare = undefined;
    this.reserve?.dispose();
    this.reserve = undefined;
  }

  /**
   * A warm grader removes a grade's folder after handing the report back (nothing waits for it; dispose() finishes
   * what is left); a one-shot grader before, so its process can exit at once.
   */
  private async remove(dir: string): Promise<void> {
    if (!this.options.warm) return rm(dir, { recursive: true, force: true });
    this.removing.add(dir);
    rm(dir, { recursive: true, force: true })
      .catch(() => undefined)
      .finally(() => this.removing.delete(dir))
      .catch(() => undefined);
  }

  private async take(lab: Lab): Promise<GradingChild> {
    const profile = this.profileFor(lab);
    const spare = this.spare;
    this.spare = undefined;
    if (spare && profileKey(spare.profile) === profileKey(profile) && (await spare.reusable())) return spare;
    spare?.dispose();
    const reserve = this.reserve;
    this.reserve = undefined;
    if (reserve?.alive && profileKey(reserve.profile) === profileKey(profile)) return reserve;
    reserve?.dispose();
    return this.start(profile);
  }

  private start(profile: ChildProfile): GradingChild {
    this.childrenStarted++;
    return new GradingChild(profile);
  }

  /**
   * Keeps a child that may grade again as the spare (in place of one spawned meanwhile, which has not booted yet).
   * Should it then say it must be retired (docs/grading.md), a fresh spare is spawned in its place.
   */
  private keep(child: GradingChild, lab: Lab): boolean {
    if (!this.options.warm || this.disposed || child.gradesLeft <= 0) return false;
    if (this.spare !== child) this.spare?.dispose();
    this.spare = child;
    child
      .reusable()
      .then((ok) => {
        if (!ok && this.spare === child && !this.disposed) {
          this.spare = undefined;
          child.dispose();
          // The reserve (batches) takes its place when it is there and fits; prepare() spawns one otherwise.
          const reserve = this.reserve;
          if (reserve?.alive && profileKey(reserve.profile) === profileKey(this.profileFor(lab))) {
            this.reserve = undefined;
            this.spare = reserve;
          } else this.prepare(lab);
        }
      })
      .catch(() => undefined);
    return true;
  }

  private profileFor(lab: Lab): ChildProfile {
    const readPaths = [path.join(lab.dir, 'assets'), ...Object.values(runtimePackageDirs(lab))];
    return {
      runtime: this.runtime,
      harness: this.options.harness,
      readPaths,
      memoryMb: lab.runtime.memoryMb,
      testTimeoutMs: testTimeoutMs(lab.runtime.timeoutMs),
      addons: lab.runtime.onnxruntime,
      runtimeModules: runtimeAliases(lab),
      workDir: this.workDir,
      // What the compartment gets from runtime packages is not hardened, so a child of such a lab grades once.
      ...(this.options.warm && Object.keys(runtimeAliases(lab)).length === 0 ? { reuse: this.options.reuse ?? REUSE_GRADES } : {}),
    };
  }
}

/** Writes a Debug run's bundles for a lab workspace into `outDir` (bundle.ts); returns compile errors, if any. */
export function prepareDebugRun(lab: Lab, workspaceDir: string, outDir: string): Promise<string[] | undefined> {
  return bundleForDebug(workspaceDir, outDir, { assetsDir: path.join(lab.dir, 'assets'), aliases: runtimeAliases(lab) });
}

/** A bundling failure in the candidate's words: a missing export says what to export, not esbuild's phrasing. */
export function compileError(errors: readonly string[]): string {
  const missing = errors
    .map((e) => /No matching export in "(?:candidate:)?([^"]+)" for import "([^"]+)"/.exec(e))
    .filter((m): m is RegExpExecArray => m !== null);
  if (missing.length === errors.length && missing.length > 0) {
    const names = [...new Set(missing.map((m) => `${m[1]} does not export "${m[2]}"`))];
    return `${names.join('; ')}, which the tests import. Keep the starter's exported names and signatures.`;
  }
  return `the code does not compile:\n${errors.map((e) => `  ${e}`).join('\n')}`;
}
