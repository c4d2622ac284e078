import { describe, expect, it, vi } from 'vitest';
import { createFakeApi, fakeEvents, jobEvent, problemRows } from '../test/fakeApi';
import { ImportFlow } from './flow.svelte';

async function flowAt(step: 'files' | 'mapping' | 'preview', over: Parameters<typeof createFakeApi>[0] = {}) {
  const bus = fakeEvents();
  const api = createFakeApi({ on: bus.on, ...over });
  const flow = new ImportFlow(api);
  flow.attach();
  await flow.loadObjects('sandbox');
  await flow.chooseObject('Account');
  await flow.next();
  if (step === 'files') return { flow, api, bus };
  await flow.addPaths(['/tmp/accounts.csv']);
  await flow.next();
  if (step === 'mapping') return { flow, api, bus };
  await flow.next();
  return { flow, api, bus };
}

describe('ImportFlow', () => {
  it('starts at the target and blocks until an object is chosen', async () => {
    const flow = new ImportFlow(createFakeApi());
    await flow.loadObjects('sandbox');
    expect(flow.step).toBe('target');
    expect(flow.blocker('target')).toEqual({ key: 'imp.block.object' });
    expect(await flow.next()).toBe(false);
    await flow.chooseObject('Account');
    expect(flow.blocker('target')).toBeNull();
    expect(await flow.next()).toBe(true);
    expect(flow.step).toBe('files');
  });

  it('asks for a key on update and refuses the primary attribute where there is none', async () => {
    const api = createFakeApi({ DescribeObject: async (_c, o) => ({ ...(await createFakeApi().DescribeObject('', o)), primary: '' }) });
    const flow = new ImportFlow(api);
    await flow.loadObjects('sandbox');
    await flow.chooseObject('OpportunityLine');
    flow.setMode('update');
    expect(flow.key).toBe('id');
    flow.key = 'primary';
    expect(flow.blocker('target')).toEqual({ key: 'imp.block.key' });
    flow.key = '';
    expect(flow.blocker('target')).toEqual({ key: 'imp.block.key' });
  });

  it('refuses a file of another layout with a clear reason', async () => {
    const api = createFakeApi();
    api.InspectFile.mockImplementationOnce(async (ref) => ({ ...(await createFakeApi().InspectFile(ref)) }));
    api.InspectFile.mockImplementationOnce(async (ref) => ({ ...(await createFakeApi().InspectFile(ref)), header: ['客户名称', 'Phone'] }));
    const flow = new ImportFlow(api);
    await flow.loadObjects('sandbox');
    await flow.chooseObject('Account');
    await flow.addPaths(['/tmp/a.csv', '/tmp/b.csv']);
    expect(flow.files.map((f) => f.name)).toEqual(['a.csv']);
    expect(flow.fileError).toMatchObject({ key: 'imp.files.otherLayout', params: { name: 'b.csv', first: 'a.csv' } });
    expect(flow.blocker('files')).toBe(flow.fileError);
    flow.removeFile('/tmp/a.csv');
    expect(flow.fileError).toBeNull();
  });

  it('re-reads a file with a chosen encoding', async () => {
    const { flow, api } = await flowAt('files');
    await flow.addPaths(['/tmp/accounts.csv']);
    await flow.reinspect('/tmp/accounts.csv', 'utf-8', ';');
    expect(api.InspectFile).toHaveBeenLastCalledWith({ path: '/tmp/accounts.csv', encoding: 'utf-8', delimiter: ';' });
    expect(flow.files[0]).toMatchObject({ encoding: 'utf-8', delimiter: ';' });
  });

  it('builds the mapping from the suggestion and blocks on unmapped required fields', async () => {
    const { flow, api } = await flowAt('mapping');
    expect(flow.step).toBe('mapping');
    expect(api.SuggestMapping).toHaveBeenCalledWith('sandbox', 'Account', ['客户名称', '行业', '年收入', 'Notes']);
    expect(flow.blocker('mapping')).toBeNull();
    flow.mapping.unmap('客户名称');
    expect(flow.blocker('mapping')).toEqual({ key: 'imp.block.required', params: { fields: 'Account Name' } });
    expect(flow.canGo('preview')).toBe(false);
    // Update mode needs only the key.
    flow.mode = 'update';
    flow.key = 'account_no';
    expect(flow.blocker('mapping')).toEqual({ key: 'imp.block.required', params: { fields: 'Account Number' } });
    flow.mapping.map('Notes', 'account_no');
    expect(flow.blocker('mapping')).toBeNull();
  });

  it('keeps every choice going back and forth, without asking Go again', async () => {
    const { flow, api } = await flowAt('mapping');
    flow.mapping.map('年收入', 'annual_revenue');
    await flow.back();
    await flow.back();
    expect(flow.step).toBe('target');
    expect(flow.object).toBe('Account');
    flow.setMode('upsert');
    flow.key = 'account_no';
    await flow.next();
    expect(flow.files).toHaveLength(1);
    await flow.next();
    expect(flow.mapping.columns['年收入']).toEqual({ field: 'annual_revenue' });
    expect(api.SuggestMapping).toHaveBeenCalledTimes(1);
    expect(flow.mode).toBe('upsert');
  });

  it('validates on entering the preview, and again only when something changed', async () => {
    const { flow, api, bus } = await flowAt('preview');
    expect(flow.step).toBe('preview');
    expect(api.StartValidate).toHaveBeenCalledTimes(1);
    const req = api.StartValidate.mock.calls[0][0];
    expect(req).toMatchObject({ connection: 'sandbox', object: 'Account', files: [{ path: '/tmp/accounts.csv', encoding: 'gb18030', delimiter: ',' }], batchSize: 5000 });
    expect(req.mapping.columns).toEqual({ 客户名称: { field: 'name' }, 行业: { field: 'industry' } });
    bus.emit('job:finished', jobEvent({ jobId: 'v1', status: 'done', total: 120, done: 120 }));
    expect(flow.blocker('preview')).toBeNull();
    expect(flow.sendable).toBe(117);

    await flow.goTo('mapping');
    await flow.goTo('preview');
    expect(api.StartValidate).toHaveBeenCalledTimes(1);
    await flow.goTo('mapping');
    flow.mapping.map('年收入', 'annual_revenue');
    await flow.goTo('preview');
    expect(api.StartValidate).toHaveBeenCalledTimes(2);
  });

  it('sends, follows progress to the result, and restarts failed rows as a new job', async () => {
    const { flow, api, bus } = await flowAt('preview', { GetProblems: problemRows(2) });
    expect(flow.blocker('preview')).toBeNull(); // the page said done
    await flow.send();
    expect(flow.step).toBe('send');
    expect(flow.canGo('mapping')).toBe(false);
    bus.emit('job:progress', jobEvent({ jobId: 'i1', done: 60, total: 118, rowsPerSec: 30 }));
    expect(flow.importRun.progress?.done).toBe(60);
    bus.emit('job:progress', jobEvent({ jobId: 'other', done: 1 }));
    expect(flow.importRun.progress?.done).toBe(60);
    bus.emit('job:finished', jobEvent({ jobId: 'i1', status: 'done', done: 118, succeeded: 116, failed: 2 }));
    expect(flow.step).toBe('result');
    await flow.cancel();
    await flow.restartFailed();
    expect(api.RestartJob).toHaveBeenCalledWith('i1', true);
    expect(flow.importRun.id).toBe('i1-restart');
    expect(flow.step).toBe('send');
    // A restart sends the failed rows: its total is theirs, not the file's.
    expect(flow.sendTotal).toBe(2);
  });

  it('carries what the rehearsal found to the Send step', async () => {
    const { flow, bus } = await flowAt('preview');
    await flow.rehearse();
    bus.emit('job:finished', jobEvent({ jobId: 'r1', status: 'done', total: 3, succeeded: 1, failed: 2 }));
    expect(flow.rehearsed).toEqual({ total: 3, ok: 1, failed: 2 });
    await flow.send();
    expect(flow.step).toBe('send');
    expect(flow.sendRehearsed).toEqual({ total: 3, ok: 1, failed: 2 });
    expect(flow.sendTotal).toBeGreaterThan(0);
  });

  it('rehearses on the server and shows its problems apart', async () => {
    const { flow, api, bus } = await flowAt('preview');
    await flow.rehearse();
    expect(api.StartRehearse).toHaveBeenCalled();
    expect(flow.source).toBe('server');
    expect(flow.serverProblems.jobId).toBe('r1');
    bus.emit('job:finished', jobEvent({ jobId: 'r1', status: 'done' }));
    expect(flow.rehearsal.finished?.status).toBe('done');
  });

  it('adds detail files for a master–detail object and requires the key columns', async () => {
    const { flow } = await flowAt('files');
    await flow.chooseObject('Opportunity');
    expect(flow.detailObjects.map((o) => o.apiName)).toEqual(['OpportunityLine']);
    await flow.addPaths(['/tmp/opps.csv']);
    const d = await flow.addDetail('OpportunityLine');
    expect(flow.blocker('files')).toEqual({ key: 'imp.block.detailFiles', params: { object: 'Opportunity Line' } });
    await flow.addPaths(['/tmp/lines.csv'], d);
    expect(flow.blocker('files')).toEqual({ key: 'imp.block.masterKey' });
    flow.masterKey = '客户名称';
    d.masterColumn = 'Notes';
    expect(flow.blocker('files')).toBeNull();
    expect(flow.request()).toMatchObject({ masterKey: '客户名称', details: [{ object: 'OpportunityLine', masterColumn: 'Notes', files: [{ path: '/tmp/lines.csv' }] }] });
  });
});

describe('ImportFlow with missed or early events', () => {
  it('takes an import that finished before StartImport returned', async () => {
    const bus = fakeEvents();
    const api = createFakeApi({ on: bus.on });
    api.StartImport.mockImplementation(async () => {
      bus.emit('job:finished', jobEvent({ jobId: 'fast', status: 'done', succeeded: 117 }));
      return 'fast';
    });
    const flow = new ImportFlow(api);
    flow.attach();
    await flow.loadObjects('sandbox');
    await flow.chooseObject('Account');
    await flow.next();
    await flow.addPaths(['/tmp/accounts.csv']);
    await flow.next();
    await flow.next();
    await flow.send();
    expect(flow.step).toBe('result');
    expect(flow.importRun.finished?.succeeded).toBe(117);
  });

  it('finds a finished import by GetJob when no event came', async () => {
    vi.useFakeTimers();
    try {
      const api = createFakeApi();
      const flow = new ImportFlow(api);
      flow.pollMs = 100;
      await flow.loadObjects('sandbox');
      await flow.chooseObject('Account');
      await flow.next();
      await flow.addPaths(['/tmp/accounts.csv']);
      await flow.next();
      await flow.next();
      await flow.send();
      expect(flow.step).toBe('send');
      await vi.advanceTimersByTimeAsync(150);
      expect(api.GetJob).toHaveBeenCalledWith('i1');
      expect(flow.step).toBe('result');
      expect(flow.importRun.finished).toMatchObject({ status: 'done', succeeded: 118, failed: 2 });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('ImportFlow with files first', () => {
  it('keeps files given before the target, and asks for the target before going on', async () => {
    const flow = new ImportFlow(createFakeApi());
    await flow.loadObjects('sandbox');
    flow.step = 'files';
    await flow.addPaths(['/tmp/accounts.csv']);
    expect(flow.blocker('files')).toEqual({ key: 'imp.block.object' });
    expect(await flow.next()).toBe(false);
    await flow.goTo('target');
    await flow.chooseObject('Account');
    await flow.next();
    expect(flow.files).toHaveLength(1);
    expect(await flow.next()).toBe(true);
    expect(flow.step).toBe('mapping');
  });
});

describe('ImportFlow opening files from outside', () => {
  it('guesses the object from the header and goes straight to the mapping board', async () => {
    const api = createFakeApi({ GuessObject: async () => 'Account' });
    const flow = new ImportFlow(api);
    flow.mode = 'update';
    await flow.openFiles('sandbox', ['/data/accounts.csv']);
    expect(api.GuessObject).toHaveBeenCalledWith('sandbox', ['客户名称', '行业', '年收入', 'Notes']);
    expect(flow.step).toBe('mapping');
    expect(flow.object).toBe('Account');
    expect(flow.mode).toBe('insert');
    expect(flow.files.map((f) => f.path)).toEqual(['/data/accounts.csv']);
    expect(api.SuggestMapping).toHaveBeenCalledWith('sandbox', 'Account', flow.header);
    expect(flow.boardReady).toBe(true);
    expect(flow.mapping.columns).toEqual({ 客户名称: { field: 'name' }, 行业: { field: 'industry' } });
    expect(flow.guessed).toBe('Account');
    await flow.goTo('target');
    await flow.chooseObject('Contact');
    expect(flow.guessed).toBe('');
  });

  it('keeps the files waiting for the target when nothing fits, as before', async () => {
    const api = createFakeApi({ GuessObject: async () => '' });
    const flow = new ImportFlow(api);
    await flow.openFiles('sandbox', ['/data/accounts.csv']);
    expect(api.GuessObject).toHaveBeenCalledTimes(1);
    expect(flow.object).toBe('');
    expect(flow.guessed).toBe('');
    expect(flow.step).toBe('files');
    expect(flow.files).toHaveLength(1);
    expect(flow.blocker('files')).toEqual({ key: 'imp.block.object' });
    expect(api.SuggestMapping).not.toHaveBeenCalled();
  });

  it('treats a failing guess as no guess', async () => {
    const api = createFakeApi({ GuessObject: async () => Promise.reject(new Error('offline')) });
    const flow = new ImportFlow(api);
    await flow.openFiles('sandbox', ['/data/accounts.csv']);
    expect(flow.object).toBe('');
    expect(flow.files).toHaveLength(1);
    expect(flow.appError).toBeNull();
  });

  it('never replaces an object the user chose, before or while guessing', async () => {
    const api = createFakeApi({ GuessObject: async () => 'Account' });
    const flow = new ImportFlow(api);
    await flow.loadObjects('sandbox');
    await flow.chooseObject('Contact');
    await flow.openFiles('sandbox', ['/data/a.csv']);
    expect(api.GuessObject).not.toHaveBeenCalled();
    expect(flow.object).toBe('Contact');
    expect(flow.step).toBe('files');

    // The user picks an object while Go is still guessing.
    let answer: (o: string) => void = () => {};
    const slow = createFakeApi({ GuessObject: () => new Promise<string>((r) => (answer = r)) });
    const other = new ImportFlow(slow);
    const opening = other.openFiles('sandbox', ['/data/b.csv']);
    await vi.waitFor(() => expect(slow.GuessObject).toHaveBeenCalled());
    await other.chooseObject('Product');
    answer('Account');
    await opening;
    expect(other.object).toBe('Product');
    expect(other.step).toBe('files');
    expect(slow.DescribeObject).toHaveBeenCalledTimes(1);
  });

  it('leaves a flow past the files step alone', async () => {
    const { flow, api } = await flowAt('mapping', { GuessObject: async () => 'Contact' });
    await flow.openFiles('sandbox', ['/data/other.csv']);
    expect(api.InspectFile).toHaveBeenCalledTimes(1);
    expect(flow.step).toBe('mapping');
    expect(flow.object).toBe('Account');
  });
});
