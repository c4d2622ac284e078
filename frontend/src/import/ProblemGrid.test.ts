import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { locale } from '$lib/i18n';
import { createFakeApi, problemRows } from '../test/fakeApi';
import { renderPage } from '../test/render';
import { PAGE_SIZE, ProblemsState } from './problems.svelte';
import ProblemGrid from './ProblemGrid.svelte';

beforeEach(() => locale.set('en'));

const header300 = Array.from({ length: 300 }, (_, i) => `col${i}`);

async function grid(rows: number, header?: string[]) {
  const api = createFakeApi({ GetProblems: problemRows(rows, header) });
  const problems = new ProblemsState(api);
  await problems.open('v1');
  const r = await renderPage(ProblemGrid, api, { props: { problems, label: 'Rows with problems', height: 420 } });
  return { ...r, problems };
}

describe('ProblemGrid', () => {
  it('keeps a bounded number of rows and cells in the DOM for 100,000 failing rows of 300 columns', async () => {
    const { api } = await grid(100_000, header300);
    const g = screen.getByRole('grid', { name: 'Rows with problems' });
    expect(g).toHaveAttribute('aria-rowcount', '100001');
    await waitFor(() => expect(within(g).getByText('col0-0-0')).toBeInTheDocument());
    const rows = within(g).getAllByRole('row');
    expect(rows.length).toBeLessThan(40);
    expect(within(g).getAllByRole('gridcell').length).toBeLessThan(40 * 12);
    expect(api.GetProblems).toHaveBeenCalledTimes(1);
  });

  it('fetches the page of the rows scrolled to, once, and marks bad cells with their message', async () => {
    const { api } = await grid(100_000);
    const g = screen.getByRole('grid');
    g.scrollTop = 50_000 * 28;
    await fireEvent.scroll(g);
    await waitFor(() => expect(within(g).getByText('行业-50000-1')).toBeInTheDocument());
    const offsets = api.GetProblems.mock.calls.map((c) => c[1].offset);
    expect(offsets).toContain(Math.floor((50_000 - 6) / PAGE_SIZE) * PAGE_SIZE);
    expect(offsets).not.toContain(0 + PAGE_SIZE * 100);
    const bad = within(g).getByText('行业-50000-1');
    expect(bad).toHaveClass('bad');
    expect(bad).toHaveAttribute('title', 'row 50000: not an option');
    expect(within(g).getByText('客户名称-50000-0')).not.toHaveClass('bad');
    expect(within(g).getAllByRole('row').length).toBeLessThan(40);
    // Scrolling back within cached pages asks nothing more.
    const n = api.GetProblems.mock.calls.length;
    g.scrollTop = 50_010 * 28;
    await fireEvent.scroll(g);
    expect(api.GetProblems.mock.calls.length).toBe(n);
  });

  it('tells the problem of a cell in Chinese by its code, not by the English server message', async () => {
    locale.set('zh');
    await grid(3);
    const g = screen.getByRole('grid');
    const bad = await waitFor(() => within(g).getByText('行业-1-1'));
    expect(bad).toHaveAttribute('title', '不是有效选项：“v1”');
    expect(bad.getAttribute('title')).not.toMatch(/not an option/);
  });

  it('virtualises columns: scrolling right shows later columns', async () => {
    await grid(10, header300);
    const g = screen.getByRole('grid');
    await waitFor(() => expect(within(g).getByText('col0-0-0')).toBeInTheDocument());
    g.scrollLeft = 96 + 200 * 160;
    await fireEvent.scroll(g);
    expect(within(g).getByText('col200-0-200')).toBeInTheDocument();
    expect(within(g).queryByText('col0-0-0')).toBeNull();
  });
});

describe('ProblemsState', () => {
  it('polls while the job runs, then stops', async () => {
    vi.useFakeTimers();
    try {
      let done = false;
      const api = createFakeApi({
        GetProblems: async () => ({ header: ['a'], total: done ? 5 : 2, rows: [], byCode: {}, byColumn: {}, done }),
      });
      const p = new ProblemsState(api, 500);
      await p.open('v1');
      expect(p.total).toBe(2);
      await vi.advanceTimersByTimeAsync(500);
      expect(api.GetProblems).toHaveBeenCalledTimes(2);
      done = true;
      await vi.advanceTimersByTimeAsync(500);
      expect(p.done).toBe(true);
      expect(p.total).toBe(5);
      await vi.advanceTimersByTimeAsync(2000);
      expect(api.GetProblems).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('filters by code and column', async () => {
    const api = createFakeApi({ GetProblems: problemRows(50) });
    const p = new ProblemsState(api);
    await p.open('v1');
    await p.filter('required', '');
    expect(api.GetProblems).toHaveBeenLastCalledWith('v1', { offset: 0, limit: PAGE_SIZE, code: 'required', column: '' });
    expect(p.total).toBe(0);
    expect(p.allTotal).toBe(50);
  });
});

describe('ProblemGrid of a master–detail import', () => {
  it('shows a detail file row under its own header and names its file', async () => {
    const header = ['Key', 'Opportunity Name', 'Account'];
    const api = createFakeApi({
      GetProblems: async () => ({
        header,
        total: 2,
        rows: [
          { line: 3, file: 'opps.csv', cells: ['K2', 'Deal', 'Nowhere'], problems: [{ column: 'Account', field: 'account_id', code: 'no_match', message: 'no account', value: 'Nowhere' }] },
          { line: 4, file: 'lines.csv', cells: ['K1', 'SKU-NOPE', '1'], problems: [{ column: 'Product', field: 'product_id', code: 'no_match', message: 'no product', value: 'SKU-NOPE' }] },
        ],
        byCode: { no_match: 2 },
        byColumn: {},
        done: true,
      }),
    });
    const problems = new ProblemsState(api);
    await problems.open('v1');
    const headerOf = (f: string) => (f === 'lines.csv' ? ['Opportunity Key', 'Product', 'Quantity'] : header);
    await renderPage(ProblemGrid, api, { props: { problems, label: 'Rows with problems', height: 420, headerOf } });
    const g = screen.getByRole('grid', { name: 'Rows with problems' });
    const rows = await waitFor(() => {
      const r = within(g).getAllByRole('row');
      expect(r.length).toBe(3);
      return r;
    });
    // The master row reads as the grid's columns; the line row says its own.
    expect(within(rows[1]).queryByText('opps.csv')).not.toBeInTheDocument();
    expect(within(rows[2]).getByText('lines.csv')).toBeInTheDocument();
    const bad = within(rows[2]).getAllByRole('gridcell')[1];
    expect(bad).toHaveTextContent('Product:SKU-NOPE');
    expect(bad).toHaveClass('bad');
  });
});
