import { describe, expect, it } from 'vitest';
import { visibleRange } from './virtual';

describe('visibleRange', () => {
  it.each([
    ['top', 0, 280, 28, 1000, 2, { start: 0, end: 12 }],
    ['middle', 2800, 280, 28, 1000, 2, { start: 98, end: 112 }],
    ['bottom', 27720, 280, 28, 1000, 2, { start: 988, end: 1000 }],
    ['empty', 0, 280, 28, 0, 2, { start: 0, end: 0 }],
    ['fewer rows than the viewport', 0, 280, 28, 3, 5, { start: 0, end: 3 }],
  ])('%s', (_n, scroll, viewport, size, count, overscan, want) => {
    expect(visibleRange(scroll, viewport, size, count, overscan)).toEqual(want);
  });
});
