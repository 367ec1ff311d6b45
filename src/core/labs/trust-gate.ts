/**
 * Running lab code waits for workspace trust. Actions asked for in an untrusted folder are held, the user is
 * told once per request, and they run when trust is granted; nothing runs before.
 */
export interface TrustSource {
  isTrusted(): boolean;
  onDidGrant(listener: () => void): { dispose(): void };
}

export class TrustGate {
  private readonly waiting: (() => void)[] = [];
  private readonly subscription: { dispose(): void };

  constructor(private readonly trust: TrustSource) {
    this.subscription = trust.onDidGrant(() => {
      for (const resume of this.waiting.splice(0)) resume();
    });
  }

  /** Runs `action` now when trusted; otherwise calls `onHeld` and runs it once trust is granted. */
  run<T>(action: () => Promise<T>, onHeld: () => void): Promise<T> {
    if (this.trust.isTrusted()) return action();
    onHeld();
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => {
        action().then(resolve, reject);
      });
    });
  }

  get pending(): number {
    return this.waiting.length;
  }

  dispose(): void {
    this.subscription.dispose();
    this.waiting.length = 0;
  }
}
