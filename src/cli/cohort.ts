/**
 * What a cohort adds to grading a take-home (docs/grading.md "Grading a cohort"): who each submission
 * belongs to (the roster), what lateness costs (the late policy), the instructor's manual grades, and the
 * outputs built from them (JUnit properties, the manual grades template, the LMS gradebook).
 */
import { applyLatePolicy, describeLatePolicy, type LatePolicy } from '../core/take-home/late-policy';
import { lmsCsv, type Lms, type LmsRow } from '../core/take-home/lms';
import { manualTemplate, manualTotals, type ManualItem } from '../core/take-home/manual-grades';
import { findInRoster, type Roster } from '../core/take-home/roster';
import type { Lab } from '../core/catalog/types';
import type { CandidateResult } from './take-home-result';

export interface Cohort {
  roster?: Roster;
  latePolicy?: LatePolicy;
  /** Manual grades by candidate id. */
  manual?: ReadonlyMap<string, ManualItem[]>;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Name, email and extension from the roster. */
export function identify(result: CandidateResult, roster: Roster | undefined): void {
  const entry = findInRoster(roster, result.candidate, result.submission);
  if (!entry) return;
  result.name = entry.name;
  if (entry.email) result.email = entry.email;
  if (entry.extensionMinutes) result.extensionMinutes = entry.extensionMinutes;
}

/** Who the gradebook says this is: the roster's name, else the submission's. */
export const displayName = (result: CandidateResult): string => result.name ?? result.candidate;

/** Manual points, then the late policy: raw and final points. A submission not graded scores nothing either way. */
export function finalize(result: CandidateResult, cohort: Cohort): void {
  const manual = result.notGraded ? [] : (cohort.manual?.get(result.candidate) ?? []);
  const totals = manualTotals(manual);
  if (manual.length) result.manual = manual;
  result.manualPoints = totals.points;
  result.manualMaxPoints = totals.maxPoints;
  result.rawPoints = round2(result.points + totals.points);
  const max = result.maxPoints + totals.maxPoints;
  const outcome = applyLatePolicy(cohort.latePolicy, result.rawPoints, max, result.minutesPastDeadline, result.extensionMinutes ?? 0);
  result.finalPoints = outcome.finalPoints;
  result.latePenaltyPoints = outcome.penaltyPoints;
  result.latePolicy = describeLatePolicy(cohort.latePolicy);
}

/** The flags and the cohort's facts as JUnit properties, on every suite of the candidate's file. */
export function junitProperties(result: CandidateResult): [string, string][] {
  const props: [string, string][] = [['candidate', result.candidate]];
  if (result.name) props.push(['name', result.name]);
  if (result.email) props.push(['email', result.email]);
  if (result.typedName) props.push(['typedName', result.typedName]);
  props.push(['graded', result.notGraded ? 'no' : 'yes']);
  props.push(['rawPoints', String(result.rawPoints ?? result.points)], ['finalPoints', String(result.finalPoints ?? result.points)]);
  props.push(['totalMaxPoints', String(result.maxPoints + (result.manualMaxPoints ?? 0))]);
  props.push(['late', result.late ? 'yes' : 'no'], ['tampered', result.tampered ? 'yes' : 'no']);
  if (result.minutesPastDeadline) props.push(['minutesPastDeadline', String(result.minutesPastDeadline)]);
  if (result.extensionMinutes) props.push(['extensionMinutes', String(result.extensionMinutes)]);
  if (result.latePenaltyPoints) props.push(['latePenaltyPoints', String(result.latePenaltyPoints)]);
  if (result.latePolicy) props.push(['latePolicy', result.latePolicy]);
  if (result.asSubmittedPoints !== undefined) props.push(['asSubmittedPoints', String(result.asSubmittedPoints)]);
  for (const flag of result.flags) props.push(['flag', flag]);
  return props;
}

/** The blank manual grades sheet for every graded candidate. */
export function manualTemplateFor(results: readonly CandidateResult[], labs: readonly Lab[]): string {
  return manualTemplate(
    results
      .filter((r) => !r.notGraded)
      .map((r) => ({
        candidate: r.candidate,
        name: displayName(r),
        labs: labs
          .filter((l) => r.labs.some((x) => x.id === l.qualifiedId))
          .map((l) => ({ id: l.qualifiedId, tasks: l.tasks.map((t) => ({ id: t.id, title: t.title })) })),
      })),
  );
}

/** Manual grades naming a candidate or lab the batch does not hold: a typo the instructor must hear about. */
export function unknownManualRows(manual: ReadonlyMap<string, ManualItem[]>, results: readonly CandidateResult[]): string[] {
  const problems: string[] = [];
  for (const [candidate, items] of manual) {
    const result = results.find((r) => r.candidate === candidate);
    if (!result) problems.push(`manual grades for "${candidate}", who is not in this batch`);
    else
      for (const item of items)
        if (!result.labs.some((l) => l.id === item.lab)) problems.push(`manual grades for ${candidate} name lab "${item.lab}", which was not graded for them`);
  }
  return problems;
}

/** The LMS gradebook: graded candidates only; feedback carries the late penalty and the comments, never integrity flags. */
export function lmsExport(lms: Lms, assignment: string, results: readonly CandidateResult[]): string {
  const rows: LmsRow[] = results
    .filter((r) => !r.notGraded)
    .map((r) => ({
      name: displayName(r),
      ...(r.email ? { email: r.email } : {}),
      candidate: r.candidate,
      finalPoints: r.finalPoints ?? r.points,
      maxPoints: r.maxPoints + (r.manualMaxPoints ?? 0),
      feedback: [
        r.latePenaltyPoints ? `late penalty -${r.latePenaltyPoints} points (${r.latePolicy ?? ''})` : '',
        ...(r.manual ?? []).filter((m) => m.comment).map((m) => `${m.item || (m.task !== undefined ? `task ${m.task}` : 'comment')}: ${m.comment}`),
      ]
        .filter(Boolean)
        .join(' | '),
    }));
  return lmsCsv(lms, assignment, rows);
}
