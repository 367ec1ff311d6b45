import { createEmptyCard, fsrs, Rating, TypeConvert, type Card, type Grade } from 'ts-fsrs';
import type { KeyPointTicks, QuestionProgress, SelfRating, StoredCard } from './progress';

const GRADES: Record<SelfRating, Grade> = { again: Rating.Again, hard: Rating.Hard, good: Rating.Good, easy: Rating.Easy };

// Fuzz off: the same ratings at the same times always give the same schedule, which users and tests can reason about.
const scheduler = fsrs({ enable_fuzz: false });

/**
 * Applies one self-rating at `now` and returns the question's new progress; the input is not changed. The key
 * points ticked before it, if any, are kept with the rating; they do not change the schedule.
 */
export function applyRating(progress: QuestionProgress | undefined, rating: SelfRating, now: Date, keyPoints?: KeyPointTicks): QuestionProgress {
  const card = progress?.card ? TypeConvert.card({ ...progress.card }) : createEmptyCard(now);
  const next = scheduler.next(card, now, GRADES[rating]).card;
  return {
    ...progress,
    card: toStored(next),
    ratings: [...(progress?.ratings ?? []), { at: now.toISOString(), rating, ...(keyPoints ? { keyPoints } : {}) }],
  };
}

/** When the question is next due for review, or undefined if never rated. */
export function nextReview(progress: QuestionProgress | undefined): Date | undefined {
  return progress?.card ? new Date(progress.card.due) : undefined;
}

function toStored(card: Card): StoredCard {
  return {
    due: card.due.toISOString(),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: card.elapsed_days,
    scheduled_days: card.scheduled_days,
    learning_steps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    ...(card.last_review ? { last_review: card.last_review.toISOString() } : {}),
  };
}
