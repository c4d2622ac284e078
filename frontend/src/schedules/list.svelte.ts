// The Schedules page's state: every schedule with its last run, and the
// actions on one (pause/resume, run now, edit, remove).
import type { Api, ScheduleSummary } from '$lib/api';
import { toAppError, type AppError } from '$lib/api';
import { SpecForm } from './specForm.svelte';

export type SchedulesApi = Pick<
  Api,
  'ListSchedules' | 'PauseSchedule' | 'ResumeSchedule' | 'RunScheduleNow' | 'RemoveSchedule' | 'UpdateSchedule' | 'PreviewSpec' | 'LocalZone'
>;

/** A schedule being edited: when (the schedule form), and what it runs as far as it may change. */
export class ScheduleEditor {
  readonly schedule: ScheduleSummary;
  readonly spec: SpecForm;
  where = $state('');
  destination = $state('');
  maxCount = $state(0);
  error = $state<AppError | null>(null);
  saving = $state(false);

  constructor(api: Pick<Api, 'PreviewSpec' | 'LocalZone'>, s: ScheduleSummary) {
    this.schedule = s;
    this.spec = new SpecForm(api);
    this.spec.load(s.spec);
    this.where = s.where;
    this.destination = s.destination;
    this.maxCount = s.maxCount;
  }

  get isExport(): boolean {
    return this.schedule.kind === 'export';
  }

  /** Why it cannot be saved yet, as a message key; null when it can. */
  get blocked(): 'sch.incomplete' | 'schs.editCeiling' | null {
    if (!this.spec.spec) return 'sch.incomplete';
    if (this.schedule.kind === 'delete' && !(this.maxCount >= 1 && this.maxCount <= this.schedule.maxCount)) return 'schs.editCeiling';
    return null;
  }
}

export class SchedulesState {
  list = $state<ScheduleSummary[]>([]);
  error = $state<AppError | null>(null);
  loaded = $state(false);
  busy = $state('');
  /** The job a run-now started, by schedule. */
  started = $state<Record<string, string>>({});
  /** The schedule being edited, or null. */
  editor = $state<ScheduleEditor | null>(null);
  /** The words of the last saved edit's next run. */
  saved = $state('');

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

  /** Opens the edit form on s, filled with its spec and what it runs. */
  edit(s: ScheduleSummary): void {
    this.saved = '';
    this.editor = new ScheduleEditor(this.#api, s);
  }

  /** Saves the edit (same schedule, same history; Go computes its next run); false when Go refused it. */
  async save(lang: string): Promise<boolean> {
    const e = this.editor;
    if (!e || e.blocked) return false;
    e.saving = true;
    e.error = null;
    try {
      const s = await this.#api.UpdateSchedule(
        e.schedule.id,
        {
          spec: e.spec.spec,
          zone: e.spec.zone,
          where: e.isExport ? e.where.trim() : '',
          destination: e.isExport ? e.destination.trim() : '',
          maxCount: e.schedule.kind === 'delete' ? e.maxCount : 0,
        },
        lang,
      );
      this.editor = null;
      this.saved = s.nextWords || s.words;
      await this.refresh(lang);
      return true;
    } catch (err) {
      e.error = toAppError(err);
      return false;
    } finally {
      e.saving = false;
    }
  }

  remove(id: string, lang: string): Promise<void> {
    return this.#act(id, lang, () => this.#api.RemoveSchedule(id));
  }
}
