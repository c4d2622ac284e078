// The failing rows of a validation or rehearsal job, as the preview grid
// reads them: totals, filters, and pages fetched on demand and cached. While
// the job still runs, it polls so the first problems show at once.
import { toAppError, type Api, type AppError, type ProblemRow } from '$lib/api';

export const PAGE_SIZE = 100;
export const POLL_MS = 500;

export class ProblemsState {
  jobId = $state('');
  header = $state<string[]>([]);
  total = $state(0);
  /** Failing rows without filters. */
  allTotal = $state(0);
  byCode = $state<Record<string, number>>({});
  byColumn = $state<Record<string, number>>({});
  done = $state(false);
  code = $state('');
  column = $state('');
  error = $state<AppError | null>(null);
  /** Bumped whenever cached pages change, so readers of row() re-run. */
  version = $state(0);

  #api: Pick<Api, 'GetProblems'>;
  #pages = new Map<number, ProblemRow[]>();
  #inflight = new Set<number>();
  #wanted: [number, number] = [0, 0];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #seq = 0;
  #pollMs: number;

  constructor(api: Pick<Api, 'GetProblems'>, pollMs = POLL_MS) {
    this.#api = api;
    this.#pollMs = pollMs;
  }

  /** Follows a job: first page now, then every POLL_MS until done. */
  async open(jobId: string): Promise<void> {
    this.close();
    this.jobId = jobId;
    this.code = '';
    this.column = '';
    this.done = false;
    this.total = 0;
    this.allTotal = 0;
    this.header = [];
    this.byCode = {};
    this.byColumn = {};
    await this.#refresh();
  }

  /** Stops polling (the page is left or another job is followed). */
  close(): void {
    this.#seq++;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pages.clear();
    this.#inflight.clear();
    this.version++;
  }

  /** Filters by problem code and/or column ("" = any); refetches. */
  async filter(code: string, column: string): Promise<void> {
    this.code = code;
    this.column = column;
    this.#wanted = [0, 0];
    this.#pages.clear();
    this.version++;
    await this.#refresh(false);
  }

  /** The cached row at index i (undefined until its page arrives). */
  row(i: number): ProblemRow | undefined {
    void this.version;
    return this.#pages.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE];
  }

  /** Makes sure rows [start, end) are fetched (the grid's visible window). */
  ensure(start: number, end: number): Promise<void> {
    this.#wanted = [start, end];
    const loads: Promise<void>[] = [];
    for (let p = Math.floor(start / PAGE_SIZE); p * PAGE_SIZE < Math.min(end, this.total); p++) {
      if (!this.#pages.has(p) && !this.#inflight.has(p)) loads.push(this.#load(p));
    }
    return Promise.all(loads).then(() => undefined);
  }

  async #load(p: number): Promise<void> {
    const seq = this.#seq;
    const id = this.jobId;
    this.#inflight.add(p);
    try {
      const page = await this.#api.GetProblems(id, { offset: p * PAGE_SIZE, limit: PAGE_SIZE, code: this.code, column: this.column });
      if (seq !== this.#seq || id !== this.jobId) return;
      this.#take(page);
      this.#pages.set(p, page.rows);
      this.version++;
    } catch (e) {
      if (seq === this.#seq) this.error = toAppError(e);
    } finally {
      this.#inflight.delete(p);
    }
  }

  #take(page: { header: string[]; total: number; byCode: Record<string, number>; byColumn: Record<string, number>; done: boolean }) {
    if (page.header.length) this.header = page.header;
    this.total = page.total;
    if (!this.code && !this.column) this.allTotal = page.total;
    this.byCode = page.byCode;
    this.byColumn = page.byColumn;
    this.done = page.done;
  }

  async #refresh(schedule = true): Promise<void> {
    const seq = ++this.#seq;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#inflight.clear();
    if (!this.jobId) return;
    // While rows still arrive, cached pages may grow: fetch again.
    this.#pages.clear();
    const [s, e] = this.#wanted;
    try {
      const first = Math.floor(s / PAGE_SIZE);
      const page = await this.#api.GetProblems(this.jobId, { offset: first * PAGE_SIZE, limit: PAGE_SIZE, code: this.code, column: this.column });
      if (seq !== this.#seq) return;
      this.error = null;
      this.#take(page);
      this.#pages.set(first, page.rows);
      this.version++;
      await this.ensure(s, Math.max(e, s + 1));
    } catch (err) {
      if (seq !== this.#seq) return;
      this.error = toAppError(err);
    }
    if (seq === this.#seq && !this.done && (schedule || this.#timer === null)) {
      this.#timer = setTimeout(() => void this.#refresh(), this.#pollMs);
    }
  }
}
