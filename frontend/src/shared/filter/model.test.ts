import { describe, expect, it } from 'vitest';
import type { Field, FieldType } from '$lib/api';
import fixture from './testdata/account-filters.json';
import {
  ALL_OPS,
  checkValue,
  classOf,
  depthOf,
  fromJSON,
  newCondition,
  newGroup,
  NotBuildable,
  opsFor,
  parseExact,
  problems,
  toJSON,
  type JsonNode,
  type Op,
} from './model';

// The demo Account's fields and filters exactly as Go writes them (app's TestFilterFixture).
const fields = fixture.fields as Field[];
const f = (name: string) => fields.find((x) => x.apiName === name)!;

const cond = (field: string, op: Op, value = '', values: string[] = []) => ({ ...newCondition(field, op), value, values });

describe('operators by field type', () => {
  const expected: Record<string, Op[]> = {
    text: ['=', '!=', 'like', 'not like', 'in', 'not in', '<', '<=', '>', '>=', 'is null', 'is not null'],
    long_text: ['=', '!=', 'like', 'not like', 'in', 'not in', '<', '<=', '>', '>=', 'is null', 'is not null'],
    email: ['=', '!=', 'like', 'not like', 'in', 'not in', '<', '<=', '>', '>=', 'is null', 'is not null'],
    phone: ['=', '!=', 'like', 'not like', 'in', 'not in', '<', '<=', '>', '>=', 'is null', 'is not null'],
    url: ['=', '!=', 'like', 'not like', 'in', 'not in', '<', '<=', '>', '>=', 'is null', 'is not null'],
    integer: ['=', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'is null', 'is not null'],
    decimal: ['=', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'is null', 'is not null'],
    currency: ['=', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'is null', 'is not null'],
    percent: ['=', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'is null', 'is not null'],
    date: ['=', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'is null', 'is not null'],
    datetime: ['=', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'is null', 'is not null'],
    boolean: ['=', '!=', 'is null', 'is not null'],
    picklist: ['=', '!=', 'in', 'not in', 'is null', 'is not null'],
    multi_picklist: ['=', '!=', 'in', 'not in', 'is null', 'is not null'],
    lookup: ['=', '!=', 'in', 'not in', 'is null', 'is not null'],
    master_detail: ['=', '!=', 'in', 'not in', 'is null', 'is not null'],
    owner: ['=', '!=', 'in', 'not in', 'is null', 'is not null'],
    uuid: ['=', '!=', 'in', 'not in', 'is null', 'is not null'],
    related_team: [],
  };
  it.each(Object.entries(expected))('%s offers exactly its operators', (type, ops) => {
    expect(opsFor({ type: type as FieldType })).toEqual(ops);
  });

  it('only text takes LIKE, booleans take no IN and no ordering', () => {
    for (const [type, ops] of Object.entries(expected)) {
      expect(ops.includes('like')).toBe(classOf(type as FieldType) === 'text');
      if (type === 'boolean') expect(ops.some((o) => ['in', '<', '>'].includes(o))).toBe(false);
    }
    // Every operator is offered by some type.
    const offered = new Set(Object.values(expected).flat());
    expect(ALL_OPS.every((o) => offered.has(o))).toBe(true);
  });

  it('refuses an operator the field does not take', () => {
    const root = newGroup('and', [cond('is_key_account', '<', 'true'), cond('industry', 'like', 'Tech%')]);
    expect(problems(root, fields).map((p) => p.key)).toEqual(['filter.err.badOp', 'filter.err.badOp']);
  });
});

describe('values by type', () => {
  const cases: [string, string, string | null][] = [
    ['employees', '12', null],
    ['employees', '-3', null],
    ['employees', '1.5', 'filter.err.integer'],
    ['employees', 'many', 'filter.err.integer'],
    ['annual_revenue', '1000000.50', null],
    ['annual_revenue', '1,000', 'filter.err.decimal'],
    ['founded_on', '2010-01-31', null],
    ['founded_on', '2010-02-30', 'filter.err.date'],
    ['founded_on', '31/01/2010', 'filter.err.date'],
    ['is_key_account', 'true', null],
    ['is_key_account', 'yes', 'filter.err.boolean'],
    ['industry', 'Retail', null],
    ['industry', '零售', null],
    ['industry', 'Spaceships', 'filter.err.option'],
    ['parent_account_id', '0190f1a0-0000-7000-8000-000000000001', null],
    ['parent_account_id', 'Acme Ltd', 'filter.err.uuid'],
    ['name', '', null],
  ];
  it.each(cases)('%s = %j → %s', (field, v, want) => {
    expect(checkValue(f(field), classOf(f(field).type)!, v)).toBe(want);
  });

  it('datetimes with and without an offset', () => {
    const dt: Field = { ...f('founded_on'), type: 'datetime' };
    expect(checkValue(dt, 'datetime', '2024-01-31T10:00')).toBeNull();
    expect(checkValue(dt, 'datetime', '2024-01-31T10:00:00+08:00')).toBeNull();
    expect(checkValue(dt, 'datetime', '2024-01-31T25:00')).toBe('filter.err.datetime');
  });

  it('reports empty values, empty lists, empty groups and unknown fields', () => {
    const root = newGroup('and', [
      cond('employees', '>', ''),
      cond('industry', 'in', '', []),
      newGroup('or'),
      cond('nope', '=', 'x'),
      cond('', '=', 'x'),
    ]);
    expect(problems(root, fields).map((p) => p.key)).toEqual([
      'filter.err.empty',
      'filter.err.emptyList',
      'filter.err.emptyGroup',
      'filter.err.unknownField',
      'filter.err.noField',
    ]);
  });

  it('an empty tree is all records', () => {
    expect(toJSON(newGroup('and'), fields)).toBeNull();
    expect(problems(newGroup('and'), fields)).toEqual([]);
    expect(fromJSON(null).items).toEqual([]);
  });
});

describe('AND / OR nesting', () => {
  it('writes a group inside a group as nested JSON', () => {
    const root = newGroup('and', [
      newGroup('or', [cond('industry', '=', 'Finance'), cond('industry', '=', 'Energy')]),
      cond('employees', '>=', '100'),
    ]);
    expect(toJSON(root, fields)).toEqual({
      op: 'and',
      args: [
        { op: 'or', args: [{ op: '=', field: 'industry', value: 'Finance' }, { op: '=', field: 'industry', value: 'Energy' }] },
        { op: '>=', field: 'employees', value: 100 },
      ],
    });
    expect(depthOf(fromJSON(toJSON(root, fields)))).toBe(2);
  });

  it('a group of one condition is the condition', () => {
    const root = newGroup('or', [newGroup('and', [cond('name', '=', 'A')])]);
    expect(toJSON(root, fields)).toEqual({ op: '=', field: 'name', value: 'A' });
  });

  it('NOT and groups nested deeper than the builder shows stay text', () => {
    expect(() => fromJSON({ op: 'not', args: [{ op: '=', field: 'name', value: 'A' }] })).toThrow(NotBuildable);
    const deep: JsonNode = {
      op: 'and',
      args: [
        { op: '=', field: 'name', value: 'A' },
        { op: 'or', args: [{ op: '=', field: 'name', value: 'B' }, { op: 'and', args: [{ op: '=', field: 'name', value: 'C' }, { op: '=', field: 'name', value: 'D' }] }] },
      ],
    };
    expect(() => fromJSON(deep)).toThrow(NotBuildable);
  });
});

describe('round trip through the Go filter’s JSON form', () => {
  it.each(fixture.cases.map((c) => [c.text, c.json]))('%s', (_text, json) => {
    const tree = fromJSON(json as JsonNode);
    expect(problems(tree, fields)).toEqual([]);
    expect(toJSON(tree, fields)).toEqual(json);
  });

  it('keeps every digit of a decimal Go writes', () => {
    const j = parseExact('{"op":">","field":"annual_revenue","value":12345678901234567890.12}') as JsonNode;
    const tree = fromJSON(j);
    expect(tree.items[0]).toMatchObject({ value: '12345678901234567890.12' });
    expect(toJSON(tree, fields)).toEqual({ op: '>', field: 'annual_revenue', value: '12345678901234567890.12' });
    expect(parseExact('{"a":"x\\"1","b":[-1.5,2]}')).toEqual({ a: 'x"1', b: ['-1.5', '2'] });
  });
});
