// The one place the UI follows job events: a rune class subscribed once to
// job:progress and job:finished. Every page reads it — the header's running
// indicator, the jobs dashboard, a job's page and the import flow — instead
// of subscribing on its own.
import type { Api, JobEvent } from '$lib/api';

/** One job as its events report it. */
interface Entry {
  event: JobEvent;
  /** job:finished arrived (the event is the final one). */
  final: boolean;
}

/** Listens to every job event; final is true for job:finished. */
export type JobListener = (e: JobEvent, final: boolean) => void;

export class JobEvents {
  /** The jobs seen, by id: the last event of each and whether it ended. */
  entries = $state<Record<string, Entry>>({});
  /** Job ids by the time of their last event, oldest first. */
  order = $state<string[]>([]);
  /** How many jobs are remembered (the oldest are forgotten). */
  keep = 200;

  #api: Pick<Api, 'on'>;
  #listeners = new Set<JobListener>();
  #attached = 0;
  #off: (() => void) | null = null;

  constructor(api: Pick<Api, 'on'>) {
    this.#api = api;
  }

  /**
   * Subscribes to the job events; returns the function that undoes it.
   * Attaching again only counts: there is one subscription however many
   * owners attach, and it ends when the last one lets go.
   */
  attach(): () => void {
    if (this.#attached++ === 0) {
      const offP = this.#api.on('job:progress', (e) => this.update(e, false));
      const offF = this.#api.on('job:finished', (e) => this.update(e, true));
      this.#off = () => {
        offP();
        offF();
      };
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--this.#attached === 0) {
        this.#off?.();
        this.#off = null;
      }
    };
  }

  /**
   * Takes one event: keeps it and tells the listeners. A progress event
   * after a job's end is a new run of it (a resume).
   */
  update(e: JobEvent, final: boolean): void {
    if (!e?.jobId) return;
    const order = this.order.filter((id) => id !== e.jobId);
    order.push(e.jobId);
    const entries = { ...this.entries, [e.jobId]: { event: e, final } };
    while (order.length > this.keep) delete entries[order.shift()!];
    this.entries = entries;
    this.order = order;
    for (const l of this.#listeners) l(e, final);
  }

  /** Calls cb for every event from now on; returns the function that stops it. */
  listen(cb: JobListener): () => void {
    this.#listeners.add(cb);
    return () => this.#listeners.delete(cb);
  }

  /** The last event of a job still running, or null (unknown or ended). */
  progressOf(id: string): JobEvent | null {
    const en = this.entries[id];
    return en && !en.final ? en.event : null;
  }

  /** The final event of a job, or null while it runs (or was not seen). */
  finishedOf(id: string): JobEvent | null {
    const en = this.entries[id];
    return en?.final ? en.event : null;
  }

  /** The jobs running now, the most recently updated last. */
  get running(): JobEvent[] {
    return this.order
      .map((id) => this.entries[id])
      .filter((en) => !en.final && (en.event.status === 'running' || en.event.status === 'queued'))
      .map((en) => en.event);
  }

  /** The most recently updated running job, for the header's indicator. */
  get latest(): JobEvent | undefined {
    const r = this.running;
    return r[r.length - 1];
  }
}

/** Percent done of a job event (rows, else bytes), or null when unknown. */
export function percentOf(e: Pick<JobEvent, 'done' | 'total' | 'bytesRead' | 'bytesTotal'>): number | null {
  if (e.total > 0) return Math.min(100, Math.round((e.done / e.total) * 100));
  if (e.bytesTotal > 0) return Math.min(100, Math.round((e.bytesRead / e.bytesTotal) * 100));
  return null;
}

/**
 * A job a page started and follows (a validation, a rehearsal, an import):
 * its ID, its last progress event and its final one.
 */
export class JobRun {
  id = $state('');
  progress = $state<JobEvent | null>(null);
  finished = $state<JobEvent | null>(null);

  /** Follows the job id from now on, forgetting the last run's events. */
  follow(id: string): void {
    this.id = id;
    this.progress = null;
    this.finished = null;
  }

  /** Forgets the run. */
  clear(): void {
    this.follow('');
  }

  /** Takes an event when it is this run's (true then). */
  take(e: JobEvent, final: boolean): boolean {
    if (!this.id || e?.jobId !== this.id) return false;
    this.progress = e;
    if (final) this.finished = e;
    return true;
  }
}
