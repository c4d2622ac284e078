// Jobs running now, as job events report them: drives the header's
// indicator on every page.
import type { Api, JobEvent } from '$lib/api';

export class RunningJobs {
  jobs = $state<JobEvent[]>([]);
  #api: Pick<Api, 'on'>;

  constructor(api: Pick<Api, 'on'>) {
    this.#api = api;
  }

  /** Follows job events; returns the unsubscribe function. */
  attach(): () => void {
    const offP = this.#api.on('job:progress', (e) => this.update(e, false));
    const offF = this.#api.on('job:finished', (e) => this.update(e, true));
    return () => {
      offP();
      offF();
    };
  }

  update(e: JobEvent, final: boolean): void {
    if (!e?.jobId) return;
    const rest = this.jobs.filter((j) => j.jobId !== e.jobId);
    this.jobs = final || (e.status !== 'running' && e.status !== 'queued') ? rest : [...rest, e];
  }

  /** The most recent running job, for the indicator. */
  get latest(): JobEvent | undefined {
    return this.jobs[this.jobs.length - 1];
  }
}

/** Percent done of a job event (rows, else bytes), or null when unknown. */
export function percentOf(e: Pick<JobEvent, 'done' | 'total' | 'bytesRead' | 'bytesTotal'>): number | null {
  if (e.total > 0) return Math.min(100, Math.round((e.done / e.total) * 100));
  if (e.bytesTotal > 0) return Math.min(100, Math.round((e.bytesRead / e.bytesTotal) * 100));
  return null;
}
