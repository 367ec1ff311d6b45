import { describe, expect, it } from 'vitest';
import { applyLatePolicy, describeLatePolicy, mergeLatePolicy, type LatePolicy } from '../../../../src/core/take-home/late-policy';

const POLICY: LatePolicy = { version: 1, graceMinutes: 10, penaltyPercentPerHour: 10 };

describe('late policy', () => {
  it('costs nothing without a policy, on time, or within the grace', () => {
    expect(applyLatePolicy(undefined, 80, 100, 500)).toEqual({ minutesLate: 0, startedHours: 0, penaltyPoints: 0, finalPoints: 80 });
    expect(applyLatePolicy(POLICY, 80, 100, -5)).toMatchObject({ penaltyPoints: 0, finalPoints: 80 });
    expect(applyLatePolicy(POLICY, 80, 100, 10)).toMatchObject({ minutesLate: 0, finalPoints: 80 });
  });

  it('deducts a percent of the points possible per started hour past the grace', () => {
    // 11 minutes late, 10 of grace: one started hour, 10% of 100.
    expect(applyLatePolicy(POLICY, 80, 100, 11)).toEqual({ minutesLate: 1, startedHours: 1, penaltyPoints: 10, finalPoints: 70 });
    // 130 minutes late: 120 past the grace is two hours; 121 would be three.
    expect(applyLatePolicy(POLICY, 80, 100, 130)).toEqual({ minutesLate: 120, startedHours: 2, penaltyPoints: 20, finalPoints: 60 });
    expect(applyLatePolicy(POLICY, 80, 100, 131)).toMatchObject({ startedHours: 3, finalPoints: 50 });
    // Never below zero.
    expect(applyLatePolicy(POLICY, 5, 100, 600)).toMatchObject({ penaltyPoints: 5, finalPoints: 0 });
  });

  it('counts the extension before the grace', () => {
    expect(applyLatePolicy(POLICY, 80, 100, 40, 30)).toMatchObject({ minutesLate: 0, finalPoints: 80 });
    expect(applyLatePolicy(POLICY, 80, 100, 41, 30)).toMatchObject({ minutesLate: 1, startedHours: 1, finalPoints: 70 });
  });

  it('stops the deduction at its maximum, and caps what late work can score', () => {
    expect(applyLatePolicy({ ...POLICY, maxPenaltyPercent: 25 }, 90, 100, 600)).toMatchObject({ startedHours: 10, penaltyPoints: 25, finalPoints: 65 });
    expect(applyLatePolicy({ version: 1, capPercent: 50 }, 90, 120, 1)).toMatchObject({ penaltyPoints: 30, finalPoints: 60 });
    expect(applyLatePolicy({ version: 1, capPercent: 50 }, 40, 120, 1)).toMatchObject({ penaltyPoints: 0, finalPoints: 40 });
    // Fractions of points are kept to two decimals.
    expect(applyLatePolicy({ version: 1, penaltyPercentPerHour: 10 }, 66.67, 100 / 3, 1)).toMatchObject({ finalPoints: 63.34, penaltyPoints: 3.33 });
  });

  it('describes itself, and lets the command line replace single fields of the pack policy', () => {
    expect(describeLatePolicy(undefined)).toBe('none');
    expect(describeLatePolicy({ ...POLICY, maxPenaltyPercent: 30, capPercent: 80 })).toBe(
      'grace 10 min; -10% per started hour (at most -30%); late work capped at 80%',
    );
    expect(describeLatePolicy({ version: 1, capPercent: 50 })).toBe('late work capped at 50%');
    expect(describeLatePolicy({ version: 1 })).toBe('no penalty');
    expect(mergeLatePolicy(undefined, {})).toBeUndefined();
    expect(mergeLatePolicy(POLICY, { graceMinutes: 0, capPercent: undefined })).toEqual({ version: 1, graceMinutes: 0, penaltyPercentPerHour: 10 });
    expect(mergeLatePolicy(undefined, { capPercent: 50 })).toEqual({ version: 1, capPercent: 50 });
  });
});
