import { screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { locale } from '$lib/i18n';
import { createFakeApi, fakeEvents, job, jobEvent, problemRows } from '../test/fakeApi';
import { renderPage } from '../test/render';
import ImportPage from './ImportPage.svelte';

beforeEach(() => locale.set('en'));

describe('ImportPage', () => {
  it('walks target → files → mapping → preview → send → result', async () => {
    const user = userEvent.setup();
    const bus = fakeEvents();
    const api = createFakeApi({ on: bus.on });
    const { ctx } = await renderPage(ImportPage, api, { page: 'import' });
    const off = ctx.importFlow.attach();
    const next = () => screen.getByRole('button', { name: /^Next/ });

    // Target: Next is blocked with the reason shown.
    expect(screen.getByRole('button', { name: /Target/, current: 'step' })).toBeInTheDocument();
    expect(next()).toBeDisabled();
    expect(screen.getByText('Choose the object to import into.')).toBeInTheDocument();
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Object' }), 'Account');
    await user.click(screen.getByRole('radio', { name: /Add or update/ }));
    const key = screen.getByRole('combobox', { name: 'Find existing records by' });
    expect(within(key).getByRole('option', { name: 'Primary attribute (Account Name)' })).toBeEnabled();
    await user.selectOptions(key, 'account_no');
    await waitFor(() => expect(next()).toBeEnabled());
    await user.click(next());

    // Files: browse (browser mode: file input + upload).
    expect(screen.getByText('No files yet.')).toBeInTheDocument();
    await user.upload(screen.getByTestId('file-input'), new File(['x'], 'accounts.csv', { type: 'text/csv' }));
    const card = await screen.findByRole('article', { name: 'File accounts.csv' });
    expect(api.upload).toHaveBeenCalled();
    expect(within(card).getByRole('combobox', { name: 'Encoding' })).toHaveValue('gb18030');
    expect(within(card).getByText(/120 rows/)).toBeInTheDocument();
    expect(within(card).getByRole('table', { name: 'First rows of accounts.csv' })).toHaveTextContent('招商银行');
    await user.click(next());

    // Mapping: the key field must be mapped in upsert mode.
    await screen.findByRole('region', { name: 'Fields' });
    expect(screen.getByText('Map the required fields first: Account Number.')).toBeInTheDocument();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Field for column Notes' }), 'account_no');
    await user.click(screen.getByRole('button', { name: /Check every row/ }));

    // Preview: problems with counts; send the rest.
    expect(api.StartValidate).toHaveBeenCalled();
    const grid = await screen.findByRole('grid', { name: 'Rows with problems' });
    expect(grid).toBeInTheDocument();
    expect(screen.getByText('3 of 120 rows have problems.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Not an option/ })).toBeInTheDocument();
    expect(screen.getByText('3 rows with problems will be skipped and reported; 117 rows will be sent.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Send 117 rows' }));

    // Send: live progress, then the result.
    expect(await screen.findByRole('heading', { name: 'Sending' })).toBeInTheDocument();
    // The total is the preview's count (all 120 rows: the bad ones fail), done adds up.
    bus.emit('job:progress', jobEvent({ done: 59, total: 70, rowsPerSec: 20, succeeded: 58, failed: 2 }));
    expect(await screen.findByText('50%')).toBeInTheDocument();
    expect(screen.getByText('60 / 120')).toBeInTheDocument();
    expect(screen.getByText('3.0 s')).toBeInTheDocument();
    expect(screen.getByText('20 rows/s')).toBeInTheDocument();
    api.GetJob.mockImplementation(async (id: string) => ({
      ...job({ jobId: id, total: 117, succeeded: 115, failed: 2, added: 100, updated: 15 }),
      events: [], errorReport: '/tmp/r.csv', errorReports: [],
    }));
    bus.emit('job:finished', jobEvent({ status: 'done', done: 117, total: 117, succeeded: 115, failed: 2 }));
    expect(await screen.findByRole('heading', { name: 'Result' })).toBeInTheDocument();
    // An upsert's result splits the succeeded rows into added and updated.
    expect((await screen.findByText('Added')).nextElementSibling).toHaveTextContent('100');
    expect(screen.getByText('Updated').nextElementSibling).toHaveTextContent('15');
    await user.click(screen.getByRole('button', { name: 'Download error report' }));
    expect(api.saveErrorReport).toHaveBeenCalledWith('i1', '');
    await user.click(screen.getByRole('button', { name: /Send the .* failed rows again/ }));
    expect(api.RestartJob).toHaveBeenCalledWith('i1', true);
    expect(await screen.findByRole('heading', { name: 'Sending' })).toBeInTheDocument();
    off();
  }, 30_000);

  it('suggests a saved preset whose headers match and loads it', async () => {
    const user = userEvent.setup();
    const api = createFakeApi();
    api.SuggestMapping.mockImplementation(async () => ({
      ...(await createFakeApi().SuggestMapping('', '', [])),
      presets: [{ name: 'Accounts CN', object: 'Account', mode: 'insert', columns: 4, updatedAt: '' }],
    }));
    const { ctx } = await renderPage(ImportPage, api, { page: 'import' });
    const flow = ctx.importFlow;
    await flow.loadObjects('sandbox');
    await flow.chooseObject('Account');
    await flow.next();
    await flow.addPaths(['/tmp/accounts.csv']);
    await flow.next();
    await user.click(await screen.findByRole('button', { name: 'Use “Accounts CN”' }));
    expect(await screen.findByText('Preset “Accounts CN” loaded.')).toBeInTheDocument();
    expect(flow.mapping.columns['年收入']).toEqual({ field: 'annual_revenue', numberLocale: '1.234,56' });
    await user.click(screen.getByRole('button', { name: 'Save as…' }));
    await user.type(screen.getByLabelText('Preset name'), 'Mine');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.SavePreset).toHaveBeenCalledWith('Mine', expect.objectContaining({ object: 'Account' }), ['客户名称', '行业', '年收入', 'Notes']);
    expect(await screen.findByRole('button', { name: 'Update “Mine”' })).toBeInTheDocument();
  }, 20_000);

  it('keeps the chosen mode and key when a preset carries others, and says so', async () => {
    const user = userEvent.setup();
    const api = createFakeApi();
    api.SuggestMapping.mockImplementation(async () => ({
      ...(await createFakeApi().SuggestMapping('', '', [])),
      presets: [{ name: 'Accounts CN', object: 'Account', mode: 'insert', columns: 4, updatedAt: '' }],
    }));
    const { ctx } = await renderPage(ImportPage, api, { page: 'import' });
    const flow = ctx.importFlow;
    await flow.loadObjects('sandbox');
    await flow.chooseObject('Account');
    flow.setMode('upsert');
    flow.key = 'account_no';
    await flow.next();
    await flow.addPaths(['/tmp/accounts.csv']);
    await flow.next();
    await user.click(await screen.findByRole('button', { name: 'Use “Accounts CN”' }));
    const alert = await screen.findByText(/saved for “Add new”; you chose “Add or update by Account Number”/);
    expect(alert).toBeInTheDocument();
    expect(flow.mode).toBe('upsert');
    expect(flow.key).toBe('account_no');
    await user.click(screen.getByRole('button', { name: 'Keep mine' }));
    expect(screen.queryByText(/saved for “Add new”/)).not.toBeInTheDocument();
    expect(flow.mode).toBe('upsert');
    // Saving over an existing name asks first.
    await user.click(screen.getByRole('button', { name: 'Save as…' }));
    await user.type(screen.getByLabelText('Preset name'), 'Accounts CN');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.SavePreset).not.toHaveBeenCalled();
    expect(screen.getByText(/exists already/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Replace' }));
    expect(api.SavePreset).toHaveBeenCalledWith('Accounts CN', expect.objectContaining({ mode: 'upsert', key: 'account_no' }), expect.anything());
  }, 20_000);

  it('takes the preset mode and key only when asked', async () => {
    const user = userEvent.setup();
    const api = createFakeApi();
    api.SuggestMapping.mockImplementation(async () => ({
      ...(await createFakeApi().SuggestMapping('', '', [])),
      presets: [{ name: 'Accounts CN', object: 'Account', mode: 'insert', columns: 4, updatedAt: '' }],
    }));
    api.GetPreset.mockImplementation(async (name: string) => ({ name, object: 'Account', mode: 'update', key: 'account_no', columns: { 客户名称: { field: 'name' } } }));
    const { ctx } = await renderPage(ImportPage, api, { page: 'import' });
    const flow = ctx.importFlow;
    await flow.loadObjects('sandbox');
    await flow.chooseObject('Account');
    await flow.next();
    await flow.addPaths(['/tmp/accounts.csv']);
    await flow.next();
    await user.click(await screen.findByRole('button', { name: 'Use “Accounts CN”' }));
    expect(flow.mode).toBe('insert');
    await user.click(await screen.findByRole('button', { name: 'Use “Update existing by Account Number”' }));
    expect(flow.mode).toBe('update');
    expect(flow.key).toBe('account_no');
  }, 20_000);

  it('saves a master–detail preset with its details and key columns, and restores them', async () => {
    const user = userEvent.setup();
    const api = createFakeApi();
    const { ctx } = await renderPage(ImportPage, api, { page: 'import' });
    const flow = ctx.importFlow;
    await flow.loadObjects('sandbox');
    await flow.chooseObject('Opportunity');
    await flow.next();
    await flow.addPaths(['/tmp/opps.csv']);
    let d = await flow.addDetail('OpportunityLine');
    await flow.addPaths(['/tmp/lines.csv'], d);
    flow.masterKey = '客户名称';
    d.masterColumn = 'Notes';
    expect(await flow.next()).toBe(true);
    await screen.findByRole('region', { name: 'Fields' });
    d.mapping.unmap('行业');
    d.mapping.map('年收入', 'annual_revenue');
    d.mapping.setOption('年收入', 'numberLocale', '1.234,56');
    const lineColumns = { 客户名称: { field: 'name' }, 年收入: { field: 'annual_revenue', numberLocale: '1.234,56' } };
    await user.click(screen.getByRole('button', { name: 'Save as…' }));
    await user.type(screen.getByLabelText('Preset name'), 'Opps');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.SavePreset).toHaveBeenCalledWith(
      'Opps',
      expect.objectContaining({ object: 'Opportunity', masterKey: '客户名称', details: [{ object: 'OpportunityLine', masterColumn: 'Notes', columns: lineColumns }] }),
      ['客户名称', '行业', '年收入', 'Notes'],
    );

    // The same files again with other key columns: the preset brings back its own.
    flow.startOver();
    await flow.addPaths(['/tmp/opps.csv']);
    d = await flow.addDetail('OpportunityLine');
    await flow.addPaths(['/tmp/lines.csv'], d);
    flow.masterKey = 'Notes';
    d.masterColumn = '客户名称';
    expect(await flow.next()).toBe(true);
    await waitFor(() => expect(d.mapping.columns).toEqual({ 客户名称: { field: 'name' }, 行业: { field: 'industry' } }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Preset' }), 'Opps');
    await user.click(screen.getByRole('button', { name: 'Load' }));
    expect(await screen.findByText('Preset “Opps” loaded.')).toBeInTheDocument();
    expect(flow.masterKey).toBe('客户名称');
    expect(d.masterColumn).toBe('Notes');
    expect(d.mapping.columns).toEqual(lineColumns);

    // Loaded before the detail file is added: it says so, and the file takes it when it comes.
    flow.startOver();
    await flow.addPaths(['/tmp/opps.csv']);
    flow.masterKey = '';
    await flow.next();
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Preset' }), 'Opps');
    await user.click(screen.getByRole('button', { name: 'Load' }));
    expect(await screen.findByText('Preset “Opps” loaded. It also maps Opportunity Line: add that file on the Files step to use it.')).toBeInTheDocument();
    expect(flow.masterKey).toBe('客户名称');
    await flow.goTo('files');
    d = await flow.addDetail('OpportunityLine');
    await flow.addPaths(['/tmp/lines.csv'], d);
    expect(d.masterColumn).toBe('Notes');
    expect(await flow.next()).toBe(true);
    expect(d.mapping.columns).toEqual(lineColumns);
  }, 20_000);

  it('names the object by its label in sentences, in Chinese too', async () => {
    locale.set('zh');
    const { ctx } = await renderPage(ImportPage, createFakeApi(), { page: 'import' });
    const flow = ctx.importFlow;
    await flow.loadObjects('sandbox');
    await flow.chooseObject('Account');
    await flow.next();
    expect(await screen.findByText('导入到 客户')).toBeInTheDocument();
    locale.set('en');
  }, 20_000);

  it('words one problem row in the singular', async () => {
    const api = createFakeApi({ GetProblems: problemRows(1) });
    const { ctx } = await renderPage(ImportPage, api, { page: 'import' });
    const flow = ctx.importFlow;
    await flow.loadObjects('sandbox');
    await flow.chooseObject('Account');
    await flow.next();
    await flow.addPaths(['/tmp/accounts.csv']);
    await flow.next();
    await flow.next();
    expect(await screen.findByText('1 of 120 rows has problems.')).toBeInTheDocument();
    expect(screen.getByText('The row with problems will be skipped and reported; 119 rows will be sent.')).toBeInTheDocument();
  }, 20_000);

  it('tells Go each step it shows, the mapping step once its board is built', async () => {
    const api = createFakeApi();
    let suggest: () => void = () => {};
    api.SuggestMapping.mockImplementation(async (c: string, o: string, h: string[]) => {
      await new Promise<void>((r) => (suggest = r));
      return createFakeApi().SuggestMapping(c, o, h);
    });
    const { ctx } = await renderPage(ImportPage, api, { page: 'import' });
    const flow = ctx.importFlow;
    await waitFor(() => expect(api.UIStep).toHaveBeenCalledWith('target'));
    await flow.loadObjects('sandbox');
    await flow.chooseObject('Account');
    await flow.next();
    await waitFor(() => expect(api.UIStep).toHaveBeenLastCalledWith('files'));
    await flow.addPaths(['/tmp/accounts.csv']);
    const going = flow.next();
    expect(await screen.findByText('Loading…')).toBeInTheDocument();
    expect(api.UIStep).not.toHaveBeenCalledWith('mapping');
    suggest();
    await going;
    await waitFor(() => expect(api.UIStep).toHaveBeenLastCalledWith('mapping'));
    // The board is on screen when Go hears of it.
    expect(screen.getByRole('region', { name: 'Fields' })).toBeInTheDocument();
    expect(api.UIStep.mock.calls.map(([s]) => s)).toEqual(['target', 'files', 'mapping']);
  });

  it('does not mind a Go without UIStep', async () => {
    const api = createFakeApi({ UIStep: () => Promise.reject(new Error('no such method')) });
    const { ctx } = await renderPage(ImportPage, api, { page: 'import' });
    await waitFor(() => expect(api.UIStep).toHaveBeenCalledWith('target'));
    await ctx.importFlow.loadObjects('sandbox');
    await ctx.importFlow.chooseObject('Account');
    expect(await ctx.importFlow.next()).toBe(true);
    expect(await screen.findByRole('heading', { name: 'Files' })).toBeInTheDocument();
  });
});
