import { describe, expect, it } from 'vitest';
import type { LabRecord } from '../../../src/core/labs/lab-state';
import { TimeUpOffers } from '../../../src/extension/time-up-offers';

const NOW = Date.parse('2026-03-02T12:00:00Z');

function record(timer: { deadline: string; frozenAt?: string }): LabRecord {
  return {
    hintsTaken: 0,
    attempts: 0,
    passed: false,
    workspace: '/labs/acme-latency-slo',
    timer: { startedAt: '2026-03-02T10:00:00Z', highWater: '2026-03-02T10:00:00Z', warned: [], clockSetbacks: 0, ...timer },
  };
}

const pastDeadline = record({ deadline: '2026-03-02T11:00:00Z' });
const frozen = record({ deadline: '2026-03-02T13:00:00Z', frozenAt: '2026-03-02T11:30:00Z' });
const running = record({ deadline: '2026-03-02T13:00:00Z' });

describe('TimeUpOffers', () => {
  it('offers at the start the labs whose time ran out, not the running ones', () => {
    const offers = new TimeUpOffers();
    const unexported = new Map([
      ['acme/latency-slo', pastDeadline],
      ['acme/drift', frozen],
      ['acme/serving', running],
    ]);
    expect(offers.atStart(unexported, NOW)).toEqual(['acme/latency-slo', 'acme/drift']);
  });

  it("leaves out a lab whose clock's time-up modal already offered the export in this window", () => {
    // A lab window opens after the deadline passed while it was closed: the clock freezes and its modal offers the export.
    const offers = new TimeUpOffers();
    offers.clockOffered('acme/latency-slo');
    expect(offers.atStart(new Map([['acme/latency-slo', pastDeadline]]), NOW)).toEqual([]);
    // Other ended labs are still offered, each once.
    const both = new Map([
      ['acme/latency-slo', pastDeadline],
      ['acme/drift', frozen],
    ]);
    expect(offers.atStart(both, NOW)).toEqual(['acme/drift']);
    expect(offers.atStart(both, NOW)).toEqual([]);
  });

  it('offers a lab frozen in another window (no modal here) once', () => {
    const offers = new TimeUpOffers();
    const unexported = new Map([['acme/drift', frozen]]);
    expect(offers.atStart(unexported, NOW)).toEqual(['acme/drift']);
    expect(offers.atStart(unexported, NOW)).toEqual([]);
  });

  it('offers nothing for a record without a clock', () => {
    expect(new TimeUpOffers().atStart(new Map([['acme/x', undefined]]), NOW)).toEqual([]);
  });
});
