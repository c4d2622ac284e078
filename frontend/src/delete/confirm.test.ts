import { describe, expect, it } from 'vitest';
import type { Preview } from '$lib/api';
import { parseCount, unmetChecks, type ConfirmInput } from './confirm';

const pv = (over: Partial<Preview> = {}): Preview => ({
  object: 'Opportunity',
  crm: 'sandbox',
  matching: 1234,
  blocked: 0,
  total: 1234,
  cascades: [],
  emptied: [],
  blocking: [],
  blockedIds: [],
  warnings: [],
  check: 'count',
  checkNote: 'a sandbox has no password',
  ...over,
});
const input = (over: Partial<ConfirmInput> = {}): ConfirmInput => ({
  typedObject: '',
  password: '',
  typedCount: '',
  skipBlocked: false,
  scheduled: false,
  spec: '',
  ...over,
});

describe('unmetChecks', () => {
  it('wants a preview first', () => {
    expect(unmetChecks(null, input({ typedObject: 'Opportunity', typedCount: '1234' }))).toEqual(['del.check.preview']);
  });
  it('wants the object name and the exact count where no password is checked', () => {
    expect(unmetChecks(pv(), input())).toEqual(['del.check.object', 'del.check.count']);
    expect(unmetChecks(pv(), input({ typedObject: 'opportunity', typedCount: '1234' }))).toEqual(['del.check.object']);
    expect(unmetChecks(pv(), input({ typedObject: 'Opportunity', typedCount: '1233' }))).toEqual(['del.check.count']);
    expect(unmetChecks(pv(), input({ typedObject: 'Opportunity', typedCount: '1,234' }))).toEqual([]);
  });
  it('wants the password where the server checks one, not the count', () => {
    const p = pv({ check: 'password' });
    expect(unmetChecks(p, input({ typedObject: 'Opportunity' }))).toEqual(['del.check.password']);
    expect(unmetChecks(p, input({ typedObject: 'Opportunity', password: 'x' }))).toEqual([]);
  });
  it('refuses blocked records unless they are skipped', () => {
    const p = pv({ blocked: 3, total: 1234 });
    const ok = input({ typedObject: 'Opportunity', typedCount: '1234' });
    expect(unmetChecks(p, ok)).toEqual(['del.check.blocked']);
    expect(unmetChecks(p, { ...ok, skipBlocked: true })).toEqual([]);
  });
  it('refuses a delete of nothing, and a schedule without a spec', () => {
    expect(unmetChecks(pv({ total: 0, matching: 0 }), input({ typedObject: 'Opportunity', typedCount: '0' }))).toEqual(['del.check.nothing']);
    const s = input({ typedObject: 'Opportunity', typedCount: '1234', scheduled: true });
    expect(unmetChecks(pv(), s)).toEqual(['del.check.spec']);
    expect(unmetChecks(pv(), { ...s, spec: 'daily 02:00' })).toEqual([]);
  });
});

describe('parseCount', () => {
  it('reads digits with separators and nothing else', () => {
    expect(parseCount(' 5,210 ')).toBe(5210);
    expect(parseCount('5 210')).toBe(5210);
    expect(parseCount('')).toBeNull();
    expect(parseCount('-3')).toBeNull();
    expect(parseCount('12a')).toBeNull();
    expect(parseCount('1.5')).toBeNull();
  });
});
