import { describe, expect, it, vi } from 'vitest';
import { createFakeApi, account } from '../test/fakeApi';
import { JobEvents } from '$lib/jobs/events.svelte';
import { ExportFlow } from './flow.svelte';

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
});
