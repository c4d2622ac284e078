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
