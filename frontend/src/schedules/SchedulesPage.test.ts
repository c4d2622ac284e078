import { screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { locale } from '$lib/i18n';
import type { ScheduleSummary } from '$lib/api';
import { AppError } from '$lib/api/errors';
import { createFakeApi } from '../test/fakeApi';
import { renderPage } from '../test/render';
import { parseSpec } from './specForm.svelte';
import SchedulesPage from './SchedulesPage.svelte';

beforeEach(() => locale.set('en'));

const base: ScheduleSummary = {
  id: 's1', kind: 'export', title: 'export Account to nightly', spec: 'weekly mon,thu 02:30 Asia/Shanghai', words: 'Every Monday and Thursday at 02:30 (Asia/Shanghai)',
  enabled: true, nextRun: '2026-12-03T18:30:00Z', nextWords: 'Thu 2026-12-03 02:30 CST', lastRun: '2026-11-30T18:30:00Z', object: 'Account', all: false,
  where: "industry = 'Retail'", destination: 'nightly', maxCount: 0, lastOutcome: 'started', lastJobId: 'e7', lastStatus: 'done', lastCaughtUp: false, lastNote: '', connection: 'sandbox',
};
const del: ScheduleSummary = { ...base, id: 's2', kind: 'delete', title: 'delete Opportunity (at most 25)', spec: 'daily 01:00 UTC', where: 'amount > 0', destination: '', maxCount: 25 };

describe('parseSpec', () => {
  it('reads every spec Go writes back into the form', () => {
    expect(parseSpec('weekly mon,thu 02:30 Asia/Shanghai')).toEqual({ kind: 'weekly', date: '', time: '02:30', weekdays: ['mon', 'thu'], day: 1, zone: 'Asia/Shanghai' });
    expect(parseSpec('once 2026-12-24T18:30:05 UTC')).toMatchObject({ kind: 'once', date: '2026-12-24', time: '18:30:05', zone: 'UTC' });
    expect(parseSpec('monthly 31 02:00 Europe/Berlin')).toMatchObject({ kind: 'monthly', day: 31, time: '02:00', zone: 'Europe/Berlin' });
    expect(parseSpec('daily 02:00')).toMatchObject({ kind: 'daily', time: '02:00', zone: '' });
    for (const bad of ['', 'hourly 02:00', 'weekly funday 02:00', 'daily 2am', 'once tomorrow']) expect(parseSpec(bad)).toBeNull();
  });
});

describe('the last run', () => {
  it('says its job status and a run without a job in the UI language, not as codes', async () => {
    locale.set('zh');
    const skipped: ScheduleSummary = { ...base, id: 's3', object: 'Product', where: '', lastJobId: '', lastStatus: '', lastOutcome: 'skipped', lastNote: 'the previous run was still going' };
    const api = createFakeApi({ ListSchedules: async () => [base, skipped] });
    await renderPage(SchedulesPage, api, { page: 'schedules' });
    const done = (await screen.findByText("industry = 'Retail'")).closest('tr')!;
    expect(within(done).getByText('已完成')).toBeInTheDocument();
    expect(within(done).queryByText('done')).toBeNull();
    const row = (await screen.findByText('产品')).closest('tr')!;
    expect(within(row).getByText('已跳过：上一次运行尚未结束')).toBeInTheDocument();
    // Go's English note stays in the tooltip, not beside the Chinese words.
    expect(within(row).queryByText(/skipped|the previous run/)).toBeNull();
  });
});

describe('the object a schedule runs on', () => {
  it('is named by its label in the UI language on the current connection, the API name in its tooltip; elsewhere by its API name', async () => {
    locale.set('zh');
    const other: ScheduleSummary = { ...del, id: 's4', connection: 'prod', object: 'Contact', where: 'name = 1' };
    const opps: ScheduleSummary = { ...del, object: 'Opportunity' };
    await renderPage(SchedulesPage, createFakeApi({ ListSchedules: async () => [base, opps, other] }), { page: 'schedules' });
    const row = (where: string) => within(screen.getByText(where).closest('tr')!);
    await waitFor(() => expect(row("industry = 'Retail'").getByText('客户')).toHaveAttribute('title', 'Account'));
    expect(row('amount > 0').getByText('商机')).toHaveAttribute('title', 'Opportunity');
    // Another CRM's objects are not loaded: its API name, never a wrong label.
    expect(row('name = 1').getByText('Contact')).toBeInTheDocument();
    expect(screen.queryByText('联系人')).toBeNull();
  });
});

describe('editing a schedule', () => {
  it('opens the schedule form prefilled and saves the same schedule', async () => {
    const user = userEvent.setup();
    const api = createFakeApi({ ListSchedules: async () => [base, del] });
    await renderPage(SchedulesPage, api, { page: 'schedules' });
    const row = (await screen.findByText("industry = 'Retail'")).closest('tr')!;
    await user.click(within(row).getByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit the schedule' });
    expect(within(form).getByLabelText('Repeat')).toHaveValue('weekly');
    expect(within(form).getByLabelText('Time')).toHaveValue('02:30');
    expect(within(form).getByLabelText('Time zone')).toHaveValue('Asia/Shanghai');
    expect(within(form).getByLabelText('Mon')).toBeChecked();
    expect(within(form).getByLabelText('Thu')).toBeChecked();
    expect(within(form).getByLabelText('Tue')).not.toBeChecked();
    expect(within(form).getByLabelText(/^Filter/)).toHaveValue("industry = 'Retail'");
    expect(within(form).getByLabelText(/^Destination/)).toHaveValue('nightly');
    // Go's words for the new spec show under the form as it changes.
    await user.click(within(form).getByLabelText('Fri'));
    await waitFor(() => expect(api.PreviewSpec).toHaveBeenLastCalledWith('weekly mon,thu,fri 02:30', 'Asia/Shanghai', 'en', 5));
    expect(await within(form).findByText('Words for weekly mon,thu,fri 02:30')).toBeInTheDocument();

    await user.clear(within(form).getByLabelText(/^Filter/));
    await user.type(within(form).getByLabelText(/^Filter/), "industry = 'Energy'");
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(api.UpdateSchedule).toHaveBeenCalledWith('s1', { spec: 'weekly mon,thu,fri 02:30', zone: 'Asia/Shanghai', where: "industry = 'Energy'", destination: 'nightly', maxCount: 0 }, 'en');
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Edit the schedule' })).toBeNull());
    expect(screen.getByRole('status')).toHaveTextContent('Schedule saved');
    expect(api.ListSchedules).toHaveBeenCalledTimes(2);
  });

  it('lets a delete’s ceiling only go down, and shows Go’s refusal', async () => {
    const user = userEvent.setup();
    const api = createFakeApi({
      ListSchedules: async () => [del],
      UpdateSchedule: async () => {
        throw new AppError('invalid', 'schedule "daily 01:00 UTC": nope');
      },
    });
    await renderPage(SchedulesPage, api, { page: 'schedules' });
    await user.click(await screen.findByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit the schedule' });
    expect(within(form).queryByLabelText(/^Filter/)).toBeNull();
    const max = within(form).getByLabelText(/^At most/);
    expect(max).toHaveValue(25);
    await user.clear(max);
    await user.type(max, '30');
    expect(within(form).getByRole('button', { name: 'Save' })).toBeDisabled();
    await user.clear(max);
    await user.type(max, '20');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(api.UpdateSchedule).toHaveBeenCalledWith('s2', { spec: 'daily 01:00', zone: 'UTC', where: '', destination: '', maxCount: 20 }, 'en');
    expect(await within(form).findByRole('alert')).toHaveTextContent('nope');
  });

  it('marks the schedule a job page links to', async () => {
    await renderPage(SchedulesPage, createFakeApi({ ListSchedules: async () => [base, del] }), { page: 'schedules', sub: 's2' });
    const row = (await screen.findByText('amount > 0')).closest('tr')!;
    expect(row).toHaveAttribute('aria-current', 'true');
    expect((await screen.findByText("industry = 'Retail'")).closest('tr')).not.toHaveAttribute('aria-current');
  });
});

describe('the last run', () => {
  it('is told in words in both languages, never as a raw status or outcome code', async () => {
    const skipped: ScheduleSummary = { ...base, id: 's3', where: "industry = 'Energy'", lastOutcome: 'skipped', lastJobId: 'e8', lastStatus: '' };
    await renderPage(SchedulesPage, createFakeApi({ ListSchedules: async () => [base, skipped] }), { page: 'schedules' });
    const done = (await screen.findByText("industry = 'Retail'")).closest('tr')!;
    const held = screen.getByText("industry = 'Energy'").closest('tr')!;
    expect(within(done).getByText('Done')).toBeInTheDocument();
    expect(within(held).getByText('skipped: the previous run was still going')).toBeInTheDocument();
    locale.set('zh');
    await waitFor(() => expect(within(done).getByText('已完成')).toBeInTheDocument());
    expect(within(held).getByText('已跳过：上一次运行尚未结束')).toBeInTheDocument();
    expect(within(done).queryByText('done')).toBeNull();
  });
});
