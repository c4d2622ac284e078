import { describe, expect, it, beforeEach, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import type { Field } from '$lib/api';
import { AppError } from '$lib/api/errors';
import { locale } from '$lib/i18n';
import { createFakeApi, fakeRecords } from '../../test/fakeApi';
import fixture from './testdata/account-filters.json';
import { FilterBuilder } from './builder.svelte';
import ConditionBuilder from './ConditionBuilder.svelte';

const fields = fixture.fields as Field[];
const [acme, acmeTrading, beijing] = fakeRecords;

beforeEach(() => locale.set('en'));

/** A builder over the fake API with one condition on the parent account lookup. */
async function lookupCondition(op: '=' | 'in' = '=') {
  const api = createFakeApi();
  const b = new FilterBuilder(api);
  b.reset('sandbox', 'Account', fields);
  const c = b.addCondition()!;
  b.setField(c.id, 'parent_account_id');
  b.setOp(c.id, op);
  render(ConditionBuilder, { props: { b } });
  return { api, b, c };
}

describe('lookup values by name', () => {
  it('searches as you type (once, debounced), shows names and stores the chosen ID', async () => {
    const user = userEvent.setup();
    const { api, b, c } = await lookupCondition();
    await user.type(screen.getByRole('combobox', { name: 'Find Account records by name' }), 'acme');
    expect(await screen.findByRole('option', { name: /Acme Trading/ })).toBeInTheDocument();
    expect(api.SearchRecords).toHaveBeenCalledTimes(1);
    expect(api.SearchRecords).toHaveBeenCalledWith('sandbox', 'Account', 'acme');
    expect(screen.getByRole('option', { name: /Acme Ltd/ })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: 'Use “acme” as the record ID' })).toBeInTheDocument();
    await user.click(screen.getByRole('option', { name: /Acme Trading/ }));
    expect(b.root.items[0]).toMatchObject({ id: c.id, value: acmeTrading.id });
    expect(screen.getByTestId('lookup-chosen')).toHaveTextContent('Acme Trading');
    expect(screen.queryByRole('combobox', { name: /Find Account records/ })).not.toBeInTheDocument();
    expect(b.problems).toEqual([]);
    expect(b.json).toEqual({ op: '=', field: 'parent_account_id', value: acmeTrading.id });
    // Choosing again: remove the chosen record, and the search is back.
    await user.click(screen.getByRole('button', { name: 'Remove Acme Trading' }));
    expect(b.root.items[0]).toMatchObject({ value: '' });
    expect(screen.getByRole('combobox', { name: /Find Account records/ })).toBeInTheDocument();
  });

  it('shows a chosen ID by its name, and says when no record has it', async () => {
    const { api, b, c } = await lookupCondition();
    b.setValue(c.id, beijing.id);
    expect(await screen.findByText('北京云科技')).toBeInTheDocument();
    expect(api.RecordNames).toHaveBeenCalledWith('sandbox', 'Account', [beijing.id]);
    b.setValue(c.id, '00000000-0000-4000-8000-00000000dead');
    expect(await screen.findByText('no record has the ID 00000000-0000-4000-8000-00000000dead')).toBeInTheDocument();
  });

  it('chooses several records for "is one of", by keyboard too', async () => {
    const user = userEvent.setup();
    const { b } = await lookupCondition('in');
    const box = screen.getByRole('combobox', { name: /Find Account records/ });
    await user.type(box, 'acme');
    await screen.findByRole('option', { name: /Acme Ltd/ });
    await user.keyboard('{ArrowDown}{Enter}');
    await user.type(box, '云');
    await screen.findByRole('option', { name: /北京云科技/ });
    await user.keyboard('{Enter}');
    expect(b.root.items[0]).toMatchObject({ values: [acme.id, beijing.id] });
    expect(screen.getAllByTestId('lookup-chosen').map((e) => e.textContent?.replace('✕', '').trim())).toEqual(['Acme Ltd', '北京云科技']);
    expect(b.json).toEqual({ op: 'in', field: 'parent_account_id', values: [acme.id, beijing.id] });
  });

  it('says when nothing matches, and shows a refused search in plain words', async () => {
    const user = userEvent.setup();
    const { api } = await lookupCondition();
    const box = screen.getByRole('combobox', { name: /Find Account records/ });
    await user.type(box, 'zzz');
    expect(await screen.findByText('No Account record has “zzz” in its name')).toBeInTheDocument();
    api.SearchRecords.mockRejectedValueOnce(new AppError('invalid', 'the search text is not valid UTF-8'));
    await user.type(box, 'x');
    expect(await screen.findByText(/the search text is not valid UTF-8/)).toBeInTheDocument();
  });

  it('speaks Chinese', async () => {
    locale.set('zh');
    const user = userEvent.setup();
    await lookupCondition();
    const box = screen.getByRole('combobox', { name: '按名称查找Account记录' });
    expect(box).toHaveAttribute('placeholder', '输入名称的一部分…');
    await user.type(box, 'qq');
    expect(await screen.findByText('没有名称含“qq”的Account记录')).toBeInTheDocument();
  });

  it('names the target by the label the page gives it, not its API name', async () => {
    locale.set('zh');
    const user = userEvent.setup();
    const api = createFakeApi();
    const b = new FilterBuilder(api);
    b.objectLabel = (name) => (name === 'Account' ? '客户' : name);
    b.reset('sandbox', 'Account', fields);
    const c = b.addCondition()!;
    b.setField(c.id, 'parent_account_id');
    render(ConditionBuilder, { props: { b } });
    const box = screen.getByRole('combobox', { name: '按名称查找客户记录' });
    await user.type(box, 'qq');
    expect(await screen.findByText('没有名称含“qq”的客户记录')).toBeInTheDocument();
    expect(api.SearchRecords).toHaveBeenCalledWith('sandbox', 'Account', 'qq');
  });

  it('keeps the ID field without a search when the API has none', async () => {
    const api = { FilterFromText: vi.fn(), FilterFromJSON: vi.fn() };
    const b = new FilterBuilder(api);
    b.reset('sandbox', 'Account', fields);
    const c = b.addCondition()!;
    b.setField(c.id, 'parent_account_id');
    render(ConditionBuilder, { props: { b } });
    await waitFor(() => expect(screen.getByLabelText('Value')).toHaveAttribute('placeholder', 'Record ID'));
  });
});
