// Pure TypeScript (no 'vscode'): anything with a dispose() method fits, so this runs under vitest too.

/** Anything that can be disposed: a vscode.Disposable, an EventEmitter, a timer wrapper. */
export interface DisposableLike {
  dispose(): unknown;
}

/** Where dispose failures go; the extension passes its LogOutputChannel. */
export interface DisposeLog {
  error(message: string): void;
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * Disposes each of `items` (last registered first), even when some throw; returns what they threw.
 * A dispose that returns a rejected promise is reported too, through `log`, once it settles.
 */
export function disposeAll(items: readonly DisposableLike[], log?: DisposeLog): unknown[] {
  const errors: unknown[] = [];
  for (const item of [...items].reverse()) {
    try {
      const result = item.dispose();
      if (result instanceof Promise) result.catch((error: unknown) => log?.error(`Disposing failed: ${describe(error)}`));
    } catch (error) {
      errors.push(error);
      log?.error(`Disposing failed: ${describe(error)}`);
    }
  }
  return errors;
}

/** Wraps a function as a disposable (a timer's clear, a listener's removal). */
export function toDisposable(dispose: () => unknown): DisposableLike {
  return { dispose };
}

/**
 * Owns the disposables of whatever extends it: `register()` what you create, and `dispose()` releases all of it,
 * newest first. A registration after dispose is disposed at once (a late async result never leaks), and one
 * throwing dispose never stops the rest: the failures are logged, or, when no log was given, thrown together as
 * one AggregateError after every other disposable has been disposed.
 */
export abstract class Disposable implements DisposableLike {
  private readonly owned: DisposableLike[] = [];
  private disposed = false;

  constructor(private readonly disposeLog?: DisposeLog) {}

  /** True once dispose() has run. */
  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Takes ownership of `disposable` and returns it, so creation and registration read as one line. */
  protected register<T extends DisposableLike>(disposable: T): T {
    if (this.disposed) {
      this.settle(disposeAll([disposable], this.disposeLog));
      return disposable;
    }
    this.owned.push(disposable);
    return disposable;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.settle(disposeAll(this.owned.splice(0), this.disposeLog));
  }

  private settle(errors: unknown[]): void {
    if (errors.length && !this.disposeLog) throw new AggregateError(errors, `${errors.length} disposable(s) failed to dispose`);
  }
}
