import { screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '$lib/api';
import { locale } from '$lib/i18n';
import { account, createFakeApi, deletePreview, fakeEvents, jobEvent } from '../test/fakeApi';
import { renderPage } from '../test/render';
import DeletePage from './DeletePage.svelte';

beforeEach(() => locale.set('en'));

async function chooseAll(user: ReturnType<typeof userEvent.setup>) {
  await user.selectOptions(await screen.findByLabelText('Object'), 'Opportunity');
  await user.click(screen.getByLabelText('All records'));
  await screen.findByTestId('del-total');
}

describe('DeletePage filter', () => {
  it('counts what the condition builder selects, typed as text', async () => {
    const user = userEvent.setup();
    const { api } = await renderPage(DeletePage, createFakeApi(), { page: 'delete' });
    await user.selectOptions(await screen.findByLabelText('Object'), 'Opportunity');
    expect(screen.getByText('No condition: all records.')).toBeInTheDocument();
    expect(api.PreviewDelete).not.toHaveBeenCalled();
    await user.click(screen.getByRole('checkbox', { name: 'Show as text' }));
    await user.type(screen.getByRole('textbox', { name: 'Filter (filter language)' }), "stage = 'Won'");
    await user.tab();
    await waitFor(() => expect(api.PreviewDelete).toHaveBeenCalledWith(expect.objectContaining({ object: 'Opportunity', all: false, where: "stage = 'Won'" })));
    expect(await screen.findByTestId('del-total')).toHaveTextContent('25 records will be deleted');
  });
});

describe('DeletePage confirmation', () => {
  it('keeps the delete button disabled until the object name and the exact count are typed', async () => {
    const user = userEvent.setup();
    const { api } = await renderPage(DeletePage, createFakeApi(), { page: 'delete' });
    await chooseAll(user);
    expect(screen.getByTestId('del-total')).toHaveTextContent('25 records will be deleted');
    expect(screen.getByTestId('del-cascades')).toHaveTextContent('60 Opportunity Line records');
    expect(await screen.findByRole('grid')).toBeInTheDocument();
    expect(screen.getByTestId('del-why-count')).toHaveTextContent('A sandbox has no password');

    const run = screen.getByTestId('del-run');
    expect(run).toBeDisabled();
    await user.type(screen.getByLabelText(/Type the object’s API name/), 'Opportunity');
    expect(run).toBeDisabled();
    await user.type(screen.getByLabelText(/Type the exact count/), '24');
    expect(run).toBeDisabled();
    await user.clear(screen.getByLabelText(/Type the exact count/));
    await user.type(screen.getByLabelText(/Type the exact count/), '25');
    expect(run).toBeEnabled();
    await user.click(run);
    expect(api.StartDelete).toHaveBeenCalledWith(
      { connection: 'sandbox', object: 'Opportunity', all: true, where: '', skipBlocked: false, noBackup: false },
      { object: 'Opportunity', password: '', count: 25 },
    );
  });

  it('asks for the password where the server checks one, and shows a refusal', async () => {
    const user = userEvent.setup();
    const api = createFakeApi({
      PreviewDelete: async () => ({ ...deletePreview, check: 'password', checkNote: 'the server checks passwords' }),
      StartDelete: async () => {
        throw new AppError('auth_failed', 'wrong password for crm: nothing was deleted');
      },
    });
    await renderPage(DeletePage, api, { page: 'delete' });
    await chooseAll(user);
    expect(screen.queryByLabelText(/Type the exact count/)).toBeNull();
    await user.type(screen.getByLabelText(/Type the object’s API name/), 'Opportunity');
    const run = screen.getByTestId('del-run');
    expect(run).toBeDisabled();
    await user.type(screen.getByLabelText('Password of the connection'), 'nope');
    expect(run).toBeEnabled();
    await user.click(run);
    expect(await screen.findByTestId('del-error')).toHaveTextContent('nothing was deleted');
  });

  it('stays disabled while records are blocked, until they are skipped', async () => {
    const user = userEvent.setup();
    const api = createFakeApi({ PreviewDelete: async (r) => ({ ...deletePreview, blocked: 3, total: r.skipBlocked ? 22 : 25 }) });
    await renderPage(DeletePage, api, { page: 'delete' });
    await chooseAll(user);
    await user.type(screen.getByLabelText(/Type the object’s API name/), 'Opportunity');
    await user.click(screen.getByTestId('del-skip-blocked'));
    await waitFor(() => expect(screen.getByTestId('del-total')).toHaveTextContent('22 records'));
    await user.type(screen.getByLabelText(/Type the exact count/), '22');
    expect(screen.getByTestId('del-run')).toBeEnabled();
    await user.click(screen.getByTestId('del-toggle-blocked'));
    expect(api.SampleDelete).toHaveBeenLastCalledWith(expect.anything(), 500, true);
  });

  it('asks again before the backup goes off, saying what is lost', async () => {
    const user = userEvent.setup();
    await renderPage(DeletePage, createFakeApi(), { page: 'delete' });
    await chooseAll(user);
    const sw = screen.getByTestId('del-backup');
    await user.click(sw);
    expect(screen.getByRole('alertdialog')).toHaveTextContent('cannot be restored');
    expect(screen.getByTestId('del-run')).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Keep the backup' }));
    expect(sw).toBeChecked();
    await user.click(sw);
    await user.click(screen.getByRole('button', { name: 'Yes, delete without a backup' }));
    expect(sw).not.toBeChecked();
    expect(screen.getByText(/The backup is off/)).toBeInTheDocument();
  });

  it('follows the job to its result with the backup and Restore', async () => {
    const user = userEvent.setup();
    const bus = fakeEvents();
    const api = createFakeApi({ on: bus.on });
    await renderPage(DeletePage, api, { page: 'delete' });
    await chooseAll(user);
    await user.type(screen.getByLabelText(/Type the object’s API name/), 'Opportunity');
    await user.type(screen.getByLabelText(/Type the exact count/), '25');
    await user.click(screen.getByTestId('del-run'));
    await screen.findByTestId('del-progress');
    bus.emit('job:progress', jobEvent({ jobId: 'd1', kind: 'delete', total: 25, done: 10 }));
    expect(await screen.findByText(/10 of 25/)).toBeInTheDocument();
    bus.emit('job:finished', jobEvent({ jobId: 'd1', kind: 'delete', status: 'done', total: 25, done: 25, succeeded: 25 }));
    expect(await screen.findByTestId('del-backup-path')).toHaveTextContent('/tmp/bd/reports/d1/backup.zip');
    await user.click(screen.getByTestId('del-restore'));
    expect(await screen.findByTestId('del-restored')).toHaveTextContent('i9');
    expect(api.RestoreDelete).toHaveBeenCalledWith('d1');
  });

  it('schedules with the spec and the ceiling, and keeps the backup on', async () => {
    const user = userEvent.setup();
    const { api } = await renderPage(DeletePage, createFakeApi(), { page: 'delete' });
    await chooseAll(user);
    await user.type(screen.getByLabelText(/Type the object’s API name/), 'Opportunity');
    await user.type(screen.getByLabelText(/Type the exact count/), '25');
    await user.click(screen.getByRole('radio', { name: 'Scheduled' }));
    const run = screen.getByTestId('del-run');
    await screen.findByTestId('schedule-form');
    await user.type(screen.getByLabelText('Ceiling'), '30');
    expect(run).toHaveTextContent('Save the schedule');
    await user.click(run);
    expect(api.ScheduleDelete).toHaveBeenCalledWith(
      expect.objectContaining({ object: 'Opportunity', noBackup: false }),
      { object: 'Opportunity', password: '', count: 25 },
      { spec: 'daily 02:00', zone: expect.any(String), maxCount: 30 },
    );
    // The spec in words and the next run day first, as the Schedules page shows them.
    expect(await screen.findByText(/Schedule saved: delete Opportunity records, Words for daily 02:00\. Next run: 02\/12\/2026, 02:00:00\./)).toBeInTheDocument();
  });
});

describe('DeletePage preview words', () => {
  it('names objects and lookups by their labels in the UI language, not by API names', async () => {
    const user = userEvent.setup();
    const contact = {
      ...account,
      apiName: 'Contact',
      fields: [{ apiName: 'opportunity_id', labelEn: 'Opportunity', labelZh: '所属商机', type: 'lookup', column: 'opportunity_id', required: false, unique: false, system: false, target: 'Opportunity' } as const],
    };
    const api = createFakeApi({
      DescribeObject: async (_c, o) => (o === 'Contact' ? contact : { ...account, apiName: o }),
      PreviewDelete: async (req) => ({
        ...deletePreview,
        object: req.object,
        emptied: [{ object: 'Contact', table: 'contact', fields: ['opportunity_id'], constraint: 'contact_opp_fk', rows: 4 }],
        blocking: [{ object: 'Account', table: 'account', fields: ['parent_account_id'], constraint: 'acc_fk', rows: 1 }],
      }),
    });
    await renderPage(DeletePage, api, { page: 'delete' });
    await chooseAll(user);
    expect(screen.getByTestId('del-cascades')).toHaveTextContent('60 Opportunity Line records');
    await waitFor(() => expect(screen.getByTestId('del-emptied')).toHaveTextContent('4 Contact records lose their Opportunity'));
    await waitFor(() => expect(screen.getByTestId('del-blocking')).toHaveTextContent('1 Account record refers to them by Parent Account'));
    expect(screen.getByLabelText(/Type the object’s API name Opportunity/)).toBeInTheDocument();

    locale.set('zh');
    await waitFor(() => expect(screen.getByTestId('del-cascades')).toHaveTextContent('60 条商机明细记录'));
    expect(screen.getByTestId('del-emptied')).toHaveTextContent('4 条联系人记录的所属商机将被清空');
    expect(screen.getByTestId('del-blocking')).toHaveTextContent('1 条客户记录通过上级客户引用它们');
    expect(screen.getByLabelText('输入对象的 API 名称 Opportunity，确认删除这些商机记录')).toBeInTheDocument();
    for (const api of ['OpportunityLine', 'opportunity_id', 'parent_account_id']) {
      expect(screen.getByTestId('del-preview')).not.toHaveTextContent(api);
    }
  });
});

describe('DeletePage resume', () => {
  it('offers Resume for an interrupted delete and follows the resumed job to its end', async () => {
    const user = userEvent.setup();
    const bus = fakeEvents();
    let status = 'interrupted';
    const base = createFakeApi({ on: bus.on });
    const api = createFakeApi({
      on: bus.on,
      GetJob: async (id: string) => ({ ...(await base.GetJob(id)), status, resumable: status === 'interrupted', message: 'connection lost' }),
    });
    await renderPage(DeletePage, api, { page: 'delete' });
    await chooseAll(user);
    await user.type(screen.getByLabelText(/Type the object’s API name/), 'Opportunity');
    await user.type(screen.getByLabelText(/Type the exact count/), '25');
    await user.click(screen.getByTestId('del-run'));
    bus.emit('job:finished', jobEvent({ jobId: 'd1', kind: 'delete', status: 'interrupted', total: 25, done: 10, succeeded: 10 }));
    expect(await screen.findByTestId('del-result')).toHaveTextContent('connection lost');
    status = 'done';
    await user.click(screen.getByTestId('del-resume'));
    expect(api.ResumeJob).toHaveBeenCalledWith('d1');
    await screen.findByTestId('del-progress');
    bus.emit('job:finished', jobEvent({ jobId: 'd1', kind: 'delete', status: 'done', total: 25, done: 25, succeeded: 25 }));
    await waitFor(() => expect(screen.getByTestId('del-result')).toHaveTextContent('records deleted'));
    expect(screen.queryByTestId('del-resume')).not.toBeInTheDocument();
  });
});
