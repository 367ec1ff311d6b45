/**
 * Exports as the extension writes them, for the take-home CLI tests: the same recipe as
 * tests/unit/cli/take-home.test.ts (the template pack, a 60-minute pack clock, exports stamped EXPORTED),
 * with the frozen copy in History that a real time-up leaves, and the manifest fields a candidate may add.
 */
import type { Lab, Pack } from '../../../src/core/catalog/types';
import type { LabRecord } from '../../../src/core/labs/lab-state';
import { buildSubmission } from '../../../src/core/take-home/submission';
import { readTimer, startTimer } from '../../../src/core/take-home/take-home-timer';

export const EXPORTED = new Date('2026-11-27T12:00:00.000Z');
export const MIN = 60_000;

const files = (code: string) => new Map([['slo.ts', Buffer.from(code)]]);

export interface ExportOptions {
  minutesTaken?: number;
  packOverride?: Pack;
  /** Manifest fields the candidate side adds at export (`candidateName`, `utcOffsetMinutes`). */
  manifestExtra?: Record<string, unknown>;
}

/** The manifest is the one file its own checksums leave out, so fields can be added to it after building. */
function withManifest(built: Map<string, Buffer>, extra: Record<string, unknown> | undefined): Map<string, Buffer> {
  if (!extra) return built;
  const manifest = JSON.parse((built.get('manifest.json') as Buffer).toString('utf8')) as Record<string, unknown>;
  built.set('manifest.json', Buffer.from(`${JSON.stringify({ ...manifest, ...extra }, null, 2)}\n`));
  return built;
}

/** An export of `code`, the timer started `minutesTaken` before the export. */
export function exportOf(pack: Pack, lab: Lab, starter: string, code: string, options: ExportOptions = {}): Map<string, Buffer> {
  const started = new Date(EXPORTED.getTime() - (options.minutesTaken ?? 40) * MIN);
  const timer = readTimer(startTimer({ scope: 'pack', minutes: 60 }, started), EXPORTED).record;
  const record: LabRecord = { workspace: '/home/candidate/latency-slo', startedAt: started.toISOString(), hintsTaken: 1, attempts: 2, passed: false, timer };
  const built = buildSubmission(
    options.packOverride ?? pack,
    [{ lab, record, current: files(code), starter: files(starter), attempts: [] }],
    '0.1.0',
    EXPORTED,
  );
  return withManifest(built, options.manifestExtra);
}

/** An export of a lab whose time ran out 30 minutes before: `frozenCode` in src/ and in History's frozen attempt, `later` under late/. */
export function frozenExportOf(
  pack: Pack,
  lab: Lab,
  starter: string,
  frozenCode: string,
  later: string,
  lateEdits = later === frozenCode ? 0 : 1,
): Map<string, Buffer> {
  const started = new Date(EXPORTED.getTime() - 90 * MIN);
  const deadline = started.getTime() + 60 * MIN;
  const timer = readTimer(startTimer({ scope: 'pack', minutes: 60 }, started), new Date(deadline + 400)).record;
  const frozenAt = new Date(deadline + 450).toISOString();
  const record: LabRecord = {
    startedAt: started.toISOString(),
    hintsTaken: 0,
    attempts: 0,
    passed: false,
    timer: { ...timer, frozenAt, frozenAttempt: 'frozen-1' },
    integrity: { largeInsertions: { count: 0, characters: 0 }, openMs: 60 * MIN, lateEdits },
  };
  const attempts = [{ meta: { id: 'frozen-1', kind: 'frozen' as const, at: frozenAt, files: ['slo.ts'] }, files: files(frozenCode) }];
  return buildSubmission(pack, [{ lab, record, current: files(later), frozen: files(frozenCode), starter: files(starter), attempts }], '0.1.0', EXPORTED);
}
