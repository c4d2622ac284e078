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
  loading = $state(false);
  error = $state<AppError | null>(null);
  #api: Pick<Api, 'ListJobs'>;
  #events: JobEvents;
  #seq = 0;

  constructor(api: Pick<Api, 'ListJobs'>, events: JobEvents) {
    this.#api = api;
    this.#events = events;
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
    .filter((j) => j.finishedAt && !j.validateOnly && !j.rehearse && j.total > 0)
    .slice(0, n)
    .reverse()
    .map((j) => ({ jobId: j.jobId, rowsPerSec: j.rowsPerSec, successRate: j.successRate, label: j.object || j.kind }));
}
