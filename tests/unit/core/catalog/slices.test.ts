import { describe, expect, it } from 'vitest';
import { mapInSlices } from '../../../../src/core/catalog/slices';

/** Holds the thread for `ms`, as parsing a large file would. */
const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('mapInSlices', () => {
  it('keeps the order and lets other events run while a long map is under way', async () => {
    const ran: string[] = [];
    setImmediate(() => ran.push('other event'));
    const results = await mapInSlices([1, 2, 3, 4, 5, 6, 7, 8], (n) => {
      busy(3);
      ran.push(`item ${n}`);
      return n * 10;
    });
    expect(results).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
    // 24 ms of work in slices of about 8 ms: the other event ran before the last item, not after all of them.
    expect(ran.indexOf('other event')).toBeGreaterThan(0);
    expect(ran.indexOf('other event')).toBeLessThan(ran.length - 1);
  });

  it('does everything at once when the work is short', async () => {
    const ran: string[] = [];
    setImmediate(() => ran.push('other event'));
    await mapInSlices([1, 2, 3], (n) => ran.push(`item ${n}`));
    expect(ran).toEqual(['item 1', 'item 2', 'item 3']);
  });
});
