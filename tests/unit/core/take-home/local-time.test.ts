import { describe, expect, it } from 'vitest';
import { formatLocalTime } from '../../../../src/core/take-home/local-time';

describe('formatLocalTime', () => {
  it('says UTC when no offset is known, and shows the local time with its offset when one is', () => {
    expect(formatLocalTime('2026-11-27T12:05:00.000Z')).toBe('2026-11-27 12:05 UTC');
    expect(formatLocalTime('2026-11-27T12:05:00.000Z', 60)).toBe('2026-11-27 13:05 (UTC+01:00)');
    expect(formatLocalTime('2026-11-27T02:05:00.000Z', -330)).toBe('2026-11-26 20:35 (UTC-05:30)');
    expect(formatLocalTime('2026-11-27T12:05:00.000Z', 0)).toBe('2026-11-27 12:05 (UTC+00:00)');
    expect(formatLocalTime('not a time', 60)).toBe('not a time');
  });
});
