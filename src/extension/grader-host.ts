import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { Lab } from '../core/catalog/types';
import type { ChildEvent, GradeReport, Suite } from '../grader/index';
import type { Grader } from '../grader/grader';
import { loadGrader } from './lazy';
import { Disposable } from './lifecycle';

/**
 * The extension's one grader: loaded on first use, with a child kept spawned ahead of need. Runs for the
 * same lab are queued, so two never overlap; each can be cancelled.
 */
export class GraderHost extends Disposable {
  private grader: Grader | undefined;
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly extensionPath: string,
    /** Grades' layouts: in global storage rather than a crowded /tmp (src/grader/layout.ts). */
    private readonly workDir: string,
    log: vscode.LogOutputChannel,
  ) {
    super(log);
  }

  private instance(): Grader {
    this.grader ??= this.register(
      new (loadGrader().Grader)({ harness: path.join(this.extensionPath, 'dist', 'grader-harness.js'), warm: true, workDir: this.workDir }),
    );
    return this.grader;
  }

  /** The Debug profile's program: the grading sandbox under the debugger (src/grader/child/debug-runner.ts). */
  get debugProgram(): string {
    return path.join(this.extensionPath, 'dist', 'grader-debug.js');
  }

  /** Resolves once the spare child has booted and the lab's suites are bundled (Grader.settled). */
  settled(): Promise<void> {
    return this.grader?.settled() ?? Promise.resolve();
  }

  /** Starts a child for this lab now, so the first run does not wait for a process start. */
  prepare(lab: Lab): void {
    this.instance().prepare(lab);
  }

  grade(lab: Lab, workspace: string, suite: Suite, options: { signal?: AbortSignal; onEvent?: (event: ChildEvent) => void } = {}): Promise<GradeReport> {
    const previous = this.queues.get(lab.qualifiedId) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() => {
        if (options.signal?.aborted) throw new CancelledError();
        return this.instance().grade({ lab, submissionDir: workspace, suite, ...options });
      });
    this.queues.set(lab.qualifiedId, next);
    // Only for the bookkeeping: the caller gets `next` itself and handles its failure.
    next
      .finally(() => {
        if (this.queues.get(lab.qualifiedId) === next) this.queues.delete(lab.qualifiedId);
      })
      .catch(() => undefined);
    return next;
  }
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}
