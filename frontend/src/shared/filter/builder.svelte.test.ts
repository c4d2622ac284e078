import { describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import type { Field, FilterForms } from '$lib/api';
import { AppError } from '$lib/api/errors';
import fixture from './testdata/account-filters.json';
import { FilterBuilder, type FilterApi } from './builder.svelte';
import ConditionBuilder from './ConditionBuilder.svelte';

const fields = fixture.fields as Field[];

/** Go's two conversions, replayed from the fixture Go wrote (unknown text: Go's refusal). */
function goApi(): FilterApi & { FilterFromText: ReturnType<typeof vi.fn>; FilterFromJSON: ReturnType<typeof vi.fn> } {
  const byText = new Map(fixture.cases.map((c) => [c.text, JSON.stringify(c.json)]));
  const byJson = new Map(fixture.cases.map((c) => [JSON.stringify(c.json), c.text]));
  return {
    FilterFromText: vi.fn(async (_c: string, _o: string, text: string): Promise<FilterForms> => {
      const json = byText.get(text.trim());
      if (!json) throw new AppError('invalid', `line 1, column 1: cannot read “${text}”`);
      return { text: text.trim(), json };
    }),
    FilterFromJSON: vi.fn(async (_c: string, _o: string, json: string): Promise<FilterForms> => {
      if (json === 'null') return { text: '', json: 'null' };
      const text = byJson.get(json);
      if (text === undefined) throw new AppError('invalid', `not in the fixture: ${json}`);
      return { text, json };
    }),
  };
}

function builder() {
  const api = goApi();
  const b = new FilterBuilder(api);
  b.reset('sandbox', 'Account', fields);
  return { b, api };
}

describe('FilterBuilder', () => {
  it('builds industry in two values AND founded before a date, and Go writes its text', async () => {
    const { b } = builder();
    const c1 = b.addCondition()!;
    b.setField(c1.id, 'industry');
    b.setOp(c1.id, 'in');
    b.setValues(c1.id, ['Manufacturing', 'Retail']);
    const c2 = b.addCondition()!;
    b.setField(c2.id, 'founded_on');
    b.setOp(c2.id, '<');
    b.setValue(c2.id, '2010-01-01');
    expect(b.problems).toEqual([]);
    expect(await b.whereText()).toBe("industry IN ('Manufacturing', 'Retail') AND founded_on < 2010-01-01");
  });

  it('offers no related-team field and resets a bad operator when the field changes', () => {
    const { b } = builder();
    expect(b.choices.some((f) => f.type === 'related_team')).toBe(false);
    const c = b.addCondition()!;
    b.setField(c.id, 'name');
    b.setOp(c.id, 'like');
    b.setField(c.id, 'is_key_account');
    expect(b.root.items[0]).toMatchObject({ field: 'is_key_account', op: '=' });
  });

  it('nests one level, not two', () => {
    const { b } = builder();
    const g = b.addGroup()!;
    expect(g.join).toBe('or');
    expect(b.canNest(g.id)).toBe(false);
    expect(b.addGroup(g.id)).toBeNull();
  });

  it('is not ready while a value is invalid', async () => {
    const { b, api } = builder();
    const c = b.addCondition()!;
    b.setField(c.id, 'employees');
    b.setOp(c.id, '>');
    b.setValue(c.id, 'many');
    expect(b.problems.map((p) => p.key)).toEqual(['filter.err.integer']);
    expect(b.jsonText).toBeNull();
    expect(await b.whereText()).toBeNull();
    expect(api.FilterFromJSON).not.toHaveBeenCalled();
  });

  it.each(fixture.cases.map((c) => [c.text]))('text → builder → text: %s', async (text) => {
    const { b } = builder();
    b.mode = 'text';
    b.text = text;
    await b.showBuilder();
    expect(b.mode).toBe('builder');
    expect(b.error).toBe('');
    await b.showText();
    expect(b.text).toBe(text);
  });

  it('shows Go’s words for text it refuses and stays on the text', async () => {
    const { b } = builder();
    b.mode = 'text';
    b.text = "founded_on < 'yesterday'";
    await b.showBuilder();
    expect(b.mode).toBe('text');
    expect(b.error).toMatch(/cannot read/);
  });

  it('keeps NOT as text', async () => {
    const api = goApi();
    api.FilterFromText.mockResolvedValueOnce({ text: "NOT name = 'A'", json: '{"op":"not","args":[{"op":"=","field":"name","value":"A"}]}' });
    const b = new FilterBuilder(api);
    b.reset('sandbox', 'Account', fields);
    b.mode = 'text';
    b.text = "NOT name = 'A'";
    await b.showBuilder();
    expect(b.textOnly).toBe(true);
    expect(b.mode).toBe('text');
    expect(await b.whereText()).toBeNull(); // the fake knows it once only
  });
});

describe('ConditionBuilder', () => {
  it('offers operators by type and a date picker for dates', async () => {
    const { b } = builder();
    render(ConditionBuilder, { props: { b } });
    await fireEvent.click(screen.getByRole('button', { name: '+ Condition' }));
    const [field] = screen.getAllByRole('combobox', { name: 'Field' });
    await fireEvent.change(field, { target: { value: 'founded_on' } });
    const ops = screen.getByRole('combobox', { name: 'Operator' }) as HTMLSelectElement;
    expect([...ops.options].map((o) => o.value)).toEqual(['=', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'is null', 'is not null']);
    expect((screen.getByLabelText('Value') as HTMLInputElement).type).toBe('date');
    await fireEvent.change(field, { target: { value: 'industry' } });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Operator' }), { target: { value: 'in' } });
    expect(screen.getByRole('checkbox', { name: 'Retail' })).toBeInTheDocument();
  });
});
