import type { LabRecord } from '../core/labs/lab-state';

/**
 * The labs this window has offered to export because their time ran out, so the candidate is asked once per lab:
 * by the take-home clock's time-up modal when the lab window itself finds the time up, else by the offer at the
 * window's start. Plain logic without vscode, so it is unit-tested with records alone.
 */
export class TimeUpOffers {
  private readonly offered = new Set<string>();

  /** The clock's time-up modal (which offers the export) was shown for `labId` in this window. */
  clockOffered(labId: string): void {
    this.offered.add(labId);
  }

  /**
   * At the window's start, of the labs with unexported work: those whose time ran out (frozen, or past the
   * deadline while no window was open) and that this window has not offered yet. They count as offered now.
   */
  atStart(unexported: ReadonlyMap<string, LabRecord | undefined>, now: number): string[] {
    const ended = [...unexported].flatMap(([id, record]) => {
      const timer = record?.timer;
      return timer && (timer.frozenAt !== undefined || Date.parse(timer.deadline) <= now) && !this.offered.has(id) ? [id] : [];
    });
    for (const id of ended) this.offered.add(id);
    return ended;
  }
}
