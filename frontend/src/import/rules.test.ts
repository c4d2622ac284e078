import { describe, expect, it } from 'vitest';
import type { CrmObject } from '$lib/api';
import { account } from '../test/fakeApi';
import {
  compactValueMap,
  formatBytes,
  formatDuration,
  keyOptions,
  matchOption,
  missingRequired,
  prefillValueMap,
  requiredFields,
  sameHeader,
  splitMulti,
} from './rules';

const options = account.fields.find((f) => f.apiName === 'industry')!.options!;

describe('requiredFields', () => {
  it.each([
    ['insert needs the required fields', 'insert', '', ['name']],
    ['update needs only the key (id)', 'update', 'id', ['id']],
    ['update by primary needs the primary field', 'update', 'primary', ['name']],
    ['upsert by a unique field needs it and the required ones', 'upsert', 'account_no', ['name', 'account_no']],
  ] as const)('%s', (_n, mode, key, want) => {
    expect(requiredFields(account, mode, key).map((f) => f.apiName)).toEqual(want);
  });

  it('lists what no column is mapped to', () => {
    expect(missingRequired(account, { A: { field: 'industry' } }, 'insert', '').map((f) => f.apiName)).toEqual(['name']);
    expect(missingRequired(account, { A: { field: 'name' } }, 'insert', '')).toEqual([]);
    expect(missingRequired(account, {}, 'update', 'account_no').map((f) => f.apiName)).toEqual(['account_no']);
  });
});

describe('keyOptions', () => {
  it('offers id, primary, then unique fields first', () => {
    const keys = keyOptions(account);
    expect(keys.slice(0, 3).map((k) => k.value)).toEqual(['id', 'primary', 'account_no']);
    expect(keys[1].disabledReason).toBeUndefined();
    expect(keys.some((k) => k.value === 'team_read_write')).toBe(false);
  });
  it('disables the primary attribute on objects without one', () => {
    const line: CrmObject = { ...account, apiName: 'OpportunityLine', primary: '' };
    expect(keyOptions(line)[1]).toEqual({ value: 'primary', disabledReason: 'noPrimary' });
  });
});

describe('value maps', () => {
  it.each([
    ['by value', 'Technology', 'Technology'],
    ['case-insensitive', ' technology ', 'Technology'],
    ['by Chinese label', '金融', 'Finance'],
    ['no match', 'Tech', ''],
    ['blank', '', ''],
  ])('matchOption %s', (_n, v, want) => {
    expect(matchOption(v, options)).toBe(want);
  });

  it('prefills from earlier choices, then labels', () => {
    expect(prefillValueMap(['科技', 'Tech', 'Bank'], options, { tech: 'Technology' })).toEqual({
      科技: 'Technology',
      Tech: 'Technology',
      Bank: '',
    });
  });

  it('sends only entries that change a value', () => {
    expect(compactValueMap({ Technology: 'Technology', Tech: 'Technology', Bank: '' })).toEqual({ Tech: 'Technology' });
    expect(compactValueMap({ Technology: 'Technology' })).toBeUndefined();
  });

  it('splits multi-picklist cells on ;', () => {
    expect(splitMulti([{ value: 'A;B', count: 2 }, { value: 'B', count: 3 }])).toEqual([
      { value: 'B', count: 5 },
      { value: 'A', count: 2 },
    ]);
  });
});

describe('helpers', () => {
  it('compares headers', () => {
    expect(sameHeader(['a', 'b '], ['a', 'b'])).toBe(true);
    expect(sameHeader(['a', 'b'], ['b', 'a'])).toBe(false);
  });
  it.each([
    [12, '12 B'],
    [2048, '2 KB'],
    [3 * 1024 * 1024, '3.0 MB'],
  ])('formatBytes(%d)', (n, s) => expect(formatBytes(n)).toBe(s));
  it.each([
    [0.01, '< 0.1 s'],
    [4.24, '4.2 s'],
    [65, '1 min 05 s'],
    [3720, '1 h 02 min'],
  ])('formatDuration(%d)', (n, s) => expect(formatDuration(n)).toBe(s));
});
