import { screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { locale } from '$lib/i18n';
import { createFakeApi, job } from '../test/fakeApi';
import { renderPage } from '../test/render';
import JobsPage from '../jobs/JobsPage.svelte';

beforeEach(() => locale.set('en'));

describe('an interrupted delete on its job page', () => {
  it('offers Resume, which resumes the same job, next to its backup', async () => {
    const user = userEvent.setup();
    const api = createFakeApi({
      GetJob: async (id: string) => ({
        ...job({ jobId: id, kind: 'delete', object: 'Account', status: 'interrupted', resumable: true,
          message: 'the connection to the CRM was lost; resume to continue' }),
        events: [],
        errorReport: '',
        errorReports: [],
      }),
    });
    await renderPage(JobsPage, api, { page: 'jobs', sub: 'd1' });
    expect(await screen.findByText(/the connection to the CRM was lost/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Resume' }));
    expect(api.ResumeJob).toHaveBeenCalledWith('d1');
    expect(api.GetDeleteBackup).toHaveBeenCalledWith('d1');
  });
});
