// Pure TypeScript (no 'vscode'): the log and the message box are injected, so the boundary is unit-tested.

/** The part of the project's LogOutputChannel these helpers write to. */
export interface ErrorLog {
  error(message: string): void;
}

/** An error as the log shows it: the stack when there is one. */
export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * Lets `work` run on without waiting for it, but never unobserved: a failure is written to the project's log as
 * "<what> failed: <stack>" instead of going to the extension host's log as an unhandled rejection.
 */
export function background(work: PromiseLike<unknown>, log: ErrorLog, what: string): void {
  Promise.resolve(work).then(undefined, logFailure(log, what));
}

/** A rejection handler that writes "<what> failed: <stack>" to the project's log. */
export function logFailure(log: ErrorLog, what: string): (error: unknown) => void {
  return (error) => log.error(`${what} failed: ${describeError(error)}`);
}

/** What the command boundary needs from VS Code: the log, an error message with buttons, and revealing the log. */
export interface BoundaryDeps {
  log: ErrorLog;
  showError(message: string, ...actions: string[]): PromiseLike<string | undefined>;
  showLog(): void;
  /** Told of each failure after it is logged (the integration suite counts them). */
  onFailure?(id: string, error: unknown): void;
}

export const SHOW_LOG = 'Show Log';

/**
 * The one error boundary of every command: a handler that throws or rejects has its error logged (with the stack)
 * and shown as "MLOps Interview Labs: <message>" with a Show Log button that reveals the log. The wrapped command
 * then resolves to undefined, so a caller of executeCommand sees the failure once, in the message, not twice.
 * The message is not awaited: a command returns as soon as its work ends, not when the user closes a notification.
 */
export function commandBoundary(deps: BoundaryDeps) {
  return <A extends unknown[]>(id: string, handler: (...args: A) => unknown) =>
    async (...args: A): Promise<unknown> => {
      try {
        return await handler(...args);
      } catch (error) {
        deps.log.error(`Command ${id} failed: ${describeError(error)}`);
        deps.onFailure?.(id, error);
        const message = error instanceof Error ? error.message : String(error);
        background(
          Promise.resolve(deps.showError(`MLOps Interview Labs: ${message}`, SHOW_LOG)).then((choice) => choice === SHOW_LOG && deps.showLog()),
          deps.log,
          'Showing an error message',
        );
        return undefined;
      }
    };
}
