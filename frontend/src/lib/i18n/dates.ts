// The one date/time formatter: every date and time the app shows, in the
// UI language's order, 24-hour with seconds — the Schedules page's
// ("02/12/2026, 02:00:00"), now used everywhere.
import { locale } from './i18n.svelte';

const tag = () => locale.dateLocale;
// The language's own date and time fields (as the Schedules page always
// wrote them), the hours always 0–23.
const h23 = { hourCycle: 'h23' } as const;

function parse(iso: string | Date): Date | null {
  if (!iso) return null;
  const d = iso instanceof Date ? iso : new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A date and time ("01/12/2026, 15:04:05", "2026/12/1 15:04:05"); "" for none or a bad one. */
export function formatWhen(iso: string | Date): string {
  const d = parse(iso);
  return d ? d.toLocaleString(tag(), h23) : '';
}

/** A time of day with seconds ("15:04:05"), as in a job's log; "" for none or a bad one. */
export function formatTime(iso: string | Date): string {
  const d = parse(iso);
  return d ? d.toLocaleTimeString(tag(), h23) : '';
}
