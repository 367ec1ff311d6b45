import { describe, expect, it } from 'vitest';
import { lmsCsv, type LmsRow } from '../../../../src/core/take-home/lms';

const ROWS: LmsRow[] = [
  { name: 'Ada King Lovelace', email: 'ada@example.org', candidate: 'ada', finalPoints: 90, maxPoints: 100, feedback: 'late: -10 points' },
  { name: 'Plato', candidate: 'plato', finalPoints: 0, maxPoints: 100, feedback: '' },
];

describe('LMS export', () => {
  it('writes the Canvas gradebook layout with a Points Possible row', () => {
    expect(lmsCsv('canvas', 'Acme take-home', ROWS)).toBe(
      [
        'Student,ID,SIS User ID,SIS Login ID,Section,Acme take-home',
        'Points Possible,,,,,100',
        'Ada King Lovelace,,,ada@example.org,,90',
        'Plato,,,,,0',
        '',
      ].join('\n'),
    );
  });

  it('writes the Moodle layout: names apart, email to match on, grade and feedback', () => {
    expect(lmsCsv('moodle', 'Acme take-home', ROWS)).toBe(
      [
        'First name,Last name,Email address,Acme take-home,Feedback: Acme take-home',
        'Ada,King Lovelace,ada@example.org,90,late: -10 points',
        'Plato,,,0,',
        '',
      ].join('\n'),
    );
  });
});
