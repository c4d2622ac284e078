// Filtering and describing objects and fields for the Objects page (pure).
import type { Field, Language, ObjectSummary } from '$lib/api';

function norm(s: string): string {
  return s.toLowerCase().replace(/[\s_-]+/g, '');
}

function matches(q: string, ...hay: (string | undefined)[]): boolean {
  const n = norm(q);
  if (!n) return true;
  return hay.some((h) => !!h && norm(h).includes(n));
}

/** Objects whose API name, labels or table contain the query. */
export function filterObjects(list: readonly ObjectSummary[], query: string): ObjectSummary[] {
  return list.filter((o) => matches(query, o.apiName, o.labelEn, o.labelZh, o.table));
}

/** Fields whose API name, labels, column, type or target contain the query. */
export function filterFields(fields: readonly Field[], query: string): Field[] {
  return fields.filter((f) =>
    matches(query, f.apiName, f.labelEn, f.labelZh, f.column, f.type, f.target),
  );
}

/** Sorts fields for display: the primary attribute, then user fields, then system ones. */
export function orderFields(fields: readonly Field[], primary?: string): Field[] {
  const rank = (f: Field) => (f.apiName === primary ? 0 : f.system ? 2 : 1);
  return fields
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map((x) => x.f);
}

export type SizeText =
  | { kind: 'max'; n: number }
  | { kind: 'precision'; p: number; s: number }
  | null;

/** The size bound of a field: max length for texts, precision for numbers. */
export function fieldSize(f: Field): SizeText {
  if (f.maxLength) return { kind: 'max', n: f.maxLength };
  if (f.precision) return { kind: 'precision', p: f.precision, s: f.scale ?? 0 };
  return null;
}

/** Picklist option labels in a language. */
export function optionLabels(f: Field, lang: Language): string[] {
  return (f.options ?? []).map((o) => {
    const label = lang === 'zh' ? o.labelZh || o.labelEn : o.labelEn;
    return label && label !== o.value ? `${label} (${o.value})` : o.value;
  });
}
