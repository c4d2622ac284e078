// The delete page's state: what goes (object, all records or a filter), the
// preview and a sample of the records, the backup switch, the checks, now
// or scheduled, then the job's progress, its result with the backup, and
// the restore. The engine runs in Go; this class only asks and follows.
import {
  toAppError,
  type Api,
  type AppError,
  type DeleteBackup,
  type DeleteRequest,
  type DeleteScheduled,
  type Field,
  type JobDetail,
  type JobEvent,
  type ObjectSummary,
  type Preview,
  type Sample,
} from '$lib/api';
import { JobEvents, JobRun } from '$lib/jobs/events.svelte';
import { locale } from '$lib/i18n';
import { FilterBuilder } from '../shared/filter/builder.svelte';
import { SpecForm } from '../schedules/specForm.svelte';
import { parseCount, unmetChecks, type Unmet } from './confirm';

export type DeleteApi = Pick<
  Api,
  | 'ListObjects'
  | 'DescribeObject'
  | 'FilterFromText'
  | 'FilterFromJSON'
  | 'PreviewSpec'
  | 'LocalZone'
  | 'PreviewDelete'
  | 'SampleDelete'
  | 'StartDelete'
  | 'ScheduleDelete'
  | 'GetDeleteBackup'
  | 'RestoreDelete'
  | 'GetJob'
  | 'CancelJob'
  | 'ResumeJob'
  | 'SearchRecords'
  | 'RecordNames'
  | 'on'
>;

/** How many records the sample grid shows at most. */
export const SAMPLE_LIMIT = 500;
/** How long the filter must rest before the preview counts again. */
export const PREVIEW_DEBOUNCE_MS = 400;

export type Phase = 'edit' | 'running' | 'result';

export class DeleteFlow {
  connection = $state('');
  objects = $state<ObjectSummary[]>([]);
  objectsError = $state<AppError | null>(null);

  object = $state('');
  all = $state(false);
  /** The filter as the builder last wrote it in the filter language. */
  where = $state('');
  /** The condition builder (shared with the export page). */
  builder: FilterBuilder;
  skipBlocked = $state(false);

  /** The backup is on unless switched off after the second question. */
  backup = $state(true);
  /** The "really switch it off?" question is showing. */
  askBackupOff = $state(false);

  preview = $state<Preview | null>(null);
  /** The fields of the objects the preview names, by API name: their labels name the lookups. */
  relatedFields = $state<Record<string, Field[]>>({});
  previewing = $state(false);
  previewError = $state<AppError | null>(null);
  sample = $state<Sample | null>(null);
  sampleBlocked = $state(false);
  sampling = $state(false);

  typedObject = $state('');
  password = $state('');
  typedCount = $state('');

  timing = $state<'now' | 'schedule'>('now');
  /** When a scheduled delete runs (the schedules page's form). */
  specForm: SpecForm;
  maxCount = $state('');
  scheduled = $state<DeleteScheduled | null>(null);

  phase = $state<Phase>('edit');
  starting = $state(false);
  runError = $state<AppError | null>(null);
  run = new JobRun();
  result = $state<JobDetail | null>(null);
  backupInfo = $state<DeleteBackup | null>(null);
  restoreId = $state('');
  restoreError = $state<AppError | null>(null);
  restoring = $state(false);

  events: JobEvents;
  #api: DeleteApi;
  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(api: DeleteApi, events?: JobEvents) {
    this.#api = api;
    this.events = events ?? new JobEvents(api);
    this.builder = new FilterBuilder(api);
    this.builder.objectLabel = (name) => this.objectLabel(name);
    this.specForm = new SpecForm(api);
  }

  /** The schedule's spec ("" while the form is unfinished) and zone. */
  get spec(): string {
    return this.specForm.spec;
  }

  get zone(): string {
    return this.specForm.zone;
  }

  /** An object's label in the UI language (its API name when the catalog does not have it). */
  objectLabel(name: string): string {
    const o = this.objects.find((x) => x.apiName === name);
    return o ? locale.label(o) : name;
  }

  /** The labels of an object's columns, as the preview names them (a column stays as it is when unknown). */
  fieldLabels(object: string, columns: readonly string[] = []): string {
    const fields = this.relatedFields[object] ?? (object === this.object ? this.builder.fields : []);
    return columns
      .map((c) => {
        const f = fields.find((x) => x.column === c || x.apiName === c);
        return f ? locale.label(f) : c;
      })
      .join(', ');
  }

  /** Reads the fields of the catalog objects the preview names but the page has not described yet. */
  async #describeRelated(pv: Preview): Promise<void> {
    const names = new Set([...pv.emptied, ...pv.blocking].map((r) => r.object));
    for (const name of names) {
      if (this.relatedFields[name] || !this.objects.some((o) => o.apiName === name)) continue;
      try {
        const m = await this.#api.DescribeObject(this.connection, name);
        this.relatedFields = { ...this.relatedFields, [name]: m.fields };
      } catch {
        // the labels are a help: the column names still say it
      }
    }
  }

  /** Follows the job events; returns the function that stops it. */
  attach(): () => void {
    const off = this.events.attach();
    const stop = this.events.listen((e, final) => this.#onEvent(e, final));
    return () => {
      stop();
      off();
      if (this.#timer) clearTimeout(this.#timer);
    };
  }

  #onEvent(e: JobEvent, final: boolean): void {
    if (this.run.take(e, final) && final) void this.#finish(e.jobId);
  }

  /** The request the page would send now. */
  request(): DeleteRequest {
    return {
      connection: this.connection,
      object: this.object,
      all: this.all,
      where: this.all ? '' : this.where.trim(),
      skipBlocked: this.skipBlocked,
      noBackup: !this.backup,
    };
  }

  /** Whether the request says which records go. */
  get selects(): boolean {
    return !!this.object && (this.all || this.where.trim() !== '');
  }

  /** Whether the builder holds no condition yet (then the preview waits for one). */
  get noCondition(): boolean {
    return !this.all && this.builder.mode === 'builder' && this.builder.root.items.length === 0;
  }

  /** The checks not met yet (empty: the delete button is enabled). */
  get unmet(): Unmet[] {
    return unmetChecks(this.preview, {
      typedObject: this.typedObject,
      password: this.password,
      typedCount: this.typedCount,
      skipBlocked: this.skipBlocked,
      scheduled: this.timing === 'schedule',
      spec: this.spec,
    });
  }

  get ready(): boolean {
    return this.unmet.length === 0 && !this.previewing && !this.starting && !this.askBackupOff;
  }

  async loadObjects(connection: string): Promise<void> {
    if (connection === this.connection && this.objects.length) return;
    this.connection = connection;
    this.objectsError = null;
    this.object = '';
    this.#clearPreview();
    if (!connection) return;
    this.relatedFields = {};
    try {
      this.objects = await this.#api.ListObjects(connection);
    } catch (e) {
      this.objects = [];
      this.objectsError = toAppError(e);
    }
  }

  async chooseObject(name: string): Promise<void> {
    this.object = name;
    this.typedObject = '';
    this.where = '';
    this.builder.reset(this.connection, name, []);
    this.changed(true);
    if (!name) return;
    try {
      const m = await this.#api.DescribeObject(this.connection, name);
      if (this.object === name) this.builder.reset(this.connection, name, m.fields);
    } catch (e) {
      this.previewError = toAppError(e);
    }
  }

  setAll(all: boolean): void {
    this.all = all;
    this.changed(true);
  }

  setWhere(text: string): void {
    this.where = text;
    this.changed();
  }

  setSkipBlocked(on: boolean): void {
    this.skipBlocked = on;
    this.changed(true);
  }

  /** The selection changed: count again (debounced unless now). */
  changed(now = false): void {
    this.#clearPreview();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.object) return;
    if (now) void this.refresh();
    else this.#timer = setTimeout(() => void this.refresh(), PREVIEW_DEBOUNCE_MS);
  }

  #clearPreview(): void {
    this.#seq++;
    this.preview = null;
    this.previewError = null;
    this.sample = null;
    this.typedCount = '';
    this.previewing = false;
  }

  /** Counts what would go and reads a sample of it; a newer call wins. */
  async refresh(): Promise<void> {
    if (!this.object) return;
    const seq = ++this.#seq;
    if (!this.all && !this.noCondition) {
      // The builder's tree (or typed text) as filter text, read through Go;
      // null while a condition is unfinished or the text is invalid.
      const w = await this.builder.whereText();
      if (seq !== this.#seq || w === null) return;
      this.where = w;
    }
    if (!this.selects) return;
    const req = this.request();
    this.previewing = true;
    this.previewError = null;
    try {
      const pv = await this.#api.PreviewDelete(req);
      if (seq !== this.#seq) return;
      this.preview = pv;
      void this.#describeRelated(pv);
    } catch (e) {
      if (seq === this.#seq) this.previewError = toAppError(e);
      return;
    } finally {
      if (seq === this.#seq) this.previewing = false;
    }
    await this.loadSample(false);
  }

  /** Reads the records that go, or (blocked) those a reference holds. */
  async loadSample(blocked: boolean): Promise<void> {
    if (!this.preview) return;
    const seq = this.#seq;
    this.sampleBlocked = blocked;
    this.sampling = true;
    try {
      const s = await this.#api.SampleDelete(this.request(), SAMPLE_LIMIT, blocked);
      if (seq === this.#seq) this.sample = s;
    } catch (e) {
      if (seq === this.#seq) this.previewError = toAppError(e);
    } finally {
      if (seq === this.#seq) this.sampling = false;
    }
  }

  /** The backup switch: on at once; off only after askBackupOff is answered. */
  toggleBackup(on: boolean): void {
    if (on) {
      this.backup = true;
      this.askBackupOff = false;
    } else {
      this.askBackupOff = true;
    }
  }

  answerBackupOff(yes: boolean): void {
    this.askBackupOff = false;
    if (yes) {
      this.backup = false;
      if (this.timing === 'schedule') this.timing = 'now';
    }
  }

  setTiming(t: 'now' | 'schedule'): void {
    this.timing = t;
    // A scheduled delete always takes a backup.
    if (t === 'schedule') {
      this.backup = true;
      void this.specForm.init();
    }
  }

  #confirmation() {
    const pv = this.preview!;
    return {
      object: this.typedObject.trim(),
      password: pv.check === 'password' ? this.password : '',
      count: pv.check === 'count' ? (parseCount(this.typedCount) ?? -1) : 0,
    };
  }

  /** Runs the delete now, or saves its schedule. */
  async start(): Promise<void> {
    if (!this.ready) return;
    this.starting = true;
    this.runError = null;
    this.scheduled = null;
    try {
      if (this.timing === 'schedule') {
        this.scheduled = await this.#api.ScheduleDelete(this.request(), this.#confirmation(), {
          spec: this.spec.trim(),
          zone: this.zone.trim(),
          maxCount: parseCount(this.maxCount) ?? 0,
        });
        this.password = '';
        return;
      }
      const id = await this.#api.StartDelete(this.request(), this.#confirmation());
      this.password = '';
      this.phase = 'running';
      this.run.follow(id);
      const early = this.events.finishedOf(id);
      if (early) this.#onEvent(early, true);
    } catch (e) {
      this.runError = toAppError(e);
    } finally {
      this.starting = false;
    }
  }

  async cancel(): Promise<void> {
    if (this.run.id) await this.#api.CancelJob(this.run.id).catch(() => {});
  }

  /** Continues an interrupted or canceled delete on the records it captured. */
  async resume(): Promise<void> {
    const id = this.run.id;
    if (!id || !this.result?.resumable) return;
    const before = this.result;
    this.runError = null;
    // Follow first: the resumed job's events may come before the call returns.
    this.result = null;
    this.phase = 'running';
    this.run.follow(id);
    try {
      await this.#api.ResumeJob(id);
    } catch (e) {
      this.runError = toAppError(e);
      this.result = before;
      this.phase = 'result';
    }
  }

  async #finish(id: string): Promise<void> {
    try {
      const [j, b] = await Promise.all([this.#api.GetJob(id), this.#api.GetDeleteBackup(id)]);
      if (id !== this.run.id) return;
      this.result = j;
      this.backupInfo = b;
    } catch (e) {
      this.runError = toAppError(e);
    }
    this.phase = 'result';
  }

  /** Brings the deleted records back from the backup. */
  async restore(): Promise<void> {
    if (!this.run.id || this.restoring) return;
    this.restoring = true;
    this.restoreError = null;
    try {
      this.restoreId = await this.#api.RestoreDelete(this.run.id);
    } catch (e) {
      this.restoreError = toAppError(e);
    } finally {
      this.restoring = false;
    }
  }

  /** Back to a new delete of the same object (counted again). */
  again(): void {
    this.phase = 'edit';
    this.run.clear();
    this.result = null;
    this.backupInfo = null;
    this.restoreId = '';
    this.restoreError = null;
    this.runError = null;
    this.typedObject = '';
    this.password = '';
    this.changed(true);
  }
}
