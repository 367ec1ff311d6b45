import { describe, expect, it } from 'vitest';
import { findInRoster, parseRoster } from '../../../../src/core/take-home/roster';

const ROSTER = [
  'submission,github,name,email,extension_minutes',
  'ada-lovelace.zip,,Ada Lovelace,ada@example.org,',
  ',ghopper,Grace Hopper,grace@example.org,30',
  'alan,,"Turing, Alan",,15',
].join('\n');

describe('roster', () => {
  it('reads names, emails and extensions', () => {
    const roster = parseRoster(ROSTER);
    expect(roster.problems).toEqual([]);
    expect(roster.entries).toEqual([
      { submission: 'ada-lovelace', name: 'Ada Lovelace', email: 'ada@example.org', extensionMinutes: 0 },
      { github: 'ghopper', name: 'Grace Hopper', email: 'grace@example.org', extensionMinutes: 30 },
      { submission: 'alan', name: 'Turing, Alan', extensionMinutes: 15 },
    ]);
  });

  it('matches by file name, then by GitHub username alone or as a Classroom repository suffix, ignoring case', () => {
    const roster = parseRoster(ROSTER);
    expect(findInRoster(roster, 'Ada-Lovelace', 'Ada-Lovelace.zip')?.name).toBe('Ada Lovelace');
    expect(findInRoster(roster, 'ghopper', 'ghopper.zip')?.name).toBe('Grace Hopper');
    expect(findInRoster(roster, 'take-home-ghopper', 'take-home-ghopper')?.name).toBe('Grace Hopper');
    expect(findInRoster(roster, 'someone-else', 'someone-else.zip')).toBeUndefined();
    expect(findInRoster(undefined, 'ada-lovelace', 'ada-lovelace.zip')).toBeUndefined();
  });

  it('says what is wrong with a row, and with a roster that has no usable header', () => {
    expect(parseRoster('name,email\nAda,a@x').problems).toEqual(['the roster needs a header row with name and submission or github columns']);
    const bad = parseRoster('submission,name,extension_minutes\nx,X,soon\n,Nobody,\ny,,');
    expect(bad.problems).toEqual(['line 2: extension_minutes "soon" is not a number of minutes', 'line 3: no submission or github', 'line 4: no name']);
    expect(bad.entries).toEqual([{ submission: 'y', name: 'y', extensionMinutes: 0 }]);
  });
});
