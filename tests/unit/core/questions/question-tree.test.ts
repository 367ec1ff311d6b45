import { describe, expect, it } from 'vitest';
import type { ProgressState } from '../../../../src/core/progress/progress';
import { groupQuestions, isFiltered, neighbour, NO_FILTER } from '../../../../src/core/questions/question-tree';
import type { Difficulty, SectionSlug } from '../../../../src/core/catalog/sections';
import type { Question } from '../../../../src/core/catalog/types';
import { questionFixture } from '../../helpers';

const q = (id: string, section: SectionSlug, difficulty: Difficulty, tags: string[]): Question => questionFixture({ id, section, difficulty, tags });

const questions = [
  q('a', 'training-frameworks', 'junior', ['pytorch']),
  q('b', 'training-frameworks', 'mid', ['pytorch', 'gpu']),
  q('c', 'distributed-training', 'senior', ['deepspeed', 'gpu']),
  q('d', 'monitoring', 'mid', ['drift']),
];
const states: Record<string, ProgressState> = { 'core/b': 'mastered', 'core/c': 'learning' };
const stateOf = (x: Question) => states[x.qualifiedId] ?? 'new';
const summary = (groups: ReturnType<typeof groupQuestions>) => groups.map((g) => `${g.key}:${g.questions.map((x) => x.id).join('')}/${g.total}`);

describe('question tree', () => {
  it('groups by section in the fixed section order, omitting empty sections', () => {
    expect(summary(groupQuestions(questions, 'section', NO_FILTER, stateOf))).toEqual([
      'training-frameworks:ab/2',
      'distributed-training:c/1',
      'monitoring:d/1',
    ]);
  });

  it('groups by difficulty from junior to senior', () => {
    expect(summary(groupQuestions(questions, 'difficulty', NO_FILTER, stateOf))).toEqual(['junior:a/1', 'mid:bd/2', 'senior:c/1']);
  });

  it('groups by tag alphabetically, a question under each of its tags', () => {
    expect(summary(groupQuestions(questions, 'tag', NO_FILTER, stateOf))).toEqual(['deepspeed:c/1', 'drift:d/1', 'gpu:bc/2', 'pytorch:ab/2']);
  });

  it('filters by difficulty and keeps the unfiltered total for the count', () => {
    const filter = { difficulties: ['mid', 'senior'] as Difficulty[], hideMastered: false };
    expect(summary(groupQuestions(questions, 'section', filter, stateOf))).toEqual(['training-frameworks:b/2', 'distributed-training:c/1', 'monitoring:d/1']);
    expect(isFiltered(filter)).toBe(true);
  });

  it('hides mastered questions when asked', () => {
    const filter = { difficulties: [], hideMastered: true };
    expect(summary(groupQuestions(questions, 'tag', filter, stateOf))).toEqual(['deepspeed:c/1', 'drift:d/1', 'gpu:c/2', 'pytorch:a/2']);
  });

  it('counts all three difficulties selected as no filter', () => {
    expect(isFiltered({ difficulties: ['junior', 'mid', 'senior'], hideMastered: false })).toBe(false);
    expect(isFiltered(NO_FILTER)).toBe(false);
  });

  it('finds the next and previous question, wrapping at the ends', () => {
    expect(neighbour(questions, 'core/a', 1)?.id).toBe('b');
    expect(neighbour(questions, 'core/a', -1)?.id).toBe('d');
    expect(neighbour(questions, 'core/d', 1)?.id).toBe('a');
    expect(neighbour(questions, 'core/zzz', 1)).toBeUndefined();
  });
});
