import { describe, expect, it } from 'vitest';
import { account, summaries } from '../test/fakeApi';
import { fieldSize, filterFields, filterObjects, optionLabels, orderFields } from './filter';

describe('filterObjects', () => {
  it.each([
    ['', 5],
    ['opp', 2],
    ['opportunity line', 1],
    ['opportunity_line', 1],
    ['客户', 1],
    ['CONTACT', 1],
    ['zzz', 0],
  ])('%j matches %i', (q, n) => {
    expect(filterObjects(summaries, q)).toHaveLength(n);
  });
});

describe('filterFields', () => {
  it('matches API name, label, type and target', () => {
    expect(filterFields(account.fields, 'industry').map((f) => f.apiName)).toEqual(['industry']);
    expect(filterFields(account.fields, '行业').map((f) => f.apiName)).toEqual(['industry']);
    expect(filterFields(account.fields, 'picklist').map((f) => f.apiName)).toEqual(['industry']);
    expect(filterFields(account.fields, 'user').map((f) => f.apiName)).toEqual(['owner_id']);
  });
});

describe('orderFields', () => {
  it('puts the primary attribute first and system fields last', () => {
    const names = orderFields(account.fields, 'name').map((f) => f.apiName);
    expect(names[0]).toBe('name');
    expect(names.slice(-2)).toEqual(['id', 'owner_id']);
  });
});

describe('fieldSize and optionLabels', () => {
  it('describes sizes', () => {
    expect(fieldSize(account.fields[1])).toEqual({ kind: 'max', n: 255 });
    expect(fieldSize(account.fields[4])).toEqual({ kind: 'precision', p: 18, s: 2 });
    expect(fieldSize(account.fields[3])).toBeNull();
  });
  it('labels options in the language, with the stored value', () => {
    expect(optionLabels(account.fields[3], 'en')).toEqual(['Technology', 'Finance']);
    expect(optionLabels(account.fields[3], 'zh')).toEqual(['科技 (Technology)', '金融 (Finance)']);
  });
});
