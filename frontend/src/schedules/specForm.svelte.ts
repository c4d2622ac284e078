// The schedule form's state: once / daily / weekly / monthly with its time,
// weekdays, day of month and zone, written as the spec Go reads
// ("weekly mon,thu 02:00"), and Go's words and next runs for it.
import type { Api, SpecPreview } from '$lib/api';
import { toAppError, type AppError } from '$lib/api';

export type SpecKind = 'once' | 'daily' | 'weekly' | 'monthly';
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The spec text of the form's values; "" while something is missing. */
export function specText(v: { kind: SpecKind; date: string; time: string; weekdays: Weekday[]; day: number }): string {
  const time = /^\d{2}:\d{2}(:\d{2})?$/.test(v.time) ? v.time : '';
  if (!time) return '';
  switch (v.kind) {
    case 'once':
      return /^\d{4}-\d{2}-\d{2}$/.test(v.date) ? `once ${v.date}T${time}` : '';
    case 'daily':
      return `daily ${time}`;
    case 'weekly': {
      const days = WEEKDAYS.filter((d) => v.weekdays.includes(d));
      return days.length ? `weekly ${days.join(',')} ${time}` : '';
    }
    case 'monthly':
      return v.day >= 1 && v.day <= 31 ? `monthly ${v.day} ${time}` : '';
  }
}

/**
 * The form's values of a spec as Go writes it (schedule Spec.String: "once
 * 2026-12-24T18:30 UTC", "weekly mon,thu 02:00 Asia/Shanghai", "monthly 31
 * 02:00:05 UTC"); null when it is not one of those.
 */
export function parseSpec(text: string): { kind: SpecKind; date: string; time: string; weekdays: Weekday[]; day: number; zone: string } | null {
  const parts = text.trim().split(/\s+/);
  const kind = parts[0] as SpecKind;
  const clock = /^\d{2}:\d{2}(:\d{2})?$/;
  const out = { kind, date: '', time: '', weekdays: [] as Weekday[], day: 1, zone: '' };
  let rest: string[];
  switch (kind) {
    case 'once': {
      const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)$/.exec(parts[1] ?? '');
      if (!m) return null;
      [out.date, out.time] = [m[1], m[2]];
      rest = parts.slice(2);
      break;
    }
    case 'daily':
      out.time = parts[1] ?? '';
      rest = parts.slice(2);
      break;
    case 'weekly': {
      const days = (parts[1] ?? '').split(',');
      if (!days.every((d) => (WEEKDAYS as readonly string[]).includes(d))) return null;
      out.weekdays = days as Weekday[];
      out.time = parts[2] ?? '';
      rest = parts.slice(3);
      break;
    }
    case 'monthly':
      out.day = Number(parts[1]);
      if (!Number.isInteger(out.day)) return null;
      out.time = parts[2] ?? '';
      rest = parts.slice(3);
      break;
    default:
      return null;
  }
  if (!clock.test(out.time) || rest.length > 1) return null;
  out.zone = rest[0] ?? '';
  return out;
}

export class SpecForm {
  kind = $state<SpecKind>('daily');
  date = $state('');
  time = $state('02:00');
  weekdays = $state<Weekday[]>(['mon']);
  day = $state(1);
  zone = $state('');
  preview = $state<SpecPreview | null>(null);
  error = $state<AppError | null>(null);

  #api: Pick<Api, 'PreviewSpec' | 'LocalZone'>;
  #seq = 0;

  constructor(api: Pick<Api, 'PreviewSpec' | 'LocalZone'>) {
    this.#api = api;
  }

  /** Fills the zone with the computer's, unless one was typed meanwhile. */
  async init(): Promise<void> {
    if (!this.zone) {
      const local = await this.#api.LocalZone().catch(() => 'UTC');
      if (!this.zone) this.zone = local;
    }
    await this.refresh();
  }

  get spec(): string {
    return specText(this);
  }

  /** Fills the form from a saved spec (Go's canonical text, its zone included); false when it cannot be read. */
  load(spec: string): boolean {
    const v = parseSpec(spec);
    if (!v) return false;
    this.kind = v.kind;
    this.date = v.date;
    this.time = v.time;
    this.weekdays = v.weekdays.length ? v.weekdays : ['mon'];
    this.day = v.day;
    if (v.zone) this.zone = v.zone;
    return true;
  }

  toggleDay(d: Weekday, on: boolean): void {
    const rest = this.weekdays.filter((x) => x !== d);
    this.weekdays = on ? [...rest, d] : rest;
  }

  /** Sets a "once" a few seconds from now (the time with seconds). */
  inSeconds(s: number, now = new Date()): void {
    const t = new Date(now.getTime() + s * 1000);
    const pad = (n: number) => String(n).padStart(2, '0');
    this.kind = 'once';
    this.zone = 'UTC';
    this.date = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
    this.time = `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
  }

  /** Asks Go for the words and the next runs; a later answer wins. */
  async refresh(lang = 'en'): Promise<void> {
    const seq = ++this.#seq;
    const spec = this.spec;
    if (!spec) {
      this.preview = null;
      this.error = null;
      return;
    }
    try {
      const p = await this.#api.PreviewSpec(spec, this.zone, lang, 5);
      if (seq !== this.#seq) return;
      this.preview = p;
      this.error = null;
    } catch (e) {
      if (seq !== this.#seq) return;
      this.preview = null;
      this.error = toAppError(e);
    }
  }
}
