import { screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { locale } from '$lib/i18n';
import { createFakeApi, job } from '../test/fakeApi';
import { renderPage } from '../test/render';
import JobsPage from '../jobs/JobsPage.svelte';

beforeEach(() => locale.set('en'));

const del = job({ jobId: 'd1', kind: 'delete', object: 'Opportunity', files: [], backup: '/tmp/bd/reports/d1/backup.zip', hasErrors: false });

describe('delete jobs on the jobs pages', () => {
  it('lists a delete with its backup', async () => {
    await renderPage(JobsPage, createFakeApi({ ListJobs: async () => [del, job({ jobId: 'd2', kind: 'delete', files: [], backup: '' })] }), { page: 'jobs' });
    expect(await screen.findByText('Backup: backup.zip')).toHaveAttribute('title', '/tmp/bd/reports/d1/backup.zip');
    expect(screen.getByText('no backup')).toBeInTheDocument();
  });

  it("offers a delete's backup and Restore on its job page", async () => {
    const user = userEvent.setup();
    const api = createFakeApi({ GetJob: async () => ({ ...del, events: [], errorReport: '', errorReports: [] }) });
    const { ctx } = await renderPage(JobsPage, api, { page: 'jobs', sub: 'd1' });
    expect(await screen.findByText('/tmp/bd/reports/d1/backup.zip')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Restore' }));
    expect(api.RestoreDelete).toHaveBeenCalledWith('d1');
    expect(ctx.nav.sub).toBe('i9');
  });
});

describe('a delete job page after a restore', () => {
  const page = (restores: import('$lib/api').JobRestore[]) =>
    createFakeApi({ GetJob: async () => ({ ...del, events: [], errorReport: '', errorReports: [], restores }) });

  it('says when it was restored and by which job, and offers no second Restore', async () => {
    const user = userEvent.setup();
    const api = page([{ jobId: 'i9', status: 'done', finishedAt: '2026-12-01T10:15:00Z', succeeded: 45, failed: 2 }]);
    const { ctx } = await renderPage(JobsPage, api, { page: 'jobs', sub: 'd1' });
    const done = await screen.findByTestId('restored');
    expect(done).toHaveTextContent(/^Restored at .*2026.*\(job i9\)$/);
    expect(screen.getByText('2 records could not come back: see the restore job’s error report.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Restore/ })).toBeNull();
    await user.click(screen.getByRole('link', { name: 'job i9' }));
    expect(ctx.nav.sub).toBe('i9');
    expect(api.RestoreDelete).not.toHaveBeenCalled();
  });

  it('offers no Restore while one runs', async () => {
    await renderPage(JobsPage, page([{ jobId: 'i9', status: 'running', finishedAt: '', succeeded: 0, failed: 0 }]), { page: 'jobs', sub: 'd1' });
    expect(await screen.findByText(/A restore is running/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Restore/ })).toBeNull();
  });

  it('lets a failed restore be tried again', async () => {
    const user = userEvent.setup();
    const api = page([{ jobId: 'i8', status: 'failed', finishedAt: '2026-12-01T10:00:00Z', succeeded: 0, failed: 0 }]);
    await renderPage(JobsPage, api, { page: 'jobs', sub: 'd1' });
    expect(await screen.findByText(/The last restore did not finish \(Failed\)/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Restore again' }));
    expect(api.RestoreDelete).toHaveBeenCalledWith('d1');
  });
});
