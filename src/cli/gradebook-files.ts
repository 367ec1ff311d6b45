/**
 * The batch-wide files of a take-home output folder, written the same way by a grading run and by
 * `gradebook merge`, so merged shards and one unsharded run give the same bytes: gradebook.json, the one
 * JUnit file of the whole batch (junit.xml) and each shard's shard.json.
 */
import type { ShardRecord } from '../core/take-home/shard';
import type { CandidateResult } from './take-home-result';

/** A gradebook.json row: the result without the full reports (they are in reports/). */
export function candidateSummary(result: CandidateResult) {
  const { labs, ...rest } = result;
  return {
    ...rest,
    labs: labs.map((l) => ({
      id: l.id,
      status: l.report.status,
      points: l.report.points,
      maxPoints: l.report.maxPoints,
      tasks: l.report.tasks.map((t) => ({ id: t.id, points: t.points, maxPoints: t.maxPoints })),
      message: l.report.message,
      hintsTaken: l.hints.length,
      ...(l.asSubmitted ? { asSubmitted: l.asSubmitted } : {}),
    })),
  };
}

export type CandidateSummary = ReturnType<typeof candidateSummary>;

export interface Gradebook {
  pack: { id: string; version: string };
  /** The mlops-labs version that graded the batch. */
  grader: string;
  latePolicy: unknown;
  gradedAt: string;
  candidates: CandidateSummary[];
}

export const gradebookJson = (book: Gradebook): string =>
  `${JSON.stringify({ pack: book.pack, grader: book.grader, latePolicy: book.latePolicy, gradedAt: book.gradedAt, candidates: book.candidates }, null, 2)}\n`;

export const shardJson = (record: ShardRecord): string => `${JSON.stringify(record, null, 2)}\n`;

/**
 * One JUnit document for the whole batch: every candidate's testsuites (from junit/<candidate>.xml, in the
 * order given) under one <testsuites>, with the totals summed. CI systems that take one file read this one.
 */
export function combinedJunit(documents: readonly string[]): string {
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let time = 0;
  const suites: string[] = [];
  for (const doc of documents) {
    const open = /<testsuites\b[^>]*>/.exec(doc);
    const close = doc.lastIndexOf('</testsuites>');
    if (!open || close < 0) continue;
    const attr = (name: string) => Number(new RegExp(`\\s${name}="([0-9.]+)"`).exec(open[0])?.[1] ?? 0);
    tests += attr('tests');
    failures += attr('failures');
    errors += attr('errors');
    time += attr('time');
    const body = doc.slice(open.index + open[0].length, close).replace(/^\n|\n$/g, '');
    if (body) suites.push(body);
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mlops-labs take-home" tests="${tests}" failures="${failures}" errors="${errors}" time="${time.toFixed(3)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
