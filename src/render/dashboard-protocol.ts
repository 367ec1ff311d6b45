/**
 * The progress dashboard's messages, validated like the question and report panels' (protocol.ts): the page says
 * `ready`; the host answers with the data, and sends it again whenever progress or a lab changes. The page checks
 * the data's shape before drawing it and ignores anything else.
 */
import type { DashboardData } from '../core/progress/dashboard-data';
import type { ReadyMessage } from './protocol';

export type DashboardMessage = ReadyMessage;
export type DashboardHostMessage = { type: 'data'; data: DashboardData };

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function parseDashboardMessage(value: unknown): DashboardMessage | undefined {
  return record(value)?.['type'] === 'ready' ? { type: 'ready' } : undefined;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const count = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
const text = (v: unknown): boolean => typeof v === 'string' && v.length <= 1000;
const listOf = (v: unknown, each: (item: Record<string, unknown>) => boolean, max = 1000): boolean =>
  Array.isArray(v) &&
  v.length <= max &&
  v.every((item) => {
    const r = record(item);
    return r !== undefined && each(r);
  });

/** Whether `value` has the shape of DashboardData (every list, count and day the page reads). */
export function isDashboardData(value: unknown): value is DashboardData {
  const d = record(value);
  const calendar = record(d?.['calendar']);
  return (
    d !== undefined &&
    text(d['generatedAt']) &&
    text(d['timeZone']) &&
    listOf(d['due'], (r) => DAY.test(String(r['day'])) && count(r['count'])) &&
    listOf(
      d['recall'],
      (r) => DAY.test(String(r['week'])) && count(r['reviews']) && count(r['recalled']) && (r['rate'] === null || typeof r['rate'] === 'number'),
    ) &&
    listOf(d['sections'], (r) => text(r['section']) && text(r['title']) && count(r['new']) && count(r['learning']) && count(r['mastered'])) &&
    calendar !== undefined &&
    count(calendar['streak']) &&
    count(calendar['practisedDays']) &&
    listOf(calendar['days'], (r) => DAY.test(String(r['day'])) && count(r['reviews'])) &&
    listOf(
      d['labs'],
      (r) => text(r['labId']) && text(r['title']) && ['not-started', 'in-progress', 'passed'].includes(String(r['status'])) && count(r['attempts']),
    ) &&
    listOf(
      d['interviews'],
      (r) => text(r['startedAt']) && count(r['minutes']) && count(r['questions']) && count(r['keyPointsCovered']) && count(r['keyPointsTotal']),
    )
  );
}

export function parseDashboardHostMessage(value: unknown): DashboardHostMessage | undefined {
  const m = record(value);
  return m?.['type'] === 'data' && isDashboardData(m['data']) ? { type: 'data', data: m['data'] } : undefined;
}
