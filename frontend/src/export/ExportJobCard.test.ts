import { screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { locale } from '$lib/i18n';
import { createFakeApi, job } from '../test/fakeApi';
import { renderPage } from '../test/render';
import JobsPage from '../jobs/JobsPage.svelte';

beforeEach(() => locale.set('en'));

const dest = 'nightly (ftp://exporter@files.acme.cn/exports)';
const exp = job({ jobId: 'e1', kind: 'export', files: ['Account.csv'], hasErrors: false, destination: dest, destinationKind: 'ftp', scheduleId: 's1', scheduleTitle: 'export Account to nightly' });

describe('an export’s card on its job page', () => {
  it('names the destination once and links its own schedule', async () => {
    const user = userEvent.setup();
    const api = createFakeApi({
      GetJob: async () => ({ ...exp, events: [], errorReport: '', errorReports: [] }),
      ExportJob: async () => ({ request: { object: 'Account' }, destination: dest, files: [], scheduleId: 's1', note: '' }),
    });
    const { ctx } = await renderPage(JobsPage, api, { page: 'jobs', sub: 'e1' });
    const card = await screen.findByTestId('export-job');
    expect(screen.getAllByText(dest)).toHaveLength(1);
    expect(within(card).queryByText(dest)).toBeNull();
    const link = within(card).getByRole('link', { name: /schedule/i });
    expect(link).toHaveAttribute('href', '#/schedules/s1');
    await user.click(link);
    expect(ctx.nav.page).toBe('schedules');
    expect(ctx.nav.sub).toBe('s1');
  });

  it('names the exported object and its files’ objects by their labels in the UI language', async () => {
    locale.set('zh');
    const file = { name: 'Account.csv', object: 'Account', rows: 3, bytes: 90, sha256: '', location: '/out/Account.csv' };
    const api = createFakeApi({
      GetJob: async () => ({ ...exp, scheduleId: '', scheduleTitle: '', events: [], errorReport: '', errorReports: [] }),
      ExportJob: async () => ({ request: { object: 'Account' }, destination: dest, files: [file], scheduleId: '', note: '' }),
    });
    await renderPage(JobsPage, api, { page: 'jobs', sub: 'e1' });
    const card = await screen.findByTestId('export-job');
    await within(card).findAllByText('客户');
    expect(within(card).getByRole('table')).toHaveTextContent('客户');
    expect(within(card).queryByText('Account')).toBeNull();
    expect(screen.getByTestId('job-what')).toHaveTextContent(/^导出 · 客户 · /);
  });
});
