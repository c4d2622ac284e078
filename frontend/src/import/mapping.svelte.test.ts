import { describe, expect, it } from 'vitest';
import { account, accountFile, accountSuggestion } from '../test/fakeApi';
import { MappingModel } from './mapping.svelte';

function model() {
  const m = new MappingModel();
  m.init(account, accountFile.header, accountFile.sample, structuredClone(accountSuggestion));
  return m;
}

describe('MappingModel', () => {
  it('starts from the auto-accepted pairs and keeps the suggestions', () => {
    const m = model();
    expect(m.columns).toEqual({ 客户名称: { field: 'name' }, 行业: { field: 'industry' } });
    expect(m.suggestions['年收入']).toMatchObject({ field: 'annual_revenue', auto: false });
    expect(m.unmappedHeaders()).toEqual(['年收入', 'Notes']);
    expect(m.samplesOf('行业')).toEqual(['科技', 'Bank', 'Tech']);
  });

  it('moves a field to the column mapped last and unmaps', () => {
    const m = model();
    m.map('Notes', 'name');
    expect(m.headerFor('name')).toBe('Notes');
    expect(m.columns['客户名称']).toBeUndefined();
    m.unmap('Notes');
    expect(m.missing('insert', '').map((f) => f.apiName)).toEqual(['name']);
  });

  it('keeps options and builds the mapping to send', () => {
    const m = model();
    m.map('年收入', 'annual_revenue');
    m.setOption('年收入', 'numberLocale', '1.234,56');
    m.setValueMap('行业', { 科技: 'Technology', Technology: 'Technology', Bank: '' });
    m.map('年收入', 'annual_revenue');
    expect(m.toMapping('upsert', 'account_no')).toEqual({
      object: 'Account',
      mode: 'upsert',
      key: 'account_no',
      columns: {
        客户名称: { field: 'name' },
        行业: { field: 'industry', valueMap: { 科技: 'Technology' } },
        年收入: { field: 'annual_revenue', numberLocale: '1.234,56' },
      },
    });
    m.setOption('年收入', 'numberLocale', '');
    expect(m.columns['年收入']).toEqual({ field: 'annual_revenue' });
  });

  it('applies a preset to the columns this file has', () => {
    const m = model();
    m.apply({ columns: { Notes: { field: 'account_no' }, Missing: { field: 'name' } } });
    expect(m.columns).toEqual({ Notes: { field: 'account_no' } });
  });
});
