// The condition builder's model: groups of conditions joined by AND / OR
// (nested), the operators each field type allows, the values each type
// takes, and the conversion to and from the JSON form of the Go filter
// (backend/filter/json.go), which is what crosses to Go.
import type { Field, FieldType } from '$lib/api';

/** The operators of the filter language (backend/filter Op). */
export type Op =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'in'
  | 'not in'
  | 'like'
  | 'not like'
  | 'is null'
  | 'is not null';

export const ALL_OPS: readonly Op[] = ['=', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'like', 'not like', 'is null', 'is not null'];

/** How a field's values are compared (backend/filter class). */
export type ValueClass = 'text' | 'picklist' | 'multi' | 'integer' | 'decimal' | 'date' | 'datetime' | 'boolean' | 'ref' | 'uuid';

/** The class of a field type; null for types that cannot be filtered (related teams). */
export function classOf(t: FieldType): ValueClass | null {
  switch (t) {
    case 'text':
    case 'long_text':
    case 'email':
    case 'phone':
    case 'url':
      return 'text';
    case 'picklist':
      return 'picklist';
    case 'multi_picklist':
      return 'multi';
    case 'integer':
      return 'integer';
    case 'decimal':
    case 'currency':
    case 'percent':
      return 'decimal';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'boolean':
      return 'boolean';
    case 'lookup':
    case 'master_detail':
    case 'owner':
      return 'ref';
    case 'uuid':
      return 'uuid';
  }
  return null;
}

/** The operators a class allows, in the order the builder offers them (as Go's filter allows them). */
export function opsForClass(k: ValueClass): Op[] {
  switch (k) {
    case 'text':
      return ['=', '!=', 'like', 'not like', 'in', 'not in', '<', '<=', '>', '>=', 'is null', 'is not null'];
    case 'integer':
    case 'decimal':
    case 'date':
    case 'datetime':
      return ['=', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'is null', 'is not null'];
    case 'boolean':
      return ['=', '!=', 'is null', 'is not null'];
    default:
      return ['=', '!=', 'in', 'not in', 'is null', 'is not null'];
  }
}

/** The operators a field allows ([] when it cannot be filtered). */
export function opsFor(f: Pick<Field, 'type'>): Op[] {
  const k = classOf(f.type);
  return k ? opsForClass(k) : [];
}

/** Whether an operator takes a list of values, one value, or none. */
export function arity(op: Op): 'none' | 'one' | 'list' {
  if (op === 'is null' || op === 'is not null') return 'none';
  if (op === 'in' || op === 'not in') return 'list';
  return 'one';
}

/** The fields the builder offers: every field the filter can compare. */
export function filterable(fields: readonly Field[]): Field[] {
  return fields.filter((f) => classOf(f.type) !== null);
}

/** One condition: field op value(s). Values are kept as typed (strings). */
export interface Condition {
  kind: 'cond';
  id: number;
  field: string;
  op: Op;
  value: string;
  values: string[];
}

/** A group: its items joined by AND or OR. */
export interface Group {
  kind: 'group';
  id: number;
  join: 'and' | 'or';
  items: Item[];
}

export type Item = Condition | Group;

/** The deepest nesting the builder offers: the top group and groups inside it. */
export const MAX_GROUP_DEPTH = 2;

let nextId = 1;
export const newId = (): number => nextId++;

export function newCondition(field = '', op: Op = '='): Condition {
  return { kind: 'cond', id: newId(), field, op, value: '', values: [] };
}

export function newGroup(join: 'and' | 'or' = 'and', items: Item[] = []): Group {
  return { kind: 'group', id: newId(), join, items };
}

/** A problem with one condition's value, as a message key and its parameters. */
export interface Problem {
  id: number;
  key:
    | 'filter.err.noField'
    | 'filter.err.unknownField'
    | 'filter.err.badOp'
    | 'filter.err.empty'
    | 'filter.err.emptyList'
    | 'filter.err.integer'
    | 'filter.err.decimal'
    | 'filter.err.date'
    | 'filter.err.datetime'
    | 'filter.err.boolean'
    | 'filter.err.option'
    | 'filter.err.uuid'
    | 'filter.err.emptyGroup';
  value?: string;
}

const INT_RE = /^-?\d+$/;
const DEC_RE = /^-?\d+(\.\d+)?$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function realDate(y: string, m: string, d: string): boolean {
  const dt = new Date(Date.UTC(+y, +m - 1, +d));
  return dt.getUTCFullYear() === +y && dt.getUTCMonth() === +m - 1 && dt.getUTCDate() === +d;
}

/** Checks one value of a class; returns the problem key or null. */
export function checkValue(f: Field, k: ValueClass, v: string, like = false): Problem['key'] | null {
  const s = v.trim();
  if (s === '') return k === 'text' && !like ? null : 'filter.err.empty';
  if (like) return null;
  switch (k) {
    case 'integer':
      return INT_RE.test(s) ? null : 'filter.err.integer';
    case 'decimal':
      return DEC_RE.test(s) ? null : 'filter.err.decimal';
    case 'date': {
      const m = DATE_RE.exec(s);
      return m && realDate(m[1], m[2], m[3]) ? null : 'filter.err.date';
    }
    case 'datetime': {
      const m = DATETIME_RE.exec(s);
      if (!m || !realDate(m[1], m[2], m[3]) || +m[4] > 23 || +m[5] > 59) return 'filter.err.datetime';
      return null;
    }
    case 'boolean':
      return s === 'true' || s === 'false' ? null : 'filter.err.boolean';
    case 'picklist':
    case 'multi': {
      const opts = f.options ?? [];
      if (opts.length === 0) return null;
      const ok = opts.some((o) => o.value === s || o.labelEn === s || o.labelZh === s);
      return ok ? null : 'filter.err.option';
    }
    case 'ref':
    case 'uuid':
      return UUID_RE.test(s) || INT_RE.test(s) ? null : 'filter.err.uuid';
  }
  return null;
}

/** Every problem of a tree, by condition id (an empty tree is "all records": none). */
export function problems(root: Group, fields: readonly Field[]): Problem[] {
  const out: Problem[] = [];
  const byName = new Map(fields.map((f) => [f.apiName.toLowerCase(), f]));
  const walk = (g: Group, top: boolean) => {
    if (!top && g.items.length === 0) out.push({ id: g.id, key: 'filter.err.emptyGroup' });
    for (const it of g.items) {
      if (it.kind === 'group') {
        walk(it, false);
        continue;
      }
      if (!it.field) {
        out.push({ id: it.id, key: 'filter.err.noField' });
        continue;
      }
      const f = byName.get(it.field.toLowerCase());
      const k = f ? classOf(f.type) : null;
      if (!f || !k) {
        out.push({ id: it.id, key: 'filter.err.unknownField', value: it.field });
        continue;
      }
      if (!opsForClass(k).includes(it.op)) {
        out.push({ id: it.id, key: 'filter.err.badOp', value: it.op });
        continue;
      }
      const a = arity(it.op);
      if (a === 'none') continue;
      const like = it.op === 'like' || it.op === 'not like';
      const vals = a === 'list' ? it.values : [it.value];
      if (a === 'list' && vals.length === 0) {
        out.push({ id: it.id, key: 'filter.err.emptyList' });
        continue;
      }
      for (const v of vals) {
        const p = checkValue(f, k, v, like);
        if (p) {
          out.push({ id: it.id, key: p, value: v });
          break;
        }
      }
    }
  };
  walk(root, true);
  return out;
}

/** A node of the Go filter's JSON form. */
export type JsonNode =
  | { op: 'and' | 'or'; args: JsonNode[] }
  | { op: 'not'; args: [JsonNode] }
  | { op: Op; field: string; value?: JsonValue; values?: JsonValue[] };

export type JsonValue = string | number | boolean;

/** One value as the JSON form writes it for its class. */
function jsonValue(k: ValueClass, v: string, like: boolean): JsonValue {
  const s = v.trim();
  if (like) return v;
  // A number of up to 15 significant digits is exact as a JS number; a longer one stays text.
  if ((k === 'integer' || k === 'decimal') && DEC_RE.test(s)) return s.replace(/[-.]/g, '').replace(/^0+/, '').length <= 15 ? Number(s) : s;
  if (k === 'boolean' && (s === 'true' || s === 'false')) return s === 'true';
  return k === 'text' ? v : s;
}

/**
 * The JSON form of a tree; null when it has no condition (all records).
 * Decimals with more digits than a JS number keeps stay strings (Go accepts both).
 */
export function toJSON(root: Group, fields: readonly Field[]): JsonNode | null {
  const byName = new Map(fields.map((f) => [f.apiName.toLowerCase(), f]));
  const node = (it: Item): JsonNode | null => {
    if (it.kind === 'group') {
      const args = it.items.map(node).filter((n): n is JsonNode => n !== null);
      if (args.length === 0) return null;
      if (args.length === 1) return args[0];
      return { op: it.join, args };
    }
    const f = byName.get(it.field.toLowerCase());
    const k = (f && classOf(f.type)) || 'text';
    const like = it.op === 'like' || it.op === 'not like';
    switch (arity(it.op)) {
      case 'none':
        return { op: it.op, field: it.field };
      case 'list':
        return { op: it.op, field: it.field, values: it.values.map((v) => jsonValue(k, v, like)) };
      default:
        return { op: it.op, field: it.field, value: jsonValue(k, it.value, like) };
    }
  };
  return node(root);
}

/** Why a JSON form cannot be shown in the builder. */
export class NotBuildable extends Error {}

const str = (v: JsonValue | undefined): string => (v === undefined ? '' : String(v));

/**
 * The tree of a JSON form (null: all records → an empty group). A NOT, or
 * groups nested deeper than MAX_GROUP_DEPTH, cannot be shown in the
 * builder: NotBuildable (the text form still holds them).
 */
export function fromJSON(n: JsonNode | null): Group {
  if (n === null) return newGroup('and');
  const item = (x: JsonNode, depth: number): Item => {
    if (x.op === 'not') throw new NotBuildable('not');
    if (x.op === 'and' || x.op === 'or') {
      if (depth >= MAX_GROUP_DEPTH) throw new NotBuildable('depth');
      const args = (x as { args: JsonNode[] }).args;
      // AND inside AND (and OR inside OR) is one group.
      const items: Item[] = [];
      for (const a of args) {
        const sub = item(a, depth + 1);
        if (sub.kind === 'group' && sub.join === x.op) items.push(...sub.items);
        else items.push(sub);
      }
      return { kind: 'group', id: newId(), join: x.op, items };
    }
    const c = x as { op: Op; field: string; value?: JsonValue; values?: JsonValue[] };
    if (!ALL_OPS.includes(c.op)) throw new NotBuildable(c.op);
    return { kind: 'cond', id: newId(), field: c.field, op: c.op, value: str(c.value), values: (c.values ?? []).map(str) };
  };
  const top = item(n, 0);
  return top.kind === 'group' ? top : newGroup('and', [top]);
}

/** The depth of a group (1 = no group inside it). */
export function depthOf(g: Group): number {
  return 1 + Math.max(0, ...g.items.map((i) => (i.kind === 'group' ? depthOf(i) : 0)));
}

/** Counts the conditions of a tree. */
export function conditionCount(g: Group): number {
  return g.items.reduce((n, i) => n + (i.kind === 'group' ? conditionCount(i) : 1), 0);
}

/**
 * JSON.parse that keeps every number as its exact text (a string): a
 * decimal like 12345678901234567890.12 would lose digits as a JS number.
 * Go's filter accepts a number written as a string.
 */
export function parseExact(json: string): unknown {
  let out = '';
  let inStr = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i];
    if (inStr) {
      out += ch;
      if (ch === '\\') out += json[++i] ?? '';
      else if (ch === '"') inStr = false;
      continue;
    }
    if (ch === '"') {
      inStr = true;
      out += ch;
      continue;
    }
    if (ch === '-' || (ch >= '0' && ch <= '9')) {
      let j = i;
      while (j < json.length && /[-+0-9.eE]/.test(json[j])) j++;
      out += `"${json.slice(i, j)}"`;
      i = j - 1;
      continue;
    }
    out += ch;
  }
  return JSON.parse(out);
}
