import { describe, expect, it } from 'vitest';
import { formatReport, gradebookCsv } from '../../../src/cli/formats';
import type { GradeReport } from '../../../src/grader/types';

const report: GradeReport = {
  version: 3,
  status: 'fail',
  message: null,
  tests: [{ name: 'a > <b> & "c"', status: 'fail', message: 'expected 1\u0007 got 2 <oops>', output: null, task_id: 1, duration_ms: 3 }],
  lab: { id: 'demo', version: '1.0.0' },
  suite: 'hidden',
  mode: 'practice',
  points: 0,
  maxPoints: 5,
  tasks: [{ id: 1, title: 'One', points: 0, maxPoints: 5, passed: 0, total: 1 }],
  passed: false,
  durationMs: 20,
  protections: {
    permissionModel: 'enforced',
    nodeVersion: 'v20',
    timeoutMs: 1,
    heapMb: 1,
    rssWatchdogMb: 1,
    outputCapBytes: 1,
    addons: false,
    childProcesses: false,
  },
  output: '',
  tampering: [],
};

describe('report formats', () => {
  it('escapes candidate-controlled text in JUnit XML and drops characters XML cannot hold', () => {
    const xml = formatReport(report, 'junit');
    expect(xml).toContain('name="a &gt; &lt;b&gt; &amp; &quot;c&quot;"');
    expect(xml).toContain('expected 1 got 2 &lt;oops&gt;');
    expect(xml).not.toContain('\u0007');
  });

  it('quotes CSV cells with commas or quotes, and defuses spreadsheet formulas', () => {
    const csv = gradebookCsv(
      [
        { submission: '=HYPERLINK("x")', report: { ...report, message: 'bad, "quoted"' } },
        { submission: 'minus', report: { ...report, points: -0 } },
      ],
      [{ id: 1, title: 'One' }],
    );
    const lines = csv.trim().split('\n');
    expect(lines[1]).toBe(`"'=HYPERLINK(""x"")",fail,0,5,0,20,"bad, ""quoted"""`);
    expect(lines[2]).toBe('minus,fail,0,5,0,20,');
  });
});
