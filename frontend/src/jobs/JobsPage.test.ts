import { screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { locale } from '$lib/i18n';
import { createFakeApi, job } from '../test/fakeApi';
import { renderPage } from '../test/render';
import JobsPage from './JobsPage.svelte';
import { chartPoints, ratePercent } from './jobs.svelte';

beforeEach(() => locale.set('en'));

describe('JobsPage', () => {
  it('lists jobs newest first with counts, rate and speed, and a chart', async () => {
    await renderPage(JobsPage, createFakeApi(), { page: 'jobs' });
    const table = await screen.findByRole('table', { name: 'Jobs' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('Failed')).toBeInTheDocument();
    expect(within(rows[0]).getByText('41.7%')).toBeInTheDocument();
    expect(within(rows[1]).getByText('Done')).toBeInTheDocument();
    expect(within(rows[1]).getByText('98.3%')).toBeInTheDocument();
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

  it('filters by connection and hides checks and rehearsals unless asked', async () => {
    const user = userEvent.setup();
    const api = createFakeApi({
      ListJobs: async () => [
        job({ jobId: 'a', connection: 'walk-crm', createdAt: '2026-01-05T10:00:00Z' }),
        job({ jobId: 'v', connection: 'walk-crm', validateOnly: true, createdAt: '2026-01-05T09:00:00Z' }),
        job({ jobId: 'r', connection: 'walk-crm', rehearse: true, createdAt: '2026-01-05T08:00:00Z' }),
        job({ jobId: 'b', connection: 'sandbox', createdAt: '2026-01-04T10:00:00Z' }),
      ],
    });
    await renderPage(JobsPage, api, { page: 'jobs' });
    const table = await screen.findByRole('table', { name: 'Jobs' });
    const rows = () => within(table).getAllByRole('row').slice(1);
    expect(rows()).toHaveLength(2);
    expect(screen.getByText('(2 hidden)')).toBeInTheDocument();
    expect(within(rows()[0]).getByText('walk-crm')).toBeInTheDocument();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Connection' }), 'sandbox');
    expect(rows()).toHaveLength(1);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Connection' }), 'walk-crm');
    await user.click(screen.getByRole('checkbox', { name: 'Show checks and rehearsals' }));
    expect(rows()).toHaveLength(3);
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
    // The event's level in words, not its code.
    expect(within(screen.getByRole('table', { name: 'Events' })).getByText('Info')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Download error report' }));
    expect(api.saveErrorReport).toHaveBeenCalledWith('j1');
    await user.click(screen.getByRole('button', { name: 'Restart failed rows' }));
    expect(api.RestartJob).toHaveBeenCalledWith('j1', true);
    expect(ctx.nav.sub).toBe('j1-restart');
  });

  it('lists every file report of a master–detail job, each downloadable', async () => {
    const user = userEvent.setup();
    const base = createFakeApi();
    const api = createFakeApi({
      GetJob: async (id) => ({
        ...(await base.GetJob(id)),
        errorReports: [
          { object: 'Opportunity', name: 'opps-errors.csv', rows: 1 },
          { object: 'OpportunityLine', name: 'opps-errors.OpportunityLine.csv', rows: 26 },
        ],
      }),
    });
    await renderPage(JobsPage, api, { page: 'jobs', sub: 'j1' });
    await screen.findByRole('heading', { name: /Job j1/ });
    const list = screen.getByRole('list', { name: 'Error reports' });
    expect(within(list).getByRole('button', { name: 'Download the Opportunity errors (1 row)' })).toBeInTheDocument();
    // Objects by their labels, not their API names.
    await user.click(await within(list).findByRole('button', { name: 'Download the Opportunity Line errors (26 rows)' }));
    expect(api.saveErrorReport).toHaveBeenCalledWith('j1', 'OpportunityLine');
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

describe('ratePercent', () => {
  it('never shows 100 % while a row failed, nor 0 % while one succeeded', () => {
    expect(ratePercent(300 / 301)).toBe('99.7%');
    expect(ratePercent(2999 / 3000)).toBe('99.9%');
    expect(ratePercent(99999 / 100000)).toBe('99.9%');
    expect(ratePercent(1)).toBe('100%');
    expect(ratePercent(1 / 100000)).toBe('0.1%');
    expect(ratePercent(0)).toBe('0%');
    expect(ratePercent(0.5)).toBe('50%');
  });
});
