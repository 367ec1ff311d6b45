import { describe, expect, it } from 'vitest';
import { manualTemplate, manualTotals, parseManualGrades } from '../../../../src/core/take-home/manual-grades';

describe('manual grades', () => {
  it('writes a row per task and one per lab for an overall comment', () => {
    const text = manualTemplate([
      {
        candidate: 'ada',
        name: 'Ada Lovelace',
        labs: [
          {
            id: 'acme/slo',
            tasks: [
              { id: 1, title: 'p' },
              { id: 2, title: 'q' },
            ],
          },
        ],
      },
    ]);
    expect(text).toBe(
      'candidate,name,lab,task,item,max_points,points,comment\nada,Ada Lovelace,acme/slo,1,,,,\nada,Ada Lovelace,acme/slo,2,,,,\nada,Ada Lovelace,acme/slo,,overall,,,\n',
    );
    expect(parseManualGrades(text)).toEqual({ byCandidate: new Map(), problems: [] });
  });

  it('reads filled rows back, skips blanks, and totals them', () => {
    const { byCandidate, problems } = parseManualGrades(
      [
        'candidate,name,lab,task,item,max_points,points,comment',
        'ada,Ada,acme/slo,1,readability,5,4,"Clear names, one long function"',
        'ada,Ada,acme/slo,2,,,,',
        'ada,Ada,acme/slo,,overall,,,Good work',
        'alan,Alan,acme/slo,2,tests,10,7.5,',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(byCandidate.get('ada')).toEqual([
      { lab: 'acme/slo', task: 1, item: 'readability', maxPoints: 5, points: 4, comment: 'Clear names, one long function' },
      { lab: 'acme/slo', item: 'overall', maxPoints: 0, points: 0, comment: 'Good work' },
    ]);
    expect(manualTotals(byCandidate.get('ada') ?? [])).toEqual({ points: 4, maxPoints: 5 });
    expect(manualTotals(byCandidate.get('alan') ?? [])).toEqual({ points: 7.5, maxPoints: 10 });
  });

  it('refuses points over the maximum, negative or not numbers, and a sheet without its columns', () => {
    const { byCandidate, problems } = parseManualGrades('candidate,lab,task,max_points,points,comment\nada,x,1,5,6,\nada,x,1,5,-1,\nada,x,one,5,1,\n,x,1,5,1,');
    expect(byCandidate.size).toBe(0);
    expect(problems).toEqual([
      'line 2: points "6" must be a number from 0 to max_points ("5")',
      'line 3: points "-1" must be a number from 0 to max_points ("5")',
      'line 4: task "one" is not a task number',
      'line 5: no candidate or lab',
    ]);
    expect(parseManualGrades('candidate,points\n').problems[0]).toMatch(/need a lab column/);
  });
});
