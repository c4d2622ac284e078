// The Schedules page's state: every schedule with its last run, and the
// actions on one (pause/resume, run now, remove).
import type { Api, ScheduleSummary } from '$lib/api';
import { toAppError, type AppError } from '$lib/api';

export type SchedulesApi = Pick<Api, 'ListSchedules' | 'PauseSchedule' | 'ResumeSchedule' | 'RunScheduleNow' | 'RemoveSchedule'>;

export class SchedulesState {
  list = $state<ScheduleSummary[]>([]);
  error = $state<AppError | null>(null);
  loaded = $state(false);
  busy = $state('');
  /** The job a run-now started, by schedule. */
  started = $state<Record<string, string>>({});

  #api: SchedulesApi;

  constructor(api: SchedulesApi) {
    this.#api = api;
  }

  async refresh(lang: string): Promise<void> {
    try {
      this.list = await this.#api.ListSchedules(lang);
      this.error = null;
    } catch (e) {
      this.error = toAppError(e);
    } finally {
      this.loaded = true;
    }
  }

  async #act(id: string, lang: string, fn: () => Promise<unknown>): Promise<void> {
    this.busy = id;
    this.error = null;
    try {
      await fn();
    } catch (e) {
      this.error = toAppError(e);
    } finally {
      this.busy = '';
      await this.refresh(lang);
    }
  }

  toggle(s: ScheduleSummary, lang: string): Promise<void> {
    return this.#act(s.id, lang, () => (s.enabled ? this.#api.PauseSchedule(s.id) : this.#api.ResumeSchedule(s.id)));
  }

  runNow(id: string, lang: string): Promise<void> {
    return this.#act(id, lang, async () => {
      const job = await this.#api.RunScheduleNow(id);
      this.started = { ...this.started, [id]: job };
    });
  }

  remove(id: string, lang: string): Promise<void> {
    return this.#act(id, lang, () => this.#api.RemoveSchedule(id));
  }
}
