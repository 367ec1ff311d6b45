import { describe, expect, it } from 'vitest';
import {
  isWeak,
  LAB_MINUTES,
  MINUTES_BY_LEVEL,
  planInterview,
  questionWeight,
  seededRandom,
  type PlanCandidate,
  type PlanHistory,
} from '../../../../src/core/practice/interview-plan';

const q = (id: string, section: PlanCandidate['section'] = 'serving', difficulty: PlanCandidate['difficulty'] = 'mid'): PlanCandidate => ({
  id: `core/${id}`,
  section,
  difficulty,
});
const mastered: PlanHistory = { state: 'mastered', due: false, lastRating: 'easy' };
const due: PlanHistory = { state: 'learning', due: true, lastRating: 'good' };
const unseen: PlanHistory = { state: 'new', due: false };
const learning: PlanHistory = { state: 'learning', due: false, lastRating: 'good' };
const weak: PlanHistory = { state: 'learning', due: false, lastRating: 'hard' };

describe('interview selection', () => {
  it('always picks a due question before a mastered one, whatever the random draw', () => {
    const candidates = [q('mastered-a'), q('due-b'), q('mastered-c')];
    const history = (id: string) => (id === 'core/due-b' ? due : mastered);
    for (let seed = 0; seed < 200; seed++) {
      const plan = planInterview(candidates, history, { lengthMinutes: 30, level: 'mid', sections: ['serving'], random: seededRandom(seed), count: 1 });
      expect(plan.map((p) => p.id)).toEqual(['core/due-b']);
      expect(plan[0]?.reason).toBe('due');
    }
  });

  it('mastered questions only fill places once every other question is taken', () => {
    const candidates = [q('m1'), q('n1'), q('m2')];
    const history = (id: string) => (id === 'core/n1' ? unseen : mastered);
    const plan = planInterview(candidates, history, { lengthMinutes: 60, level: 'mid', sections: ['serving'], random: seededRandom(7) });
    expect(plan[0]?.id).toBe('core/n1');
    expect(plan.map((p) => p.id).sort()).toEqual(['core/m1', 'core/m2', 'core/n1']);
  });

  it('favours never-seen and weak questions over learning ones that are not due', () => {
    const candidates = [q('unseen'), q('weak'), q('learning')];
    const history = (id: string) => ({ 'core/unseen': unseen, 'core/weak': weak, 'core/learning': learning })[id] ?? learning;
    const firsts: Record<string, number> = {};
    const random = seededRandom(42);
    for (let i = 0; i < 2000; i++) {
      const [first] = planInterview(candidates, history, { lengthMinutes: 30, level: 'mid', sections: ['serving'], random, count: 1 });
      if (first) firsts[first.id] = (firsts[first.id] ?? 0) + 1;
    }
    expect(firsts['core/unseen']).toBeGreaterThan(3 * (firsts['core/learning'] ?? 0));
    expect(firsts['core/weak']).toBeGreaterThan(3 * (firsts['core/learning'] ?? 0));
  });

  it('weights: due 6, weak +3, never seen 4, learning 1, mastered and not due 0 unless weak', () => {
    expect(questionWeight(due)).toBe(6);
    expect(questionWeight({ ...due, lastRating: 'again' })).toBe(9);
    expect(questionWeight(unseen)).toBe(4);
    expect(questionWeight(learning)).toBe(1);
    expect(questionWeight(weak)).toBe(4);
    expect(questionWeight(mastered)).toBe(0);
    expect(isWeak({ state: 'learning', due: false, lastRating: 'good', lastTicks: { ticked: [0], total: 4 } })).toBe(true);
    expect(isWeak({ state: 'learning', due: false, lastRating: 'good', lastTicks: { ticked: [0, 1], total: 4 } })).toBe(false);
  });

  it('keeps to the chosen level and sections', () => {
    const candidates = [q('a', 'serving', 'junior'), q('b', 'serving', 'senior'), q('c', 'monitoring', 'junior'), q('d', 'pipelines', 'junior')];
    const plan = planInterview(candidates, () => unseen, {
      lengthMinutes: 60,
      level: 'junior',
      sections: ['serving', 'monitoring'],
      random: seededRandom(1),
    });
    expect(plan.map((p) => p.id).sort()).toEqual(['core/a', 'core/c']);
    expect(plan.every((p) => p.level === 'junior' && p.minutes === MINUTES_BY_LEVEL.junior)).toBe(true);
  });

  it('fits the suggested minutes into the length, less the minutes kept for a lab', () => {
    const candidates = Array.from({ length: 20 }, (_, i) => q(`q${i}`, 'serving', 'senior'));
    const opts = { level: 'senior' as const, sections: ['serving' as const], random: seededRandom(3) };
    const plain = planInterview(candidates, () => unseen, { ...opts, lengthMinutes: 60 });
    expect(plain).toHaveLength(Math.floor(60 / MINUTES_BY_LEVEL.senior));
    const withLab = planInterview(candidates, () => unseen, { ...opts, lengthMinutes: 60, withLab: true });
    expect(withLab).toHaveLength(Math.floor((60 - LAB_MINUTES) / MINUTES_BY_LEVEL.senior));
    expect(planInterview(candidates, () => unseen, { ...opts, lengthMinutes: 30, count: 2 })).toHaveLength(2);
  });

  it('is deterministic for a seed', () => {
    const candidates = Array.from({ length: 12 }, (_, i) => q(`q${i}`));
    const run = (seed: number) =>
      planInterview(candidates, () => unseen, { lengthMinutes: 45, level: 'mid', sections: ['serving'], random: seededRandom(seed) });
    expect(run(5)).toEqual(run(5));
    expect(run(5).map((p) => p.id)).not.toEqual(run(6).map((p) => p.id));
  });
});
