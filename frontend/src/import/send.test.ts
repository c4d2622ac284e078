import { describe, expect, it } from 'vitest';
import { sendFigures } from './rules';

const ev = (o: Partial<Parameters<typeof sendFigures>[0] & object>) => ({
  succeeded: 0, failed: 0, total: 0, bytesRead: 0, bytesTotal: 0, rowsPerSec: 0, ...o,
});

describe('sendFigures', () => {
  it('counts done as succeeded + failed against the preview count', () => {
    // 61,000 rows read, 58,500 loaded (incl. 500 failed) of a file of 80,000.
    const f = sendFigures(ev({ succeeded: 58_000, failed: 500, total: 61_000, bytesRead: 7_600, bytesTotal: 10_000, rowsPerSec: 1000 }), 80_000);
    expect(f).toMatchObject({ done: 58_500, total: 80_000, about: false, pct: 73 });
    expect(f.eta).toBeCloseTo(21.5, 5); // 21,500 rows left at 1,000 rows/s
  });

  it('estimates the total from the bytes read when the count is unknown, and says "about"', () => {
    const f = sendFigures(ev({ succeeded: 29_000, failed: 1_000, total: 40_000, bytesRead: 5_000, bytesTotal: 10_000, rowsPerSec: 1000 }), 0);
    expect(f).toMatchObject({ done: 30_000, total: 80_000, about: true, pct: 37 });
    expect(f.eta).toBeCloseTo(50, 5);
  });

  it('never shows a time left of nothing while rows are still loading', () => {
    // All bytes read, a quarter of the rows still in flight.
    const f = sendFigures(ev({ succeeded: 60_000, total: 80_000, bytesRead: 10_000, bytesTotal: 10_000, rowsPerSec: 1000 }), 0);
    expect(f.total).toBe(80_000);
    expect(f.eta).toBeCloseTo(20, 5);
  });

  it('knows nothing before the first event', () => {
    expect(sendFigures(null, 0)).toMatchObject({ done: 0, about: true, pct: null, eta: null });
  });
});
