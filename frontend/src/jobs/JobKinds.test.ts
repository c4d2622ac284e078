import { screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { formatTime, locale } from '$lib/i18n';
import type { JobDetail, JobSummary } from '$lib/api';
import { createFakeApi, job } from '../test/fakeApi';
import { renderPage } from '../test/render';
import JobsPage from './JobsPage.svelte';
import { chartPoints } from './jobs.svelte';

beforeEach(() => locale.set('en'));

// A delete of 40 opportunities (35 gone, 5 blocked, 12 lines with them) and
// the import job that restored its backup.
const del = job({
  jobId: 'd1', kind: 'delete', object: 'Opportunity', files: [], total: 40, succeeded: 35, failed: 5, successRate: 35 / 40,
  rowsPerSec: 500, backup: '/data/reports/d1/backup.zip', cascaded: 12, hasErrors: false, createdAt: '2026-01-03T09:00:00Z',
});
const restore = job({
  jobId: 'r1', kind: 'import', object: 'Opportunity', files: ['Opportunity.csv'], total: 35, succeeded: 35, failed: 0, successRate: 1,
  rowsPerSec: 800, restoreOf: 'd1', hasErrors: false, createdAt: '2026-01-03T10:00:00Z',
});
const page = (j: JobSummary): JobDetail => ({ ...j, events: [{ at: '2026-01-03T15:04:05Z', level: 'info', message: 'batch 1 committed' }], errorReport: '', errorReports: [] });

describe('restore and delete jobs read as what they are', () => {
  it('labels a restore on the dashboard and shows no import rates for deletes and restores', async () => {
    const user = userEvent.setup();
    const { ctx } = await renderPage(JobsPage, createFakeApi({ ListJobs: async () => [restore, del, job({ jobId: 'i1', createdAt: '2026-01-01T10:00:00Z' })] }), { page: 'jobs' });
    const rows = within(await screen.findByRole('table', { name: 'Jobs' })).getAllByRole('row').slice(1);
    expect(within(rows[0]).getByText('Restore')).toBeInTheDocument();
    expect(within(rows[0]).queryByText('Import')).toBeNull();
    expect(within(rows[0]).queryByText('Opportunity.csv')).toBeNull();
    expect(within(rows[1]).getByText('+12 details')).toBeInTheDocument();
    for (const r of rows.slice(0, 2)) {
      const cells = within(r).getAllByRole('cell');
      // Success rate and Throughput: none for a delete or a restore.
      expect(cells[8]).toHaveTextContent('—');
      expect(cells[10]).toHaveTextContent('—');
    }
    expect(within(rows[2]).getAllByRole('cell')[8]).toHaveTextContent('98.3%');
    await user.click(within(rows[0]).getByRole('link', { name: 'from backup of job d1' }));
    expect(ctx.nav.sub).toBe('d1');
  });

  it('says so on the job pages, in English and Chinese, with a delete’s own figures', async () => {
    const api = createFakeApi({ GetJob: async (id) => page(id === 'r1' ? restore : del), GetDeleteBackup: async (id) => ({ jobId: id, location: del.backup, restorable: true }) });
    const { ctx } = await renderPage(JobsPage, api, { page: 'jobs', sub: 'r1' });
    const what = await screen.findByTestId('job-what');
    expect(what).toHaveTextContent(/^Restore · Opportunity · sandbox · from backup of job d1$/);
    expect(within(what).getByRole('link')).toHaveAttribute('href', '#/jobs/d1');
    expect(screen.getByText('Restored')).toBeInTheDocument();
    expect(screen.queryByText('Success rate')).toBeNull();
    expect(screen.queryByText('Throughput')).toBeNull();
    locale.set('zh');
    await vi.waitFor(() => expect(screen.getByTestId('job-what')).toHaveTextContent(/^恢复 · 商机 · sandbox · 来自任务 d1 的备份$/));
    locale.set('en');

    ctx.nav.go('jobs', 'd1');
    await vi.waitFor(() => expect(screen.getByTestId('job-what')).toHaveTextContent(/^Delete · Opportunity · sandbox$/));
    const stats = (label: string) => screen.getByText(label, { selector: 'dt' }).nextElementSibling;
    expect(stats('Matched')).toHaveTextContent('40');
    expect(stats('Deleted')).toHaveTextContent('35');
    expect(stats('Details deleted with them')).toHaveTextContent('12');
    expect(stats('Not deleted')).toHaveTextContent('5');
    expect(stats('Backup')).toHaveTextContent('backup.zip');
    expect(screen.queryByText('Success rate')).toBeNull();
    expect(screen.queryByText('Throughput')).toBeNull();
  });

  it('says — for the details of a delete that is not done (the rollback undid its batch)', async () => {
    const stopped = { ...del, status: 'interrupted', succeeded: 0, failed: 0, cascaded: undefined, resumable: true };
    await renderPage(JobsPage, createFakeApi({ GetJob: async () => page(stopped) }), { page: 'jobs', sub: 'd1' });
    await screen.findByTestId('job-what');
    const stats = (label: string) => screen.getByText(label, { selector: 'dt' }).nextElementSibling;
    expect(stats('Details deleted with them')).toHaveTextContent(/^—$/);
    expect(stats('Deleted')).toHaveTextContent('0');
  });

  it('shows event times with the one 24-hour formatter', async () => {
    await renderPage(JobsPage, createFakeApi({ GetJob: async () => page(job()) }), { page: 'jobs', sub: 'j1' });
    const cell = await screen.findByText(formatTime('2026-01-03T15:04:05Z'));
    expect(cell).toHaveTextContent(/^\d\d:\d\d:\d\d$/);
    expect(cell.textContent).not.toMatch(/AM|PM/);
  });

  it('leaves deletes and restores out of the throughput chart', () => {
    expect(chartPoints([restore, del, job({ jobId: 'i1' })]).map((p) => p.jobId)).toEqual(['i1']);
  });
});
