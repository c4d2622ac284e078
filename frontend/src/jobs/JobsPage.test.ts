import { screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { locale } from '$lib/i18n';
import { createFakeApi } from '../test/fakeApi';
import { renderPage } from '../test/render';
import JobsPage from './JobsPage.svelte';
import { chartPoints } from './jobs.svelte';

beforeEach(() => locale.set('en'));

describe('JobsPage', () => {
  it('lists jobs newest first with counts, rate and speed, and a chart', async () => {
    await renderPage(JobsPage, createFakeApi(), { page: 'jobs' });
    const table = await screen.findByRole('table', { name: 'Jobs' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('Failed')).toBeInTheDocument();
    expect(within(rows[0]).getByText('42%')).toBeInTheDocument();
    expect(within(rows[1]).getByText('Done')).toBeInTheDocument();
    expect(within(rows[1]).getByText('98%')).toBeInTheDocument();
    expect(within(rows[1]).getByText('30 rows/s')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /last 2 jobs/ })).toBeInTheDocument();
  });

  it('filters by kind and status', async () => {
    const user = userEvent.setup();
    const { api } = await renderPage(JobsPage, createFakeApi(), { page: 'jobs' });
    await screen.findByRole('table', { name: 'Jobs' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'failed');
    expect(api.ListJobs).toHaveBeenLastCalledWith({ kind: '', status: 'failed', limit: 500 });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Kind' }), 'import');
    expect(api.ListJobs).toHaveBeenLastCalledWith({ kind: 'import', status: 'failed', limit: 500 });
  });

  it('says so when there are no jobs', async () => {
    await renderPage(JobsPage, createFakeApi({ ListJobs: async () => [] }), { page: 'jobs' });
    expect(await screen.findByText(/No jobs yet/)).toBeInTheDocument();
  });

  it('shows a job page with its events, report download and restarts', async () => {
    const user = userEvent.setup();
    const { api, ctx } = await renderPage(JobsPage, createFakeApi(), { page: 'jobs', sub: 'j1' });
    expect(await screen.findByRole('heading', { name: /Job j1/ })).toBeInTheDocument();
    expect(screen.getByText('batch 1 committed')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Download error report' }));
    expect(api.saveErrorReport).toHaveBeenCalledWith('j1');
    await user.click(screen.getByRole('button', { name: 'Restart failed rows' }));
    expect(api.RestartJob).toHaveBeenCalledWith('j1', true);
    expect(ctx.nav.sub).toBe('j1-restart');
  });

  it('charts only finished real imports, oldest first', () => {
    const list = [
      { jobId: 'b', finishedAt: 'x', validateOnly: false, rehearse: false, total: 10, rowsPerSec: 5, successRate: 1, object: 'A', kind: 'import' },
      { jobId: 'v', finishedAt: 'x', validateOnly: true, rehearse: false, total: 10, rowsPerSec: 5, successRate: 1, object: 'A', kind: 'import' },
      { jobId: 'a', finishedAt: 'x', validateOnly: false, rehearse: false, total: 10, rowsPerSec: 9, successRate: 0.5, object: 'A', kind: 'import' },
    ];
    expect(chartPoints(list as never).map((p) => p.jobId)).toEqual(['a', 'b']);
  });
});
