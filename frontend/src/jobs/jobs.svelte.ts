// The jobs dashboard's data: every job, newest first, with filters; reads
// the app's job events so running jobs move and finished ones refresh the list.
import { toAppError, type Api, type AppError, type JobEvent, type JobSummary } from '$lib/api';
import type { JobEvents } from '$lib/jobs/events.svelte';

export const KINDS = ['import', 'export', 'delete'] as const;
export const STATUSES = ['queued', 'running', 'done', 'failed', 'interrupted', 'canceled'] as const;

export class JobsState {
  list = $state<JobSummary[]>([]);
  kind = $state('');
  status = $state('');
  /** Only the jobs of this connection ("" = every connection). */
  connection = $state('');
  /** Show checks and rehearsals too (hidden by default: they are steps of an import). */
  checks = $state(false);
  loading = $state(false);
  error = $state<AppError | null>(null);
  #api: Pick<Api, 'ListJobs'>;
  #events: JobEvents;
  #seq = 0;

  constructor(api: Pick<Api, 'ListJobs'>, events: JobEvents) {
    this.#api = api;
    this.#events = events;
  }

  /** The connections the jobs ran against, for the filter. */
  get connections(): string[] {
    return [...new Set(this.list.map((j) => j.connection).filter(Boolean))].sort();
  }

  /** The jobs the table shows: of the chosen connection, checks and rehearsals only when asked. */
  get shown(): JobSummary[] {
    return this.list.filter(
      (j) => (!this.connection || j.connection === this.connection) && (this.checks || (!j.validateOnly && !j.rehearse)),
    );
  }

  /** How many checks and rehearsals the table hides. */
  get hiddenChecks(): number {
    return this.checks ? 0 : this.list.filter((j) => (!this.connection || j.connection === this.connection) && (j.validateOnly || j.rehearse)).length;
  }

  /** Live counts of running jobs, by id. */
  get live(): Record<string, JobEvent> {
    return Object.fromEntries(this.#events.running.map((e) => [e.jobId, e]));
  }

  async load(): Promise<void> {
    const seq = ++this.#seq;
    this.loading = true;
    try {
      const list = await this.#api.ListJobs({ kind: this.kind, status: this.status, limit: 500 });
      if (seq !== this.#seq) return;
      this.list = [...list].sort((a, b) => (b.createdAt > a.createdAt ? 1 : b.createdAt < a.createdAt ? -1 : 0));
      this.error = null;
    } catch (e) {
      if (seq === this.#seq) this.error = toAppError(e);
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }

  setFilter(kind: string, status: string): Promise<void> {
    this.kind = kind;
    this.status = status;
    return this.load();
  }

  /** Reloads the list when a job it lacks reports, or one ends; returns the function that stops it. */
  attach(): () => void {
    return this.#events.listen((e, final) => {
      if (final || !this.list.some((j) => j.jobId === e.jobId)) void this.load();
    });
  }
}

export interface ChartPoint {
  jobId: string;
  rowsPerSec: number;
  /** 0..1 */
  successRate: number;
  label: string;
}

/** The recent finished jobs for the chart, oldest first (at most n). */
export function chartPoints(jobs: JobSummary[], n = 20): ChartPoint[] {
  return jobs
    .filter((j) => j.finishedAt && !j.validateOnly && !j.rehearse && j.total > 0 && j.kind !== 'delete' && !j.restoreOf)
    .slice(0, n)
    .reverse()
    .map((j) => ({ jobId: j.jobId, rowsPerSec: j.rowsPerSec, successRate: j.successRate, label: j.object || j.kind }));
}

/**
 * A success rate (0..1) as people read it: one decimal, never rounded up to
 * 100 % while a row failed nor down to 0 % while one succeeded (300 of 301
 * is 99.7 %, 2,999 of 3,000 is 99.9 %).
 */
export function ratePercent(rate: number): string {
  if (!(rate > 0)) return '0%';
  if (rate >= 1) return '100%';
  const p = Math.min(99.9, Math.max(0.1, Math.round(rate * 1000) / 10));
  return `${p.toLocaleString(undefined, { maximumFractionDigits: 1 })}%`;
}
