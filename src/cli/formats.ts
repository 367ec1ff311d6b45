/** Writes grade reports as JSON, JUnit XML or text, and a batch as a CSV gradebook. */
import type { Lab } from '../core/catalog/types';
import { failureText, isNotRun } from '../grader/report';
import type { GradeReport } from '../grader/types';
import type { CandidateResult } from './take-home-result';

export const FORMATS = ['json', 'junit', 'text'] as const;
export type Format = (typeof FORMATS)[number];

export function formatReport(report: GradeReport, format: Format): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'junit':
      return junit(report);
    case 'text':
      return text(report);
  }
}

const MARK = { pass: '✓', fail: '✗', error: '!' } as const;

function text(report: GradeReport): string {
  const lines = [
    `${report.lab.id} ${report.lab.version} (${report.suite} tests): ${report.status.toUpperCase()}` +
      (report.suite === 'hidden' ? `, ${report.points}/${report.maxPoints} points` : ''),
  ];
  if (report.message) lines.push(`  ${report.message.split('\n').join('\n  ')}`);
  for (const task of report.tasks) {
    const tests = report.tests.filter((t) => t.task_id === task.id);
    if (tests.length === 0) continue;
    lines.push(`  Task ${task.id}: ${task.title}` + (report.suite === 'hidden' ? ` (${task.points}/${task.maxPoints})` : ''));
    const notRun = tests.filter(isNotRun);
    for (const t of tests.filter((x) => !isNotRun(x))) {
      lines.push(`    ${MARK[t.status]} ${t.name}`);
      if (t.status !== 'pass' && t.message) lines.push(...failureText(t).map((l) => `        ${l}`));
    }
    // The reason is in the report's message above: one line per task, not the same words for every test.
    if (notRun.length) lines.push(`    ${MARK.error} ${notRun.length} test${notRun.length === 1 ? '' : 's'} not run (see above)`);
  }
  for (const t of report.tests.filter((t) => t.task_id === undefined)) lines.push(`  (not in any task) ${t.status} ${t.name}`);
  if (report.tampering.length) lines.push(`  Tampering: ${report.tampering.join('; ')}`);
  lines.push(`  ${MARK.pass} passed   ${MARK.fail} failed: a wrong answer   ${MARK.error} error: it threw, timed out or did not run`);
  const p = report.protections;
  lines.push(
    `  ${report.durationMs} ms; permission model ${p.permissionModel}${p.permissionFlag ? ` (${p.permissionFlag})` : ''}, timeout ${p.timeoutMs} ms, heap ${p.heapMb} MB${p.rssWatchdogMb ? `, RSS ${p.rssWatchdogMb} MB` : ''}, Node ${p.nodeVersion}`,
  );
  return `${lines.join('\n')}\n`;
}

// Characters XML 1.0 cannot hold at all.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

// Characters XML cannot hold are dropped; the rest are escaped.
const xml = (value: string) =>
  value.replace(NOT_XML, '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

function junit(report: GradeReport): string {
  return junitSuites(report.lab.id, [report]);
}

const propertyXml = (properties: readonly (readonly [string, string])[]) =>
  properties.map(([name, value]) => `<property name="${xml(name)}" value="${xml(value)}"/>`).join('');

/** One JUnit document with a testsuite per report (a take-home candidate's labs); `properties` go on every suite. */
export function junitSuites(name: string, reports: readonly GradeReport[], properties: readonly (readonly [string, string])[] = []): string {
  const count = (status: string) => reports.reduce((n, r) => n + r.tests.filter((t) => t.status === status).length, 0);
  const tests = reports.reduce((n, r) => n + r.tests.length, 0);
  const ms = reports.reduce((n, r) => n + r.durationMs, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(name)}" tests="${tests}" failures="${count('fail')}" errors="${count('error')}" time="${seconds(ms)}">`,
    ...reports.map((r) => testsuite(r, properties)),
    '</testsuites>',
    '',
  ].join('\n');
}

const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

/**
 * A submission that was not graded (unreadable, made for another pack): one suite with one errored case, so
 * CI reads it as broken, never as an empty suite that passes.
 */
export function junitNotGraded(name: string, reason: string, properties: readonly (readonly [string, string])[] = []): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(name)}" tests="1" failures="0" errors="1" time="0.000">`,
    `  <testsuite name="${xml(`${name} (not graded)`)}" tests="1" failures="0" errors="1" time="0.000">`,
    `    <properties>${propertyXml(properties)}</properties>`,
    `    <testcase classname="submission" name="the submission can be graded" time="0.000">`,
    `      <error message="${xml(`not graded: ${reason}`.split('\n')[0] ?? '')}">${xml(reason)}</error>`,
    '    </testcase>',
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function testsuite(report: GradeReport, extra: readonly (readonly [string, string])[] = []): string {
  const failures = report.tests.filter((t) => t.status === 'fail').length;
  const errors = report.tests.filter((t) => t.status === 'error').length;
  const cases = report.tests.map((t) => {
    const task = report.tasks.find((k) => k.id === t.task_id);
    const classname = xml(`${report.lab.id}.${task ? `task${task.id}` : 'other'}`);
    const open = `    <testcase classname="${classname}" name="${xml(t.name)}" time="${seconds(t.duration_ms)}"`;
    if (t.status === 'pass') return `${open}/>`;
    const tag = t.status === 'fail' ? 'failure' : 'error';
    // A test the run never reached still counts as an error; why is said once, in the suite's system-err.
    if (isNotRun(t)) return `${open}>\n      <error message="not run: see the suite's system-err"/>\n    </testcase>`;
    const body = failureText(t).join('\n');
    return `${open}>\n      <${tag} message="${xml((t.message ?? '').split('\n')[0] ?? '')}">${xml(body)}</${tag}>\n    </testcase>`;
  });
  return [
    `  <testsuite name="${xml(`${report.lab.id} (${report.suite})`)}" tests="${report.tests.length}" failures="${failures}" errors="${errors}" time="${seconds(report.durationMs)}">`,
    `    <properties><property name="points" value="${report.points}"/><property name="maxPoints" value="${report.maxPoints}"/><property name="status" value="${report.status}"/>${propertyXml(extra)}</properties>`,
    ...cases,
    ...(report.message ? [`    <system-err>${xml(report.message)}</system-err>`] : []),
    '  </testsuite>',
  ].join('\n');
}

const csvCell = (value: string | number) => {
  const s = String(value);
  // A leading = + - @ would make a spreadsheet run the cell as a formula.
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function gradebookCsv(rows: readonly { submission: string; report: GradeReport }[], taskTitles: readonly { id: number; title: string }[]): string {
  const header = ['submission', 'status', 'points', 'maxPoints', ...taskTitles.map((t) => `task ${t.id}: ${t.title}`), 'durationMs', 'message'];
  const lines = rows.map(({ submission, report }) => [
    submission,
    report.status,
    report.points,
    report.maxPoints,
    ...taskTitles.map((t) => report.tasks.find((k) => k.id === t.id)?.points ?? 0),
    report.durationMs,
    (report.message ?? '').split('\n')[0] ?? '',
  ]);
  return `${[header, ...lines].map((cells) => cells.map(csvCell).join(',')).join('\n')}\n`;
}

/** The column's text: "87% bob (zero-memory)", or "0%" when a candidate shares nothing particular with anyone. */
const similarityCell = (result: CandidateResult): string =>
  result.similarity
    ? `${Math.round(result.similarity.score * 100)}%${result.similarity.partner ? ` ${result.similarity.partner} (${result.similarity.lab ?? ''})` : ''}`
    : '';

/** The take-home gradebook: one row per candidate, a column per lab, and the flags a reviewer must read. */
export function takeHomeGradebookCsv(results: readonly CandidateResult[], labs: readonly Lab[]): string {
  const withSimilarity = results.some((r) => r.similarity);
  const header = [
    'candidate',
    'points',
    'maxPoints',
    'percent',
    ...labs.map((l) => `${l.id} (${l.tasks.reduce((n, t) => n + t.points, 0)})`),
    'late',
    'tampered',
    'elapsedMinutes',
    'flags',
    'submission',
    'name',
    'email',
    'typedName',
    'manualPoints',
    'manualMaxPoints',
    'rawPoints',
    'latePenalty',
    'finalPoints',
    'finalMaxPoints',
    'latePolicy',
    'minutesPastDeadline',
    'extensionMinutes',
    'asSubmittedPoints',
    'graded',
    // Only with `grade --similarity`, so gradebooks without it keep their columns.
    ...(withSimilarity ? ['similarity'] : []),
  ];
  const lines = results.map((r) => [
    r.candidate,
    r.points,
    r.maxPoints,
    r.maxPoints ? Math.round((r.points / r.maxPoints) * 1000) / 10 : 0,
    ...labs.map((l) => r.labs.find((x) => x.id === l.qualifiedId)?.report.points ?? 0),
    r.late ? 'yes' : 'no',
    r.tampered ? 'yes' : 'no',
    r.elapsedMinutes ?? '',
    r.flags.join('; '),
    r.submission,
    r.name ?? '',
    r.email ?? '',
    r.typedName ?? '',
    r.manualPoints ?? 0,
    r.manualMaxPoints ?? 0,
    r.rawPoints ?? r.points,
    r.latePenaltyPoints ?? 0,
    r.finalPoints ?? r.points,
    r.maxPoints + (r.manualMaxPoints ?? 0),
    r.latePolicy ?? 'none',
    r.minutesPastDeadline ?? 0,
    r.extensionMinutes ?? 0,
    r.asSubmittedPoints ?? '',
    r.notGraded ? 'no' : 'yes',
    ...(withSimilarity ? [similarityCell(r)] : []),
  ]);
  return `${[header, ...lines].map((cells) => cells.map(csvCell).join(',')).join('\n')}\n`;
}
