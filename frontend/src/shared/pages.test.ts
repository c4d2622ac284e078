import { describe, expect, it } from 'vitest';
import { DEFAULT_PAGE, PAGES, hashFor, pageFromHash } from './pages';

describe('pages', () => {
  it('lists the nine pages in navigation order', () => {
    expect(PAGES.map((p) => p.id)).toEqual([
      'import', 'export', 'delete', 'jobs', 'schedules', 'presets', 'connections', 'objects', 'settings',
    ]);
  });
  it.each([
    ['#/objects', 'objects'],
    ['#objects', 'objects'],
    ['#/settings/x', 'settings'],
    ['', DEFAULT_PAGE],
    ['#/nope', DEFAULT_PAGE],
  ])('%j → %s', (hash, page) => {
    expect(pageFromHash(hash)).toBe(page);
  });
  it('round-trips', () => {
    for (const p of PAGES) expect(pageFromHash(hashFor(p.id))).toBe(p.id);
  });
});
