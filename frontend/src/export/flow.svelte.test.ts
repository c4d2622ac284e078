import { describe, expect, it, vi } from 'vitest';
import { createFakeApi, account } from '../test/fakeApi';
import { JobEvents } from '$lib/jobs/events.svelte';
import { ExportFlow } from './flow.svelte';
import { locale } from '$lib/i18n';

function setup() {
  const api = createFakeApi();
  const events = new JobEvents(api);
  const flow = new ExportFlow(api, events);
  return { api, events, flow };
}

describe('ExportFlow', () => {
  it('picks the default fields, keeps the object order and moves fields', async () => {
    const { flow } = setup();
    await flow.load('sandbox');
    await flow.chooseObject('Account');
    expect(flow.fields).toEqual(['name', 'account_no', 'industry', 'annual_revenue', 'parent_account_id', 'team_read_write', 'owner_id']);
    flow.toggleField('industry', false);
    flow.toggleField('industry', true);
    expect(flow.fields.indexOf('industry')).toBe(2);
    flow.move('industry', -1);
    expect(flow.fields.slice(0, 3)).toEqual(['name', 'industry', 'account_no']);
    flow.selectAll(false);
    expect(flow.fields).toEqual([]);
    flow.selectAll(true);
    expect(flow.fields).toHaveLength(account.fields.length);
  });

  it('counts with the filter and sends the request the page shows', async () => {
    const { api, flow } = setup();
    await flow.load('sandbox');
    await flow.chooseObject('Account');
    const c = flow.builder.addCondition()!;
    flow.builder.setField(c.id, 'industry');
    flow.builder.setValue(c.id, 'Finance');
    api.FilterFromJSON.mockResolvedValue({ text: "industry = 'Finance'", json: '' });
    await flow.countNow();
    expect(api.CountExport).toHaveBeenLastCalledWith('sandbox', expect.objectContaining({ object: 'Account', where: "industry = 'Finance'", noBom: false, headers: 'api' }));
    expect(flow.count?.rows).toBe(12);
    flow.folder = '/home/me/out';
    expect(flow.ready).toBe(true);
    await flow.start();
    expect(api.StartExport).toHaveBeenCalledWith('sandbox', expect.objectContaining({ where: "industry = 'Finance'" }), '/home/me/out');
    expect(flow.run.id).toBe('e1');
  });

  it('does not count or run while a value is invalid', async () => {
    const { api, flow } = setup();
    await flow.load('sandbox');
    await flow.chooseObject('Account');
    const c = flow.builder.addCondition()!;
    flow.builder.setField(c.id, 'annual_revenue');
    flow.builder.setValue(c.id, 'lots');
    api.CountExport.mockClear();
    await flow.countNow();
    expect(api.CountExport).not.toHaveBeenCalled();
    expect(flow.count).toBeNull();
    flow.folder = '/tmp';
    expect(flow.ready).toBe(false);
  });

  it('follows its job and shows the files when it ends', async () => {
    const { api, events, flow } = setup();
    api.ExportJob.mockResolvedValue({ request: { object: 'Account' }, destination: '/out', files: [{ name: 'Account.csv', rows: 3, bytes: 90, sha256: '', location: '/out/Account.csv' }], scheduleId: '', note: '' });
    await flow.load('sandbox');
    flow.setScope('all');
    flow.folder = '/out';
    await flow.start();
    expect(api.StartExport).toHaveBeenCalledWith('sandbox', expect.objectContaining({ all: true }), '/out');
    const ev = { jobId: 'e1', kind: 'export', status: 'done', total: 3, done: 3, succeeded: 3, failed: 0, bytesRead: 90, bytesTotal: 0, rowsPerSec: 0, message: '' } as const;
    events.update({ ...ev, status: 'running' }, false);
    expect(flow.run.progress?.done).toBe(3);
    events.update(ev, true);
    await vi.waitFor(() => expect(flow.result?.files[0].name).toBe('Account.csv'));
  });

  it('shows the result of an export that ended before its ID came back', async () => {
    const { api, events, flow } = setup();
    api.ExportJob.mockResolvedValue({ request: { object: 'Account' }, destination: '/out', files: [], scheduleId: '', note: '' });
    api.StartExport.mockImplementation(async () => {
      events.update({ jobId: 'fast', kind: 'export', status: 'done', total: 1, done: 1, succeeded: 1, failed: 0, bytesRead: 9, bytesTotal: 0, rowsPerSec: 0, message: '' }, true);
      return 'fast';
    });
    await flow.load('sandbox');
    flow.setScope('all');
    flow.folder = '/out';
    await flow.start();
    expect(flow.run.finished?.status).toBe('done');
    await vi.waitFor(() => expect(flow.result?.destination).toBe('/out'));
  });
});

describe('ExportFlow’s API type', () => {
  it('names the record search the condition builder uses, so a client without it does not compile', async () => {
    const { api, events } = setup();
    const { SearchRecords: _s, RecordNames: _r, ...withoutSearch } = api;
    // @ts-expect-error: the lookup search (SearchRecords, RecordNames) is part of ExportApi
    const blind = new ExportFlow(withoutSearch, events);
    expect(blind.builder.canSearch).toBe(false);

    const flow = new ExportFlow(api, events);
    await flow.load('sandbox');
    await flow.chooseObject('Account');
    expect(flow.builder.canSearch).toBe(true);
    // The builder's words name a lookup's target by its label.
    locale.set('zh');
    expect(flow.builder.objectLabel('Account')).toBe('客户');
    expect(flow.fieldLabel('account_no')).toBe('客户编号');
    locale.set('en');
    expect(flow.builder.objectLabel('Account')).toBe('Account');
    expect(flow.builder.objectLabel('User')).toBe('User');
    const found = await flow.builder.searchRecords('Account', 'Acme');
    expect(api.SearchRecords).toHaveBeenCalledWith('sandbox', 'Account', 'Acme');
    expect(found?.records.length).toBeGreaterThan(0);
  });
});
