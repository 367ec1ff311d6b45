import type { ProgressState } from '../progress/progress';
import { DIFFICULTIES, SECTIONS, type Difficulty } from '../catalog/sections';
import type { Question } from '../catalog/types';

export const GROUP_BY = ['section', 'difficulty', 'tag'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export interface TreeFilter {
  /** Difficulties to show; empty shows all. */
  difficulties: readonly Difficulty[];
  hideMastered: boolean;
}

export const NO_FILTER: TreeFilter = { difficulties: [], hideMastered: false };

export interface QuestionGroup {
  key: string;
  label: string;
  /** Questions shown under the group, in catalog order. */
  questions: Question[];
  /** Questions in the group before filtering. */
  total: number;
  /** Questions of the group (filtered or not) mastered. */
  mastered: number;
}

export function isFiltered(filter: TreeFilter): boolean {
  return filter.hideMastered || (filter.difficulties.length > 0 && filter.difficulties.length < DIFFICULTIES.length);
}

/** Groups the catalog's questions for the tree; groups left empty by the filter are omitted. */
export function groupQuestions(
  questions: readonly Question[],
  groupBy: GroupBy,
  filter: TreeFilter,
  stateOf: (q: Question) => ProgressState,
): QuestionGroup[] {
  const keep = (q: Question) =>
    (filter.difficulties.length === 0 || filter.difficulties.includes(q.difficulty)) && !(filter.hideMastered && stateOf(q) === 'mastered');

  const groups = groupKeys(questions, groupBy).map(({ key, label, member }) => {
    const all = questions.filter(member);
    return { key, label, questions: all.filter(keep), total: all.length, mastered: all.filter((q) => stateOf(q) === 'mastered').length };
  });
  return groups.filter((g) => g.questions.length > 0);
}

function groupKeys(questions: readonly Question[], groupBy: GroupBy): { key: string; label: string; member: (q: Question) => boolean }[] {
  switch (groupBy) {
    case 'section':
      return SECTIONS.map((s) => ({ key: s.slug, label: s.title, member: (q: Question) => q.section === s.slug }));
    case 'difficulty':
      return DIFFICULTIES.map((d) => ({ key: d, label: d[0]?.toUpperCase() + d.slice(1), member: (q: Question) => q.difficulty === d }));
    case 'tag': {
      const tags = [...new Set(questions.flatMap((q) => q.tags))].sort();
      return tags.map((t) => ({ key: t, label: t, member: (q: Question) => q.tags.includes(t) }));
    }
  }
}

/** The question before or after `current` in catalog order, wrapping around. */
export function neighbour(questions: readonly Question[], currentId: string, direction: 1 | -1): Question | undefined {
  const index = questions.findIndex((q) => q.qualifiedId === currentId);
  if (index < 0 || questions.length < 2) return undefined;
  return questions[(index + direction + questions.length) % questions.length];
}
