/**
 * The grader: lays out a submission with a suite, bundles it, and runs it in an isolated child process that
 * was spawned ahead of need, so a grade does not wait for a process start.
 */
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { Lab } from '../core/types';
import { bundleTests } from './bundle';
import type { ChildEvent } from './channel';
import { GradingChild, profileKey, type ChildProfile } from './child-process';
import { layOut, SubmissionError } from './layout';
import { currentRuntime, type NodeRuntime } from './permissions';
import { buildReport, expectedTests, testTimeoutMs } from './report';
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
}

export interface GraderOptions {
  /** dist/grader-harness.js: the child's main module and node:test reporter. */
  harness: string;
  runtime?: NodeRuntime;
  /** Keep a child spawned ahead of need (the editor does; a one-shot CLI run need not). */
  warm?: boolean;
}

export class Grader {
  private readonly runtime: NodeRuntime;
  private spare: GradingChild | undefined;

  constructor(private readonly options: GraderOptions) {
    this.runtime = options.runtime ?? currentRuntime();
  }

  /** Spawns a child for this lab now, so its next grade starts at once. */
  prepare(lab: Lab): void {
    const profile = this.profileFor(lab);
    if (this.spare?.alive && profileKey(this.spare.profile) === profileKey(profile)) return;
    this.spare?.dispose();
    this.spare = new GradingChild(profile);
  }

  async grade(request: GradeRequest): Promise<GradeReport> {
    const started = performance.now();
    const { lab, suite } = request;
    const mode = request.mode ?? 'practice';
    const child = this.take(lab);
    const protections: Protections = { ...child.protections, timeoutMs: lab.runtime.timeoutMs };
    const report = (extra: { setupError?: string; outcome?: Awaited<ReturnType<GradingChild['run']>> }) =>
      buildReport({ lab, suite, mode, protections, durationMs: performance.now() - started, ...extra });

    let layoutDir: string | undefined;
    try {
      const layout = await layOut(lab.dir, request.submissionDir, suite);
      layoutDir = layout.dir;
      if (layout.testFiles.length === 0) return report({ setupError: `the lab has no ${suite} tests` });
      const bundled = await bundleTests(layout.dir, layout.testFiles, { assetsDir: path.join(lab.dir, 'assets'), aliases: runtimeAliases(lab) });
      if (!bundled.ok) return report({ setupError: `the code does not compile:\n${bundled.errors.map((e) => `  ${e}`).join('\n')}` });
      await child.ready;
      const outcome = await child.run(
        { modules: bundled.modules, expected: [...expectedTests(lab, suite).keys()] },
        { timeoutMs: lab.runtime.timeoutMs, ...(request.signal ? { signal: request.signal } : {}), ...(request.onEvent ? { onEvent: request.onEvent } : {}) },
      );
      return report({ outcome });
    } catch (error) {
      if (error instanceof SubmissionError) return report({ setupError: error.message });
      throw error;
    } finally {
      child.dispose();
      if (layoutDir) await rm(layoutDir, { recursive: true, force: true });
      if (this.options.warm) this.prepare(lab);
    }
  }

  dispose(): void {
    this.spare?.dispose();
    this.spare = undefined;
  }

  private take(lab: Lab): GradingChild {
    const profile = this.profileFor(lab);
    const spare = this.spare;
    this.spare = undefined;
    if (spare?.alive && profileKey(spare.profile) === profileKey(profile)) return spare;
    spare?.dispose();
    return new GradingChild(profile);
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
    };
  }
}

const localRequire = createRequire(__filename);

/** Folders of the runtime packages a lab's tests may load. */
function runtimePackageDirs(lab: Lab): Record<string, string> {
  if (!lab.runtime.onnxruntime) return {};
  try {
    return { 'onnxruntime-node': path.dirname(localRequire.resolve('onnxruntime-node/package.json')) };
  } catch {
    throw new Error(`the lab "${lab.id}" needs onnxruntime-node, which this build of the extension does not include`);
  }
}

function runtimeAliases(lab: Lab): Record<string, string> {
  return Object.fromEntries(Object.entries(runtimePackageDirs(lab)).map(([name, dir]) => [name, localRequire.resolve(name, { paths: [dir] })]));
}
