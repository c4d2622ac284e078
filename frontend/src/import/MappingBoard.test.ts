import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { locale } from '$lib/i18n';
import { account, accountFile, accountSuggestion, createFakeApi } from '../test/fakeApi';
import { renderPage } from '../test/render';
import { MappingModel } from './mapping.svelte';
import MappingBoard from './MappingBoard.svelte';

beforeEach(() => locale.set('en'));

function setup(mode = 'insert', recordKey = '') {
  const model = new MappingModel();
  model.init(account, accountFile.header, accountFile.sample, structuredClone(accountSuggestion));
  const api = createFakeApi();
  const file = { path: accountFile.path, encoding: 'gb18030', delimiter: ',' };
  return { model, api, render: () => renderPage(MappingBoard, api, { props: { model, mode, recordKey, file, connection: 'sandbox' } }) };
}

/** A drag's dataTransfer, as jsdom has none. */
function transfer() {
  const data = new Map<string, string>();
  return { setData: (k: string, v: string) => data.set(k, v), getData: (k: string) => data.get(k) ?? '', effectAllowed: '', dropEffect: '' };
}

const field = (name: string) => screen.getByRole('listitem', { name: `Field ${name}` });
const column = (name: string) => screen.getByRole('listitem', { name: `Column ${name}` });

describe('MappingBoard', () => {
  it('shows auto-matched pairs with their confidence and reason, and ignored columns', async () => {
    const { render } = setup();
    await render();
    expect(within(column('客户名称')).getByText('100% · Chinese label')).toBeInTheDocument();
    expect(within(column('行业')).getByText('95% · Chinese label')).toBeInTheDocument();
    expect(within(column('Notes')).getByText('Ignored')).toBeInTheDocument();
    expect(within(column('年收入')).getByRole('button', { name: 'Suggested: Annual Revenue (62%)' })).toBeInTheDocument();
    expect(within(column('行业')).getByText('科技 · Bank · Tech')).toBeInTheDocument();
    expect(within(field('name')).getByText(/客户名称/)).toBeInTheDocument();
    expect(screen.getByText('2 of 4 mapped')).toBeInTheDocument();
  });

  it('maps by dragging a column onto a field, and unmaps by dragging back', async () => {
    const { render, model } = setup();
    await render();
    const dt = transfer();
    await fireEvent.dragStart(within(column('年收入')).getByLabelText('Drag column 年收入'), { dataTransfer: dt });
    await fireEvent.dragOver(field('annual_revenue'), { dataTransfer: dt });
    await fireEvent.drop(field('annual_revenue'), { dataTransfer: dt });
    expect(model.columns['年收入']).toEqual({ field: 'annual_revenue' });
    expect(within(field('annual_revenue')).getByText(/年收入/)).toBeInTheDocument();
    expect(within(column('年收入')).getByText('62% · similar spelling')).toBeInTheDocument();

    const back = transfer();
    await fireEvent.dragStart(within(field('annual_revenue')).getByText(/年收入/), { dataTransfer: back });
    await fireEvent.drop(screen.getByRole('region', { name: 'File columns' }), { dataTransfer: back });
    expect(model.columns['年收入']).toBeUndefined();
    expect(within(column('年收入')).getByText('Ignored')).toBeInTheDocument();
  });

  it('on a detail board, does not ask for a column for the master–detail field the master column fills', async () => {
    const line = {
      ...account,
      apiName: 'OpportunityLine',
      fields: [
        ...account.fields,
        { apiName: 'opportunity_id', labelEn: 'Opportunity', labelZh: '商机', type: 'master_detail', column: 'opportunity_id', required: true, unique: false, system: false, target: 'Opportunity' },
      ],
    } as typeof account;
    const model = new MappingModel();
    model.init(line, accountFile.header, accountFile.sample, structuredClone(accountSuggestion));
    const file = { path: accountFile.path, encoding: 'gb18030', delimiter: ',' };
    const api = createFakeApi();
    await renderPage(MappingBoard, api, { props: { model, mode: 'insert', recordKey: '', file, connection: 'sandbox', masterColumn: 'Notes' } });
    expect(screen.queryByText(/required fields? (has|have) no column/)).toBeNull();
    expect(within(field('opportunity_id')).getByText('Linked by “Notes”')).toBeInTheDocument();
    expect(within(field('opportunity_id')).queryByText('Required — not mapped')).toBeNull();
  });

  it('flags unmapped required fields; × and the keyboard select map and unmap', async () => {
    const user = userEvent.setup();
    const { render, model } = setup();
    await render();
    expect(screen.queryByText('1 required field has no column.')).toBeNull();
    await user.click(within(field('name')).getByRole('button', { name: 'Unmap 客户名称' }));
    expect(screen.getByRole('alert')).toHaveTextContent('1 required field has no column.');
    expect(within(field('name')).getByText('Required — not mapped')).toBeInTheDocument();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Field for column Notes' }), 'name');
    expect(model.columns.Notes).toEqual({ field: 'name' });
    expect(within(column('Notes')).getByText('Chosen by you')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('needs only the key in update mode', async () => {
    const { render, model } = setup('update', 'account_no');
    model.unmap('客户名称');
    await render();
    expect(within(field('account_no')).getByText('Required — not mapped')).toBeInTheDocument();
    expect(within(field('name')).queryByText('Required — not mapped')).toBeNull();
  });

  it('filters fields and sets per-column options', async () => {
    const user = userEvent.setup();
    const { render, model } = setup();
    await render();
    await user.type(screen.getByRole('searchbox', { name: 'Search fields' }), 'revenue');
    expect(screen.getAllByRole('listitem', { name: /^Field / })).toHaveLength(1);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Field for column 年收入' }), 'annual_revenue');
    await user.click(screen.getByRole('button', { name: 'Options of 年收入' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Number format' }), '1.234,56');
    await user.selectOptions(screen.getByRole('combobox', { name: 'A blank cell means' }), 'keep');
    expect(model.columns['年收入']).toEqual({ field: 'annual_revenue', numberLocale: '1.234,56', blank: 'keep' });
    expect(screen.queryByRole('combobox', { name: 'Date format' })).toBeNull();
  });

  it('edits the value map of a picklist column from the file’s distinct values', async () => {
    const user = userEvent.setup();
    const { render, model, api } = setup();
    await render();
    await user.click(screen.getByRole('button', { name: 'Options of 行业' }));
    const table = await screen.findByRole('table', { name: 'Value map of 行业' });
    expect(api.ColumnValues).toHaveBeenCalledWith({ path: accountFile.path, encoding: 'gb18030', delimiter: ',' }, '行业', 200);
    // Pre-filled where a value names an option by value or label.
    expect(within(table).getByRole('combobox', { name: 'Option for 科技' })).toHaveValue('Technology');
    expect(within(table).getByRole('combobox', { name: 'Option for Finance' })).toHaveValue('Finance');
    expect(within(table).getByRole('combobox', { name: 'Option for Tech' })).toHaveValue('');
    expect(screen.getByText('2 values not mapped')).toBeInTheDocument();
    await user.selectOptions(within(table).getByRole('combobox', { name: 'Option for Tech' }), 'Technology');
    await user.selectOptions(within(table).getByRole('combobox', { name: 'Option for Bank' }), 'Finance');
    await waitFor(() => expect(screen.getByText('Every value maps to an option')).toBeInTheDocument());
    expect(model.columns['行业'].valueMap).toEqual({ 科技: 'Technology', Tech: 'Technology', Bank: 'Finance' });
  });

  it('chooses how a lookup column finds its record, including by a unique field of the target', async () => {
    const user = userEvent.setup();
    const { render, model, api } = setup();
    await render();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Field for column Notes' }), 'parent_account_id');
    await user.click(screen.getByRole('button', { name: 'Options of Notes' }));
    const by = screen.getByRole('combobox', { name: 'Find the Account by' });
    await waitFor(() => expect(within(by).getByRole('option', { name: 'Account Number (account_no) · Unique' })).toBeInTheDocument());
    expect(api.DescribeObject).toHaveBeenCalledWith('sandbox', 'Account');
    // Only what identifies one record: auto, ID, primary attribute, unique fields.
    expect(within(by).queryByRole('option', { name: /Industry/ })).not.toBeInTheDocument();
    expect(within(by).getAllByRole('option').every((o) => /Unique|ID|Primary|Automatic|auto/i.test(o.textContent ?? ''))).toBe(true);
    await user.selectOptions(by, 'account_no');
    expect(model.columns.Notes).toEqual({ field: 'parent_account_id', lookupBy: 'account_no' });
    // The target is named by its label, in Chinese too.
    locale.set('zh');
    await waitFor(() => expect(screen.getByRole('combobox', { name: '查找 客户 的依据' })).toBeInTheDocument());
  });
});
