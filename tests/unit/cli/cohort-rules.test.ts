import { describe, expect, it } from 'vitest';
import { finalize, identify, junitProperties, lmsExport, unknownManualRows } from '../../../src/cli/cohort';
import { junitNotGraded, junitSuites } from '../../../src/cli/formats';
import type { CandidateResult } from '../../../src/cli/take-home-result';
import { parseRoster } from '../../../src/core/take-home/roster';
import { reportFixture } from '../helpers';

const result = (overrides: Partial<CandidateResult> = {}): CandidateResult => ({
  candidate: 'bob',
  submission: 'bob.zip',
  pack: { id: 'acme', version: '1.0.0' },
  late: true,
  tampered: false,
  flags: ['late: slo finished 75 min after the deadline'],
  labs: [{ id: 'acme/slo', title: 'SLO', report: reportFixture({ points: 60, maxPoints: 100 }), hints: [] }],
  points: 60,
  maxPoints: 100,
  minutesPastDeadline: 75,
  ...overrides,
});

describe('cohort rules', () => {
  it('takes name, email and extension from the roster', () => {
    const r = result();
    identify(r, parseRoster('submission,name,email,extension_minutes\nbob,Bob Stone,bob@x.org,20'));
    expect(r).toMatchObject({ name: 'Bob Stone', email: 'bob@x.org', extensionMinutes: 20 });
  });

  it('adds manual points, then applies the late policy over the total', () => {
    const r = result({ extensionMinutes: 10 });
    const manual = new Map([['bob', [{ lab: 'acme/slo', task: 1, item: 'style', maxPoints: 20, points: 15, comment: 'tidy' }]]]);
    finalize(r, { latePolicy: { version: 1, graceMinutes: 5, penaltyPercentPerHour: 10 }, manual });
    // 75 - 10 extension - 5 grace = 60 minutes: one started hour, 10% of 120 possible.
    expect(r).toMatchObject({
      manualPoints: 15,
      manualMaxPoints: 20,
      rawPoints: 75,
      latePenaltyPoints: 12,
      finalPoints: 63,
      latePolicy: 'grace 5 min; -10% per started hour',
    });
  });

  it('gives a submission that was not graded nothing, manual grades included', () => {
    const r = result({ notGraded: 'unreadable', points: 0, labs: [], minutesPastDeadline: 0 });
    finalize(r, { manual: new Map([['bob', [{ lab: 'acme/slo', item: '', maxPoints: 5, points: 5, comment: '' }]]]) });
    expect(r).toMatchObject({ rawPoints: 0, finalPoints: 0, manualPoints: 0, latePolicy: 'none' });
    expect(r.manual).toBeUndefined();
  });

  it('puts flags and facts in JUnit properties, on graded suites and on the error of a submission not graded', () => {
    const r = result({ name: 'Bob <Stone>' });
    finalize(r, {});
    const props = junitProperties(r);
    expect(props).toContainEqual(['flag', 'late: slo finished 75 min after the deadline']);
    expect(props).toContainEqual(['late', 'yes']);
    expect(props).toContainEqual(['graded', 'yes']);
    const graded = junitSuites('bob', [reportFixture()], props);
    expect(graded).toContain('<property name="name" value="Bob &lt;Stone&gt;"/>');
    const error = junitNotGraded('eve', 'no manifest.json: not an exported submission', [['graded', 'no']]);
    expect(error).toMatch(/<testsuites name="eve" tests="1" failures="0" errors="1"/);
    expect(error).toContain('<error message="not graded: no manifest.json: not an exported submission">');
    expect(error).toContain('<property name="graded" value="no"/>');
  });

  it('warns of manual grades for someone or some lab the batch does not hold', () => {
    const manual = new Map([
      ['bob', [{ lab: 'acme/other', item: '', maxPoints: 1, points: 1, comment: '' }]],
      ['zed', [{ lab: 'acme/slo', item: '', maxPoints: 1, points: 1, comment: '' }]],
    ]);
    expect(unknownManualRows(manual, [result()])).toEqual([
      'manual grades for bob name lab "acme/other", which was not graded for them',
      'manual grades for "zed", who is not in this batch',
    ]);
  });

  it('exports graded candidates only to the LMS, with the late penalty and comments as feedback but no flags', () => {
    const r = result({ name: 'Bob Stone', email: 'bob@x.org', manual: [{ lab: 'acme/slo', task: 2, item: '', maxPoints: 0, points: 0, comment: 'see me' }] });
    finalize(r, { latePolicy: { version: 1, capPercent: 50 } });
    const csv = lmsExport('moodle', 'Take-home', [r, result({ candidate: 'eve', notGraded: 'x' })]);
    expect(csv).toBe(
      'First name,Last name,Email address,Take-home,Feedback: Take-home\nBob,Stone,bob@x.org,50,late penalty -10 points (late work capped at 50%) | task 2: see me\n',
    );
  });
});
