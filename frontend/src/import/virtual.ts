// Windowing for the preview grid: which rows (or columns) of fixed size are
// visible in a scrolled viewport, plus a small overscan on each side.

export interface Range {
  start: number;
  /** Exclusive. */
  end: number;
}

export function visibleRange(scroll: number, viewport: number, size: number, count: number, overscan: number): Range {
  if (count <= 0 || size <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scroll) / size);
  const last = Math.ceil((Math.max(0, scroll) + Math.max(0, viewport)) / size);
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + overscan) };
}
