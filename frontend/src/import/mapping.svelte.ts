// The mapping board's state for one file layout and one object: which column
// feeds which field, with the per-column options, and the auto-match scores.
import type { CrmObject, Field, ImportMode, Mapping, MappingColumn, MappingSuggestion, Suggestion } from '$lib/api';
import { compactValueMap, missingRequired } from './rules';

export class MappingModel {
  object = $state<CrmObject | null>(null);
  headers = $state<string[]>([]);
  /** The file's first rows, in header order. */
  sample = $state<string[][]>([]);
  columns = $state<Record<string, MappingColumn>>({});
  suggestions = $state<Record<string, Suggestion>>({});
  /** What the board was built for (object + header), to rebuild on change. */
  basis = $state('');

  /** Starts from a suggestion: auto-accepted pairs mapped, others suggested. */
  init(object: CrmObject, headers: string[], sample: string[][], s: MappingSuggestion): void {
    this.object = object;
    this.headers = headers;
    this.sample = sample;
    this.suggestions = Object.fromEntries(s.suggestions.map((x) => [x.header, x]));
    const cols: Record<string, MappingColumn> = {};
    for (const [h, c] of Object.entries(s.mapping.columns)) {
      if (headers.includes(h) && object.fields.some((f) => f.apiName === c.field)) cols[h] = { ...c };
    }
    this.columns = cols;
    this.basis = MappingModel.basisOf(object.apiName, headers);
  }

  static basisOf(object: string, headers: string[]): string {
    return `${object}\u0000${headers.join('\u0001')}`;
  }

  /** Up to n sample values of a column. */
  samplesOf(header: string, n = 3): string[] {
    const i = this.headers.indexOf(header);
    return i < 0 ? [] : this.sample.slice(0, n).map((r) => r[i] ?? '');
  }

  fieldOf(header: string): Field | undefined {
    const api = this.columns[header]?.field;
    return api ? this.object?.fields.find((f) => f.apiName === api) : undefined;
  }

  /** The column mapped to a field, if any. */
  headerFor(field: string): string | undefined {
    return Object.keys(this.columns).find((h) => this.columns[h].field === field);
  }

  /** Maps a column to a field; a column already on that field is unmapped. */
  map(header: string, field: string): void {
    if (!this.headers.includes(header)) return;
    if (!field) return this.unmap(header);
    const next = { ...this.columns };
    for (const h of Object.keys(next)) if (h !== header && next[h].field === field) delete next[h];
    next[header] = next[header]?.field === field ? next[header] : { field };
    this.columns = next;
  }

  unmap(header: string): void {
    const next = { ...this.columns };
    delete next[header];
    this.columns = next;
  }

  /** Sets one option of a mapped column ("" clears it). */
  setOption(header: string, key: 'dateFormat' | 'numberLocale' | 'blank' | 'lookupBy', value: string): void {
    const c = this.columns[header];
    if (!c) return;
    const next = { ...c, [key]: value };
    if (!value) delete next[key];
    this.columns = { ...this.columns, [header]: next };
  }

  setValueMap(header: string, map: Record<string, string>): void {
    const c = this.columns[header];
    if (!c) return;
    const next: MappingColumn = { ...c, valueMap: compactValueMap(map) };
    if (!next.valueMap) delete next.valueMap;
    this.columns = { ...this.columns, [header]: next };
  }

  /** Loads a preset's columns (only those of this file). */
  apply(m: Pick<Mapping, 'columns'>): void {
    const cols: Record<string, MappingColumn> = {};
    for (const [h, c] of Object.entries(m.columns)) if (this.headers.includes(h)) cols[h] = { ...c };
    this.columns = cols;
  }

  unmappedHeaders(): string[] {
    return this.headers.filter((h) => !this.columns[h]);
  }

  missing(mode: ImportMode, key: string): Field[] {
    return this.object ? missingRequired(this.object, this.columns, mode, key) : [];
  }

  /** The mapping to send or save. */
  toMapping(mode: ImportMode, key: string): Mapping {
    const m: Mapping = { object: this.object?.apiName ?? '', mode, columns: structuredClone($state.snapshot(this.columns)) };
    if (mode !== 'insert' && key) m.key = key;
    return m;
  }
}
