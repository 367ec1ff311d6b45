import { copyFile } from 'node:fs/promises';
import * as path from 'node:path';
import { systemClock, type Clock } from '../io/clock';
import { emptyProgress, progressState, type KeyPointTicks, type ProgressData, type ProgressState, type QuestionProgress, type SelfRating } from './progress';
import type { LoadNotice, ProgressStore } from './progress-store';
import { applyRating, nextReview } from './scheduler';
import { SharedBook } from '../io/shared-book';

/**
 * The progress of every question as this window last saw it. Each rating is applied to the file as it stands,
 * so windows rating at the same time keep each other's ratings; `refresh()` takes in what others wrote.
 */
export class ProgressBook extends SharedBook<ProgressData> {
  private constructor(
    store: ProgressStore,
    private readonly clock: Clock,
  ) {
    super(store, emptyProgress());
  }

  static async open(store: ProgressStore, clock: Clock = systemClock): Promise<{ book: ProgressBook; notice?: LoadNotice }> {
    const book = new ProgressBook(store, clock);
    const loaded = await store.load();
    book.data = loaded.data;
    return loaded.notice ? { book, notice: loaded.notice } : { book };
  }

  protected records(data: ProgressData): Record<string, unknown> {
    return data.questions;
  }

  state(questionId: string): ProgressState {
    return progressState(this.data.questions[questionId]);
  }

  /** A question's stored progress (read-only), or undefined if never revealed or rated. */
  progressOf(questionId: string): Readonly<QuestionProgress> | undefined {
    return this.data.questions[questionId];
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

  /** Rated questions whose review is due now, with when each fell due. */
  due(): { id: string; due: Date }[] {
    const now = this.clock.now().getTime();
    return Object.entries(this.data.questions).flatMap(([id, p]) => (p.card && Date.parse(p.card.due) <= now ? [{ id, due: new Date(p.card.due) }] : []));
  }

  /** The progress as this window last saw it (for Export Progress). */
  snapshot(): ProgressData {
    return structuredClone(this.data);
  }

  /** Applies `merge` to the progress as it stands in the file, in one locked change (Import Progress). */
  async merge(merge: (current: ProgressData) => ProgressData): Promise<void> {
    await this.change(merge);
  }

  /** Rates a question; `keyPoints` are the ticks of its key points made before rating, kept with the review. */
  async rate(questionId: string, rating: SelfRating, keyPoints?: KeyPointTicks): Promise<void> {
    const at = this.clock.now();
    await this.change((data) => {
      data.questions[questionId] = applyRating(data.questions[questionId], rating, at, keyPoints);
    });
  }

  async markRevealed(questionId: string): Promise<void> {
    if (this.data.questions[questionId]?.revealedAt) return;
    const at = this.clock.now().toISOString();
    await this.change((data) => {
      const current = data.questions[questionId] ?? { ratings: [] };
      if (!current.revealedAt) data.questions[questionId] = { ...current, revealedAt: at };
    });
  }

  /** Clears all progress, first copying the current file aside so a reset can be undone by hand. */
  async reset(): Promise<string | undefined> {
    const stamp = this.clock.now().toISOString().replace(/[:.]/g, '-');
    const parsed = path.parse(this.file.file);
    const backup = path.join(parsed.dir, `${parsed.name}.before-reset-${stamp}${parsed.ext}`);
    const copied = await copyFile(this.file.file, backup).then(
      () => true,
      () => false,
    );
    await this.change(() => emptyProgress());
    return copied ? backup : undefined;
  }

  /** The progress as this window last saw it, for read-only views (the dashboard), without a copy; not to be changed. */
  get current(): Readonly<ProgressData> {
    return this.data;
  }

  get questionCount(): number {
    return Object.keys(this.data.questions).length;
  }
}
