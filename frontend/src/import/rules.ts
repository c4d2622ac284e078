// Pure rules of the import flow: which fields must be mapped, which keys an
// object offers, and value-map prefill. No state, no api: tested on their own.
import type { CrmObject, Field, ImportMode, JobEvent, MappingColumn, PicklistOption } from '$lib/api';

/** Field types a file column can never feed. */
const NOT_MAPPABLE = new Set<string>([]);

/** Fields a column may be mapped to, unique ones first, then by label. */
export function mappableFields(obj: CrmObject): Field[] {
  return obj.fields.filter((f) => !NOT_MAPPABLE.has(f.type));
}

/** The field a record key names: "id", "primary" or a field API name. */
export function keyField(obj: CrmObject, key: string): Field | undefined {
  if (key === 'id') return obj.fields.find((f) => f.apiName === 'id') ?? obj.fields.find((f) => f.type === 'uuid');
  if (key === 'primary') return obj.primary ? obj.fields.find((f) => f.apiName === obj.primary) : undefined;
  return obj.fields.find((f) => f.apiName === key);
}

/**
 * Fields that must have a column: the key for update and upsert, plus the
 * required fields Go cannot fill itself for insert and upsert.
 */
export function requiredFields(obj: CrmObject, mode: ImportMode, key: string): Field[] {
  const out: Field[] = [];
  if (mode !== 'update') {
    for (const f of obj.fields) {
      if (f.required && !f.system && !f.hasDefault && f.type !== 'uuid') out.push(f);
    }
  }
  if (mode !== 'insert') {
    const kf = keyField(obj, key);
    if (kf && !out.includes(kf)) out.push(kf);
  }
  return out;
}

/** Required fields (see requiredFields) that no column is mapped to. */
export function missingRequired(obj: CrmObject, columns: Record<string, MappingColumn>, mode: ImportMode, key: string): Field[] {
  const mapped = new Set(Object.values(columns).map((c) => c.field));
  return requiredFields(obj, mode, key).filter((f) => !mapped.has(f.apiName));
}

export interface KeyOption {
  value: string;
  field?: Field;
  /** Why it cannot be chosen (message key), when it cannot. */
  disabledReason?: 'noPrimary';
}

/** Record keys of an object: Unique ID, Primary attribute, then fields (unique first). */
export function keyOptions(obj: CrmObject): KeyOption[] {
  const fields = obj.fields.filter((f) => f.apiName !== 'id' && f.type !== 'related_team' && f.type !== 'long_text' && f.type !== 'multi_picklist');
  const unique = fields.filter((f) => f.unique);
  const rest = fields.filter((f) => !f.unique);
  return [
    { value: 'id' },
    { value: 'primary', disabledReason: obj.primary ? undefined : 'noPrimary' },
    ...unique.map((f) => ({ value: f.apiName, field: f })),
    ...rest.map((f) => ({ value: f.apiName, field: f })),
  ];
}

const norm = (s: string) => s.trim().toLowerCase();

/** The option a file value names by value or label (case-insensitive), or "". */
export function matchOption(value: string, options: PicklistOption[]): string {
  const v = norm(value);
  if (!v) return '';
  const hit = options.find((o) => norm(o.value) === v || norm(o.labelEn) === v || (o.labelZh && norm(o.labelZh) === v));
  return hit ? hit.value : '';
}

/**
 * The value map shown in the editor: for each distinct file value, the option
 * chosen before, else the one it names, else "" (unmapped).
 */
export function prefillValueMap(values: string[], options: PicklistOption[], existing: Record<string, string> = {}): Record<string, string> {
  const lower = new Map(Object.entries(existing).map(([k, v]) => [norm(k), v]));
  const out: Record<string, string> = {};
  for (const v of values) out[v] = existing[v] ?? lower.get(norm(v)) ?? matchOption(v, options);
  return out;
}

/** The value map to send: only entries that change a value into an option. */
export function compactValueMap(map: Record<string, string>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) if (v && k !== v) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

/** Distinct values of a multi-picklist column: cells split on ";". */
export function splitMulti(values: { value: string; count: number }[]): { value: string; count: number }[] {
  const m = new Map<string, number>();
  for (const { value, count } of values) {
    for (const part of value.split(';')) {
      const p = part.trim();
      if (p) m.set(p, (m.get(p) ?? 0) + count);
    }
  }
  return [...m].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count);
}

/** What options a mapped column offers, by its field's type. */
export function columnOptionKinds(f: Field | undefined): { date: boolean; number: boolean; lookup: boolean; values: boolean } {
  const t = f?.type;
  return {
    date: t === 'date' || t === 'datetime',
    number: t === 'integer' || t === 'decimal' || t === 'currency' || t === 'percent',
    lookup: t === 'lookup' || t === 'owner' || t === 'master_detail',
    values: t === 'picklist' || t === 'multi_picklist',
  };
}

/** Headers equal (same names in the same order, trimmed)? */
export function sameHeader(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((h, i) => h.trim() === b[i].trim());
}

/** Human size: 2.0 MB, 512 KB, 12 B. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

/** Duration in seconds as 1 h 02 min, 3 min 05 s, 4.2 s. */
export function formatDuration(s: number): string {
  if (!isFinite(s) || s < 0) return '—';
  if (s < 0.05) return '< 0.1 s';
  if (s < 10) return `${s.toFixed(1)} s`;
  const sec = Math.round(s);
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const r = sec % 60;
  if (h) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m) return `${m} min ${String(r).padStart(2, '0')} s`;
  return `${r} s`;
}

/** What the Send step shows of a running import. */
export interface SendFigures {
  /** Rows finished: succeeded + failed, always. */
  done: number;
  /** Rows in all: the preview's count when known, else an estimate from the bytes read. */
  total: number;
  /** total is an estimate ("about"). */
  about: boolean;
  /** Percent done, or null before anything is known. */
  pct: number | null;
  /** Seconds left, or null when unknown. */
  eta: number | null;
}

/**
 * The Send step's figures from the import's last progress event and the
 * rows the preview counted (0 = unknown): done adds up to succeeded +
 * failed; without a count the total is estimated from the bytes read and
 * marked "about"; time left comes from the share of the work left (rows
 * when the total is known, bytes otherwise) at the rate so far.
 */
export function sendFigures(
  p: Pick<JobEvent, 'succeeded' | 'failed' | 'total' | 'bytesRead' | 'bytesTotal' | 'rowsPerSec'> | null,
  known: number,
): SendFigures {
  if (!p) return { done: 0, total: known, about: known <= 0, pct: null, eta: null };
  const done = p.succeeded + p.failed;
  let total = known;
  let about = false;
  let share: number | null = null; // of the work done, 0..1
  if (known > 0) {
    total = Math.max(known, done);
    share = done / total;
  } else {
    about = true;
    if (p.bytesTotal > 0 && p.bytesRead > 0) {
      // p.total is the rows read so far: as many more as bytes are left.
      total = Math.max(done, Math.round(p.total / Math.min(1, p.bytesRead / p.bytesTotal)));
      share = total > 0 ? done / total : null;
    } else total = Math.max(done, p.total);
  }
  const pct = share === null ? null : Math.min(100, Math.floor(share * 100));
  let eta: number | null = null;
  if (share !== null && share > 0 && share < 1 && p.rowsPerSec > 0 && done > 0) {
    const elapsed = done / p.rowsPerSec;
    eta = (elapsed * (1 - share)) / share;
  }
  return { done, total, about, pct, eta };
}
