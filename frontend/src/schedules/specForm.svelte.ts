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

  /** Fills the zone with the computer's. */
  async init(): Promise<void> {
    if (!this.zone) this.zone = await this.#api.LocalZone().catch(() => 'UTC');
    await this.refresh();
  }

  get spec(): string {
    return specText(this);
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
