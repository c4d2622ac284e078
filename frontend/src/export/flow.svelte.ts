// The Export page's state: what to export (all objects, or one with its
// details), which fields in which order, which records (the condition
// builder) with their live count, the file options, where the files go,
// when, and the run that follows.
import type { Api, CrmObject, ExportCount, ExportFile, ExportJobInfo, ExportRequest, Field, JobEvent, ObjectSummary, SavedDestination } from '$lib/api';
import { toAppError, type AppError } from '$lib/api';
import { JobRun, type JobEvents } from '$lib/jobs/events.svelte';
import { locale } from '$lib/i18n';
import { FilterBuilder } from '../shared/filter/builder.svelte';

export type ExportApi = Pick<
  Api,
  | 'ListObjects'
  | 'DescribeObject'
  | 'CountExport'
  | 'StartExport'
  | 'FilterFromText'
  | 'FilterFromJSON'
  | 'ExportJob'
  | 'ListDestinations'
  | 'PickFolder'
  | 'ScheduleExport'
  | 'CancelJob'
  // The condition builder's lookup search finds records by name and names
  // the IDs of a filter read from text (FilterApi leaves them optional).
  | 'SearchRecords'
  | 'RecordNames'
  | 'transport'
>;

/** How long the count waits after the last change before asking. */
export const COUNT_DELAY_MS = 400;

export class ExportFlow {
  connection = $state('');
  objects = $state<ObjectSummary[]>([]);
  objectsError = $state<AppError | null>(null);
  scope = $state<'object' | 'all'>('object');
  object = $state('');
  meta = $state<CrmObject | null>(null);
  related = $state(false);
  /** The chosen fields, in file order ([] = every non-system field, the default). */
  fields = $state<string[]>([]);
  fieldSearch = $state('');
  includeVoided = $state(false);
  withIds = $state(false);
  bom = $state(true);
  headers = $state<'api' | 'en' | 'zh'>('api');
  /** Where the files go: a saved destination's name, or a folder typed or browsed. */
  destKind = $state<'folder' | 'saved'>('folder');
  folder = $state('');
  saved = $state('');
  destinations = $state<SavedDestination[]>([]);
  /** When: now, or on a schedule (spec from the schedule form). */
  timing = $state<'now' | 'schedule'>('now');

  count = $state<ExportCount | null>(null);
  counting = $state(false);
  countError = $state<AppError | null>(null);

  run = new JobRun();
  runError = $state<AppError | null>(null);
  result = $state<ExportJobInfo | null>(null);
  starting = $state(false);
  scheduledId = $state('');

  builder: FilterBuilder;
  #api: ExportApi;
  #events: JobEvents;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #countSeq = 0;

  constructor(api: ExportApi, events: JobEvents) {
    this.#api = api;
    this.#events = events;
    this.builder = new FilterBuilder(api);
    this.builder.objectLabel = (name) => this.objectLabel(name);
    events.listen((e, final) => {
      if (this.run.take(e, final) && final) void this.#loadResult(e);
    });
  }

  /** An object's label in the UI language (its API name when the catalog does not have it). */
  objectLabel(name: string): string {
    const o = this.objects.find((x) => x.apiName === name);
    return o ? locale.label(o) : name;
  }

  /** A chosen field's label in the UI language (its API name when unknown). */
  fieldLabel(name: string): string {
    const f = this.meta?.fields.find((x) => x.apiName === name);
    return f ? locale.label(f) : name;
  }

  /** Loads the objects and destinations of a connection (again when it changes). */
  async load(connection: string): Promise<void> {
    if (connection === this.connection && this.objects.length > 0) return;
    this.connection = connection;
    this.objectsError = null;
    try {
      this.objects = await this.#api.ListObjects(connection);
    } catch (e) {
      this.objectsError = toAppError(e);
      this.objects = [];
    }
    await this.loadDestinations();
    if (this.object && !this.objects.some((o) => o.apiName === this.object)) await this.chooseObject('');
    this.recount();
  }

  async loadDestinations(): Promise<void> {
    try {
      this.destinations = await this.#api.ListDestinations();
    } catch {
      this.destinations = [];
    }
  }

  /** The master objects (a detail object is exported with its master). */
  get details(): ObjectSummary[] {
    return this.objects.filter((o) => o.master === this.object && this.object !== '');
  }

  async chooseObject(name: string): Promise<void> {
    this.object = name;
    this.count = null;
    this.fields = [];
    this.meta = null;
    this.related = false;
    this.builder.reset(this.connection, name, []);
    if (!name) return;
    try {
      const m = await this.#api.DescribeObject(this.connection, name);
      if (this.object !== name) return;
      this.meta = m;
      this.builder.reset(this.connection, name, m.fields);
      this.fields = this.defaultFields;
    } catch (e) {
      this.objectsError = toAppError(e);
    }
    this.recount();
  }

  setScope(s: 'object' | 'all'): void {
    this.scope = s;
    this.count = null;
    this.recount();
  }

  /** The fields an export writes without a choice: every non-system field, plus the owner. */
  get defaultFields(): string[] {
    return (this.meta?.fields ?? []).filter((f) => (!f.system || f.type === 'owner') && f.type !== 'uuid').map((f) => f.apiName);
  }

  /** Fields offered in the picker, matching the search. */
  get shownFields(): Field[] {
    const q = this.fieldSearch.trim().toLowerCase();
    const all = this.meta?.fields ?? [];
    if (!q) return all;
    return all.filter((f) => [f.apiName, f.labelEn, f.labelZh].some((s) => s.toLowerCase().includes(q)));
  }

  toggleField(name: string, on: boolean): void {
    const rest = this.fields.filter((f) => f !== name);
    if (!on) {
      this.fields = rest;
      return;
    }
    // Keep the object's order for a field added back.
    const order = (this.meta?.fields ?? []).map((f) => f.apiName);
    const next = [...rest, name];
    this.fields = next.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  }

  selectAll(on: boolean): void {
    this.fields = on ? (this.meta?.fields ?? []).map((f) => f.apiName) : [];
  }

  /** Moves a chosen field up (-1) or down (+1) in the file. */
  move(name: string, by: -1 | 1): void {
    const i = this.fields.indexOf(name);
    const j = i + by;
    if (i < 0 || j < 0 || j >= this.fields.length) return;
    const f = [...this.fields];
    [f[i], f[j]] = [f[j], f[i]];
    this.fields = f;
  }

  /** The request for Go; null while the filter is not ready. */
  async request(): Promise<ExportRequest | null> {
    const base: ExportRequest = {
      includeVoided: this.includeVoided,
      withIds: this.withIds,
      noBom: !this.bom,
      headers: this.headers,
    };
    if (this.scope === 'all') return { ...base, all: true };
    if (!this.object) return null;
    const where = await this.builder.whereText();
    if (where === null) return null;
    return { ...base, object: this.object, related: this.related, fields: this.fields, where };
  }

  /** The destination for Go: a saved name or the folder. */
  get destination(): string {
    return this.destKind === 'saved' ? this.saved : this.folder.trim();
  }

  /** Asks for the count again after a short pause (debounced). */
  recount(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.countNow(), COUNT_DELAY_MS);
  }

  /** Counts the records now; a later request wins over an earlier answer. */
  async countNow(): Promise<void> {
    this.#timer = null;
    const seq = ++this.#countSeq;
    const req = await this.request();
    if (seq !== this.#countSeq) return;
    if (!req) {
      this.count = null;
      return;
    }
    this.counting = true;
    this.countError = null;
    try {
      const n = await this.#api.CountExport(this.connection, req);
      if (seq === this.#countSeq) this.count = n;
    } catch (e) {
      if (seq === this.#countSeq) {
        this.countError = toAppError(e);
        this.count = null;
      }
    } finally {
      if (seq === this.#countSeq) this.counting = false;
    }
  }

  async browse(): Promise<void> {
    try {
      const p = await this.#api.PickFolder();
      if (p) {
        this.folder = p;
        this.destKind = 'folder';
      }
    } catch (e) {
      this.runError = toAppError(e);
    }
  }

  /** Whether Run can start: something to export, a filter that is ready, a destination. */
  get ready(): boolean {
    if (this.scope === 'object' && !this.object) return false;
    if (this.builder.mode === 'builder' && this.builder.problems.length > 0) return false;
    return this.destination !== '';
  }

  /** Runs the export now as a job. */
  async start(): Promise<void> {
    this.again();
    this.scheduledId = '';
    this.starting = true;
    try {
      const req = await this.request();
      if (!req) return;
      const id = await this.#api.StartExport(this.connection, req, this.destination);
      this.run.follow(id);
      // A small export can end before its ID came back: take the events already seen.
      const seen = this.#events.entries[id];
      if (seen && this.run.take(seen.event, seen.final) && seen.final) void this.#loadResult(seen.event);
    } catch (e) {
      this.runError = toAppError(e);
    } finally {
      this.starting = false;
    }
  }

  /** Saves the export as a schedule of spec. */
  async schedule(spec: string, zone: string): Promise<void> {
    this.again();
    this.scheduledId = '';
    this.starting = true;
    try {
      const req = await this.request();
      if (!req) return;
      const s = await this.#api.ScheduleExport(this.connection, req, this.destination, spec, zone);
      this.scheduledId = s.id;
    } catch (e) {
      this.runError = toAppError(e);
    } finally {
      this.starting = false;
    }
  }

  async cancel(): Promise<void> {
    if (this.run.id) await this.#api.CancelJob(this.run.id).catch(() => null);
  }

  async #loadResult(e: JobEvent): Promise<void> {
    try {
      this.result = await this.#api.ExportJob(e.jobId);
    } catch (err) {
      this.runError = toAppError(err);
    }
  }

  /** Starts over for another export (keeps the connection, object list and destinations). */
  again(): void {
    this.run.clear();
    this.result = null;
    this.runError = null;
  }
}

/** Where a file went, for people: the folder path, or the remote path. */
export function fileWhere(f: ExportFile): string {
  return f.archive ? `${f.location} → ${f.name}` : f.location;
}
