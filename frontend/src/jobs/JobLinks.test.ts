import { screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { locale } from '$lib/i18n';
import { createFakeApi, job } from '../test/fakeApi';
import { renderPage } from '../test/render';
import JobsPage from './JobsPage.svelte';

beforeEach(() => locale.set('en'));

const exp = job({
  jobId: 'e1', kind: 'export', files: ['Account.csv'], hasErrors: false, destination: 'nightly (ftp://exporter@files.acme.cn/exports)', destinationKind: 'ftp',
  scheduleId: 's1', scheduleTitle: 'export Account to nightly',
});
const del = job({ jobId: 'd1', kind: 'delete', files: [], backup: '/tmp/b.zip', hasErrors: false, scheduleId: 's2', scheduleTitle: '', createdAt: '2026-01-02T10:00:00Z' });

describe('where a job went and which schedule started it', () => {
  it('shows an export’s destination and the schedule link on the dashboard', async () => {
    const user = userEvent.setup();
    const { ctx } = await renderPage(JobsPage, createFakeApi({ ListJobs: async () => [exp, del, job({ jobId: 'i1', createdAt: '2026-01-01T10:00:00Z' })] }), { page: 'jobs' });
    const rows = within(await screen.findByRole('table', { name: 'Jobs' })).getAllByRole('row').slice(1);
    expect(within(rows[0]).getByText('→ FTP · nightly (ftp://exporter@files.acme.cn/exports)')).toBeInTheDocument();
    expect(within(rows[1]).getByRole('link', { name: '◷ Schedule' })).toHaveAttribute('href', '#/schedules/s2');
    expect(within(rows[2]).queryByText(/→|◷/)).toBeNull();
    await user.click(within(rows[0]).getByRole('link', { name: '◷ export Account to nightly' }));
    expect(ctx.nav.page).toBe('schedules');
    expect(ctx.nav.sub).toBe('s1');
  });

  it('shows them on the job page of an export and of a delete', async () => {
    const user = userEvent.setup();
    const api = createFakeApi({ GetJob: async (id) => ({ ...(id === 'e1' ? exp : del), events: [], errorReport: '', errorReports: [] }) });
    const { ctx } = await renderPage(JobsPage, api, { page: 'jobs', sub: 'e1' });
    expect(await screen.findByTestId('job-destination')).toHaveTextContent('Destination: FTP · nightly (ftp://exporter@files.acme.cn/exports)');
    expect(screen.getByTestId('job-schedule')).toHaveTextContent('Started by schedule “export Account to nightly”');
    ctx.nav.go('jobs', 'd1');
    expect(await screen.findByText('Started by a schedule since removed')).toHaveAttribute('href', '#/schedules/s2');
    expect(screen.queryByTestId('job-destination')).toBeNull();
    await user.click(screen.getByText('Started by a schedule since removed'));
    expect(ctx.nav.page).toBe('schedules');
    expect(ctx.nav.sub).toBe('s2');
  });
});

describe('in Chinese', () => {
  it('names the object by its label and says the schedule link in Chinese, Go’s English title in the tooltip', async () => {
    locale.set('zh');
    const other = job({ jobId: 'o1', connection: 'prod', object: 'Contact', files: ['c.csv'], createdAt: '2026-01-03T10:00:00Z' });
    await renderPage(JobsPage, createFakeApi({ ListJobs: async () => [other, exp, del] }), { page: 'jobs' });
    const rows = within(await screen.findByRole('table', { name: '任务' })).getAllByRole('row').slice(1);
    expect(await within(rows[1]).findByText('客户')).toHaveAttribute('title', 'Account');
    // Another CRM's job keeps the API name: its objects are not loaded.
    expect(within(rows[0]).getByText('Contact')).toBeInTheDocument();
    const link = within(rows[1]).getByRole('link', { name: '◷ 计划任务' });
    expect(link).toHaveAttribute('title', 'export Account to nightly');
    expect(screen.queryByText(/export Account to nightly/)).toBeNull();
  });

  it('says “started by a schedule” on the job page in Chinese words', async () => {
    locale.set('zh');
    const api = createFakeApi({ GetJob: async () => ({ ...exp, events: [], errorReport: '', errorReports: [] }) });
    await renderPage(JobsPage, api, { page: 'jobs', sub: 'e1' });
    const link = within(await screen.findByTestId('job-schedule')).getByRole('link');
    expect(link).toHaveTextContent(/^由计划任务启动$/);
    expect(link).toHaveAttribute('title', 'export Account to nightly');
  });
});
