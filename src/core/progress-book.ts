import { copyFile } from 'node:fs/promises';
import * as path from 'node:path';
import { systemClock, type Clock } from './clock';
import { emptyProgress, progressState, type ProgressData, type ProgressState, type SelfRating } from './progress';
import type { LoadNotice, ProgressStore } from './progress-store';
import { applyRating, nextReview } from './scheduler';

/** The in-memory progress of every question, saved through the store after each change. */
export class ProgressBook {
  private data: ProgressData = emptyProgress();
  private readonly listeners = new Set<(questionIds: readonly string[]) => void>();

  private constructor(
    private readonly store: ProgressStore,
    private readonly clock: Clock,
  ) {}

  static async open(store: ProgressStore, clock: Clock = systemClock): Promise<{ book: ProgressBook; notice?: LoadNotice }> {
    const book = new ProgressBook(store, clock);
    const loaded = await store.load();
    book.data = loaded.data;
    return loaded.notice ? { book, notice: loaded.notice } : { book };
  }

  state(questionId: string): ProgressState {
    return progressState(this.data.questions[questionId]);
  }

  nextReview(questionId: string): Date | undefined {
    return nextReview(this.data.questions[questionId]);
  }

  /** Ids of rated questions whose review is due now. */
  dueIds(): string[] {
    const now = this.clock.now().getTime();
    return Object.entries(this.data.questions)
      .filter(([, p]) => p.card && new Date(p.card.due).getTime() <= now)
      .map(([id]) => id);
  }

  async rate(questionId: string, rating: SelfRating): Promise<void> {
    this.data.questions[questionId] = applyRating(this.data.questions[questionId], rating, this.clock.now());
    await this.commit([questionId]);
  }

  async markRevealed(questionId: string): Promise<void> {
    const current = this.data.questions[questionId] ?? { ratings: [] };
    if (current.revealedAt) return;
    this.data.questions[questionId] = { ...current, revealedAt: this.clock.now().toISOString() };
    await this.commit([questionId]);
  }

  /** Clears all progress, first copying the current file aside so a reset can be undone by hand. */
  async reset(): Promise<string | undefined> {
    const stamp = this.clock.now().toISOString().replace(/[:.]/g, '-');
    const parsed = path.parse(this.store.file);
    const backup = path.join(parsed.dir, `${parsed.name}.before-reset-${stamp}${parsed.ext}`);
    const copied = await copyFile(this.store.file, backup).then(
      () => true,
      () => false,
    );
    const ids = Object.keys(this.data.questions);
    this.data = emptyProgress();
    await this.commit(ids);
    return copied ? backup : undefined;
  }

  get questionCount(): number {
    return Object.keys(this.data.questions).length;
  }

  onDidChange(listener: (questionIds: readonly string[]) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private async commit(ids: readonly string[]): Promise<void> {
    for (const listener of this.listeners) listener(ids);
    await this.store.save(this.data);
  }
}
