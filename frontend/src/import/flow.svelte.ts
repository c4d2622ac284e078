// The import flow as an explicit step machine:
//   target → files → mapping → preview → send → result
// Each step has a blocking rule (why you cannot go on); going back and forth
// keeps every choice. Long work (validate, rehearse, import) runs as Go jobs
// whose events this class follows.
import {
  toAppError,
  type Api,
  type AppError,
  type CrmObject,
  type DetailPreset,
  type DetailRequest,
  type FileInfo,
  type FileRef,
  type ImportMode,
  type ImportRequest,
  type JobEvent,
  type JobDetail,
  type ObjectSummary,
  type Preset,
  type PresetSummary,
} from '$lib/api';
import { locale, type MessageKey, type Params } from '$lib/i18n';
import { JobEvents, JobRun } from '$lib/jobs/events.svelte';
import { MappingModel } from './mapping.svelte';
import { ProblemsState } from './problems.svelte';
import { sameHeader } from './rules';

export const STEPS = ['target', 'files', 'mapping', 'preview', 'send', 'result'] as const;
export type Step = (typeof STEPS)[number];

/** A reason in the user's language, resolved when shown. */
export interface Reason {
  key: MessageKey;
  params?: Params;
}

/** The detail part of a master–detail import. */
export class DetailPart {
  object = $state('');
  meta = $state<CrmObject | null>(null);
  files = $state<FileInfo[]>([]);
  masterColumn = $state('');
  mapping = new MappingModel();
  /** A loaded preset's part for this detail, waiting for its file or its board. */
  preset: DetailPreset | null = null;
  constructor(object: string) {
    this.object = object;
  }
}

export type FlowApi = Pick<
  Api,
  | 'ListObjects'
  | 'DescribeObject'
  | 'InspectFile'
  | 'GuessObject'
  | 'SuggestMapping'
  | 'StartValidate'
  | 'StartRehearse'
  | 'StartImport'
  | 'GetProblems'
  | 'CancelJob'
  | 'RestartJob'
  | 'GetJob'
  | 'on'
>;

export const refOf = (f: FileInfo): FileRef => ({ path: f.path, encoding: f.encoding, delimiter: f.delimiter });

export class ImportFlow {
  step = $state<Step>('target');
  connection = $state('');
  objects = $state<ObjectSummary[]>([]);
  objectsError = $state<AppError | null>(null);
  object = $state('');
  /** The object openFiles picked from the files' header ("" once the user chooses). */
  guessed = $state('');
  meta = $state<CrmObject | null>(null);
  mode = $state<ImportMode>('insert');
  key = $state('');

  files = $state<FileInfo[]>([]);
  fileError = $state<Reason | null>(null);
  appError = $state<AppError | null>(null);
  busy = $state(false);
  details = $state<DetailPart[]>([]);
  masterKey = $state('');

  mapping = new MappingModel();
  /** Which board is shown: "" the master object, else a detail object. */
  board = $state('');
  presetHints = $state<PresetSummary[]>([]);
  /** The preset loaded or last saved, offered for "Update preset". */
  preset = $state('');

  /** The jobs this flow starts and follows: the validation, the rehearsal, the import. */
  validation = new JobRun();
  rehearsal = new JobRun();
  importRun = new JobRun();
  problems: ProblemsState;
  serverProblems: ProblemsState;
  /** Which problems the grid shows. */
  source = $state<'local' | 'server'>('local');

  summary = $state<JobDetail | null>(null);

  batchSize = 5000;
  #api: FlowApi;
  #validatedSig = '';
  #objSeq = 0;
  /** Details of a loaded preset whose files are not added yet, by object. */
  #presetDetails = new Map<string, DetailPreset>();
  #pollTimer: ReturnType<typeof setTimeout> | null = null;
  /** How often a followed import is checked by GetJob (events may be missed). */
  pollMs = 1500;

  /** The app's job events (its own when none is given). */
  readonly events: JobEvents;

  constructor(api: FlowApi, events?: JobEvents) {
    this.#api = api;
    this.events = events ?? new JobEvents(api);
    this.problems = new ProblemsState(api);
    this.serverProblems = new ProblemsState(api);
  }

  /** Follows the job events; returns the function that stops it. */
  attach(): () => void {
    const off = this.events.attach();
    const stop = this.events.listen((e, final) => this.#onEvent(e, final));
    return () => {
      stop();
      off();
    };
  }

  #onEvent(e: JobEvent, final: boolean): void {
    if (this.validation.take(e, final)) return;
    if (this.rehearsal.take(e, final)) {
      if (final) void this.serverProblems.open(e.jobId);
      return;
    }
    if (this.importRun.take(e, final) && final) {
      this.step = 'result';
      void this.#loadSummary(e.jobId);
    }
  }

  async #loadSummary(id: string): Promise<void> {
    try {
      const j = await this.#api.GetJob(id);
      if (id === this.importRun.id) this.summary = j;
    } catch {
      // the event's counts still show
    }
  }

  // ---- target ----

  async loadObjects(connection: string): Promise<void> {
    if (connection === this.connection && this.objects.length) return;
    const seq = ++this.#objSeq;
    const changed = this.connection !== '' && connection !== this.connection;
    this.connection = connection;
    this.objectsError = null;
    if (changed) {
      this.object = '';
      this.meta = null;
      this.details = [];
      this.mapping.basis = '';
      this.#validatedSig = '';
      if (STEPS.indexOf(this.step) > 0 && this.step !== 'send' && this.step !== 'result') this.step = 'target';
    }
    try {
      const list = await this.#api.ListObjects(connection);
      if (seq === this.#objSeq) this.objects = list;
    } catch (e) {
      if (seq === this.#objSeq) this.objectsError = toAppError(e);
    }
  }

  /** Objects whose master is the chosen object (master–detail). */
  get detailObjects(): ObjectSummary[] {
    return this.object ? this.objects.filter((o) => o.master === this.object) : [];
  }

  async chooseObject(apiName: string): Promise<void> {
    this.object = apiName;
    this.guessed = '';
    this.meta = null;
    this.details = [];
    this.#presetDetails.clear();
    this.appError = null;
    if (this.key && this.key !== 'id' && this.key !== 'primary') this.key = '';
    if (!apiName) return;
    try {
      const meta = await this.#api.DescribeObject(this.connection, apiName);
      if (this.object !== apiName) return;
      this.meta = meta;
      if (this.key === 'primary' && !meta.primary) this.key = '';
    } catch (e) {
      this.appError = toAppError(e);
    }
  }

  setMode(mode: ImportMode): void {
    this.mode = mode;
    if (mode !== 'insert' && !this.key) this.key = 'id';
  }

  // ---- files ----

  /** Reads and checks files by path (dropped, browsed, uploaded or given on the command line). */
  async addPaths(paths: string[], detail?: DetailPart): Promise<void> {
    this.fileError = null;
    this.appError = null;
    this.busy = true;
    try {
      for (const path of paths) {
        let info: FileInfo;
        try {
          info = await this.#api.InspectFile({ path, encoding: '', delimiter: '' });
        } catch (e) {
          this.appError = toAppError(e);
          continue;
        }
        const list = detail ? detail.files : this.files;
        if (list.some((f) => f.path === info.path)) continue;
        if (list.length && !sameHeader(list[0].header, info.header)) {
          this.fileError = { key: 'imp.files.otherLayout', params: { name: info.name, first: list[0].name, diff: headerDiff(list[0].header, info.header) } };
          continue;
        }
        if (detail) {
          detail.files = [...detail.files, info];
          this.#takeDetailPreset(detail);
        }
        else this.files = [...this.files, info];
      }
    } finally {
      this.busy = false;
    }
  }

  /**
   * Files that arrive from outside the flow (the command line, a drop on the
   * window) while the target or files step shows. Without a chosen object,
   * the object is guessed from the first file's header: a guess is taken
   * (insert) and the flow goes straight to the mapping board; no guess leaves
   * the files waiting for the target. A chosen object is never replaced.
   */
  async openFiles(connection: string, paths: string[]): Promise<void> {
    const open = () => this.step === 'target' || this.step === 'files';
    if (!paths.length || !open()) return;
    // First the connection's objects (another connection resets the target).
    await this.loadObjects(connection);
    if (!open()) return;
    this.step = 'files';
    await this.addPaths(paths);
    if (this.object || !this.files.length) return;
    let guess = '';
    try {
      guess = await this.#api.GuessObject(this.connection, this.header);
    } catch {
      return; // no guess: the user picks the object
    }
    // The user may have chosen an object or moved on meanwhile.
    if (!guess || this.object || this.step !== 'files') return;
    this.mode = 'insert';
    await this.chooseObject(guess);
    if (this.object !== guess) return;
    this.guessed = guess;
    if (this.step === 'files') await this.goTo('mapping');
  }

  removeFile(path: string, detail?: DetailPart): void {
    if (detail) detail.files = detail.files.filter((f) => f.path !== path);
    else this.files = this.files.filter((f) => f.path !== path);
    this.fileError = null;
  }

  /** Reads a file again with a chosen encoding or delimiter. */
  async reinspect(path: string, encoding: string, delimiter: string, detail?: DetailPart): Promise<void> {
    this.appError = null;
    try {
      const info = await this.#api.InspectFile({ path, encoding, delimiter });
      const swap = (l: FileInfo[]) => l.map((f) => (f.path === path ? info : f));
      if (detail) detail.files = swap(detail.files);
      else this.files = swap(this.files);
    } catch (e) {
      this.appError = toAppError(e);
    }
  }

  async addDetail(object: string): Promise<DetailPart> {
    let d = this.details.find((x) => x.object === object);
    if (d) return d;
    d = new DetailPart(object);
    d.preset = this.#presetDetails.get(object) ?? null;
    this.#presetDetails.delete(object);
    this.details = [...this.details, d];
    try {
      d.meta = await this.#api.DescribeObject(this.connection, object);
    } catch (e) {
      this.appError = toAppError(e);
    }
    return d;
  }

  removeDetail(object: string): void {
    this.details = this.details.filter((d) => d.object !== object);
    if (this.board === object) this.board = '';
  }

  get header(): string[] {
    return this.files[0]?.header ?? [];
  }

  // ---- rules ----

  /** An object as sentences name it: its label in the current language. */
  objectLabel(apiName: string): string {
    const o = this.objects.find((x) => x.apiName === apiName);
    return o ? locale.label(o) : apiName;
  }

  /** Why the flow cannot go past a step, or null. */
  blocker(step: Step): Reason | null {
    switch (step) {
      case 'target':
        if (!this.object) return { key: 'imp.block.object' };
        if (!this.meta) return { key: 'imp.block.loading' };
        if (this.mode !== 'insert' && !this.key) return { key: 'imp.block.key' };
        if (this.key === 'primary' && this.mode !== 'insert' && !this.meta.primary) return { key: 'imp.block.key' };
        return null;
      case 'files': {
        // Files can arrive first (command line, a drop): the target is still needed.
        const target = this.blocker('target');
        if (target) return target;
        if (this.busy) return { key: 'imp.block.loading' };
        if (!this.files.length) return { key: 'imp.block.files' };
        if (this.fileError) return this.fileError;
        for (const d of this.details) {
          if (!d.files.length) return { key: 'imp.block.detailFiles', params: { object: this.objectLabel(d.object) } };
          if (!this.masterKey) return { key: 'imp.block.masterKey' };
          if (!d.masterColumn) return { key: 'imp.block.masterColumn', params: { object: this.objectLabel(d.object) } };
        }
        return null;
      }
      case 'mapping': {
        if (!this.mapping.object) return { key: 'imp.block.loading' };
        const miss = this.mapping.missing(this.mode, this.key);
        if (miss.length) return { key: 'imp.block.required', params: { fields: miss.map(locale.label).join(', ') } };
        if (!Object.keys(this.mapping.columns).length) return { key: 'imp.block.nothingMapped' };
        for (const d of this.details) {
          const dm = d.mapping.missing('insert', '').filter((f) => f.type !== 'master_detail');
          if (dm.length) return { key: 'imp.block.detailRequired', params: { object: this.objectLabel(d.object), fields: dm.map(locale.label).join(', ') } };
        }
        return null;
      }
      case 'preview':
        if (!this.validation.finished) return { key: 'imp.block.validating' };
        if (this.validation.finished.status !== 'done') return { key: 'imp.block.validateFailed' };
        if (this.sendable <= 0) return { key: 'imp.block.nothingToSend' };
        return null;
      case 'send':
        return this.importRun.finished ? null : { key: 'imp.block.running' };
      case 'result':
        return null;
    }
  }

  /** Rows that will be sent: all rows minus failing ones. */
  /** What the rehearsal of this request found, once it ran to its end. */
  get rehearsed(): { total: number; ok: number; failed: number } | null {
    const f = this.rehearsal.finished;
    return f && f.status === 'done' && this.rehearsal.id ? { total: f.total, ok: f.succeeded, failed: f.failed } : null;
  }

  /** Rows the import being sent holds when known (the preview's count; 0 = unknown). */
  sendTotal = $state(0);
  /** The rehearsal's finding for the import being sent (null: not rehearsed). */
  sendRehearsed = $state<{ total: number; ok: number; failed: number } | null>(null);

  /** Rows of every file of the import: the master's and each detail's. */
  get allRows(): number {
    const count = (fs: FileInfo[]) => fs.reduce((n, f) => n + f.rowCount, 0);
    return count(this.files) + this.details.reduce((n, d) => n + count(d.files), 0);
  }

  /** The header of the import's file named name (as problem rows name it). */
  headerOfFile(name: string): string[] | undefined {
    const all = [...this.files, ...this.details.flatMap((d) => d.files)];
    return all.find((f) => f.path.split(/[\\/]/).pop() === name || f.name === name)?.header;
  }

  get sendable(): number {
    const rows = this.allRows;
    const total = this.validation.finished?.total || rows;
    return Math.max(0, total - this.problems.allTotal);
  }

  /** Whether the stepper may jump to a step now. */
  canGo(to: Step): boolean {
    const i = STEPS.indexOf(to);
    const cur = STEPS.indexOf(this.step);
    if (this.step === 'send') return false;
    if (this.step === 'result') return i <= 3;
    if (i > 3) return false;
    for (let k = 0; k < i; k++) if (this.blocker(STEPS[k])) return false;
    return i <= cur + 1 || i < cur;
  }

  async goTo(to: Step): Promise<boolean> {
    if (to === this.step) return true;
    if (!this.canGo(to)) return false;
    if (this.step === 'result') this.#resetRun();
    this.step = to;
    if (to === 'mapping') await this.prepareMapping();
    if (to === 'preview') await this.validate();
    return true;
  }

  next(): Promise<boolean> {
    const i = STEPS.indexOf(this.step);
    return i < 3 ? this.goTo(STEPS[i + 1]) : Promise.resolve(false);
  }

  back(): Promise<boolean> {
    const i = STEPS.indexOf(this.step);
    return i > 0 && i < 4 ? this.goTo(STEPS[i - 1]) : Promise.resolve(false);
  }

  // ---- mapping ----

  /** Builds the boards (suggestions) unless already built for this object and layout. */
  async prepareMapping(): Promise<void> {
    const parts: [MappingModel, CrmObject | null, FileInfo[]][] = [
      [this.mapping, this.meta, this.files],
      ...this.details.map((d): [MappingModel, CrmObject | null, FileInfo[]] => [d.mapping, d.meta, d.files]),
    ];
    for (const [model, meta, files] of parts) {
      if (!meta || !files.length) continue;
      const header = files[0].header;
      if (model.basis === MappingModel.basisOf(meta.apiName, header)) continue;
      try {
        const s = await this.#api.SuggestMapping(this.connection, meta.apiName, header);
        model.init(meta, header, files[0].sample, s);
        if (model === this.mapping) {
          this.presetHints = s.presets;
          this.preset = '';
        } else {
          const d = this.details.find((x) => x.mapping === model);
          if (d) this.#takeDetailPreset(d);
        }
      } catch (e) {
        this.appError = toAppError(e);
      }
    }
  }

  // ---- presets ----

  /**
   * What a preset saves: the master's mapping with the mode and key and, on
   * a master–detail import, the master key column and each detail's columns
   * with its master column.
   */
  presetBody(): Preset {
    const p: Preset = this.mapping.toMapping(this.mode, this.key);
    if (!this.details.length) return p;
    p.masterKey = this.masterKey;
    p.details = this.details.map((d) => ({
      object: d.object,
      masterColumn: d.masterColumn,
      columns: d.preset && !d.mapping.basis ? structuredClone(d.preset.columns) : d.mapping.toMapping('insert', '').columns,
    }));
    return p;
  }

  /**
   * Takes a loaded preset's master–detail part (its columns for the master
   * board are applied by the caller): the master key column, and for each
   * detail object of this object its master column and columns. A detail
   * whose files are not added yet gets them when they come. Returns those
   * detail objects, to say so.
   */
  applyPresetDetails(p: Preset): string[] {
    if (p.masterKey && this.header.includes(p.masterKey)) this.masterKey = p.masterKey;
    const waiting: string[] = [];
    for (const pd of p.details ?? []) {
      if (!this.detailObjects.some((o) => o.apiName === pd.object)) continue;
      const d = this.details.find((x) => x.object === pd.object);
      if (!d) {
        this.#presetDetails.set(pd.object, pd);
        waiting.push(pd.object);
        continue;
      }
      d.preset = pd;
      // Loaded on purpose: the preset's master column wins over the one chosen.
      if (d.files[0]?.header.includes(pd.masterColumn)) d.masterColumn = pd.masterColumn;
      this.#takeDetailPreset(d);
      if (!d.files.length) waiting.push(pd.object);
    }
    return waiting;
  }

  /** Applies a detail's waiting preset part as far as its files and board allow. */
  #takeDetailPreset(d: DetailPart): void {
    const pd = d.preset;
    const header = d.files[0]?.header;
    if (!pd || !header) return;
    if (!d.masterColumn && header.includes(pd.masterColumn)) d.masterColumn = pd.masterColumn;
    if (d.meta && d.mapping.basis === MappingModel.basisOf(d.meta.apiName, header)) {
      d.mapping.apply(pd);
      d.preset = null;
    }
  }

  /** Whether the main board is built for the chosen object and the files' header. */
  get boardReady(): boolean {
    return !!this.meta && this.mapping.basis === MappingModel.basisOf(this.meta.apiName, this.header);
  }

  /** The board shown (master or a detail's). */
  get boardModel(): MappingModel {
    return this.details.find((d) => d.object === this.board)?.mapping ?? this.mapping;
  }

  // ---- preview ----

  request(): ImportRequest {
    const details: DetailRequest[] = this.details.map((d) => ({
      object: d.object,
      files: d.files.map(refOf),
      mapping: d.mapping.toMapping('insert', ''),
      masterColumn: d.masterColumn,
    }));
    return {
      connection: this.connection,
      object: this.object,
      files: this.files.map(refOf),
      mapping: this.mapping.toMapping(this.mode, this.key),
      batchSize: this.batchSize,
      masterKey: this.details.length ? this.masterKey : '',
      details,
    };
  }

  /** Validates the whole file unless the same request was validated already. */
  async validate(force = false): Promise<void> {
    const req = this.request();
    const sig = JSON.stringify(req);
    if (!force && sig === this.#validatedSig && this.validation.id) return;
    this.appError = null;
    this.validation.follow(this.validation.id);
    this.rehearsal.clear();
    this.serverProblems.close();
    this.source = 'local';
    try {
      const id = await this.#api.StartValidate(req);
      this.validation.follow(id);
      this.#validatedSig = sig;
      await this.problems.open(id);
      // A job that finished before its events were followed: trust the page.
      if (this.validation.id === id) this.noteProblemsDone();
    } catch (e) {
      this.appError = toAppError(e);
    }
  }

  /** Marks a validation finished when the poll says done (events may be missed). */
  noteProblemsDone(): void {
    const rows = this.allRows;
    for (const [run, problems] of [[this.validation, this.problems], [this.rehearsal, this.serverProblems]] as const) {
      if (problems.done && run.id && !run.finished) {
        run.finished = this.events.finishedOf(run.id) ?? run.progress ?? syntheticFinished(run.id, rows);
      }
    }
  }

  async rehearse(): Promise<void> {
    this.appError = null;
    this.rehearsal.follow(this.rehearsal.id);
    try {
      const id = await this.#api.StartRehearse(this.request());
      this.rehearsal.follow(id);
      this.source = 'server';
      // A fast job can finish before its Start call returns.
      const early = this.events.finishedOf(id);
      if (early) this.#onEvent(early, true);
      else await this.serverProblems.open(id);
      if (this.rehearsal.id === id) this.noteProblemsDone();
    } catch (e) {
      this.appError = toAppError(e);
    }
  }

  // ---- send, result ----

  async send(): Promise<void> {
    if (this.blocker('preview')) return;
    this.appError = null;
    try {
      const id = await this.#api.StartImport(this.request());
      this.sendTotal = this.validation.finished?.status === 'done' ? this.validation.finished.total : 0;
      this.sendRehearsed = this.rehearsed;
      this.#follow(id);
    } catch (e) {
      this.appError = toAppError(e);
    }
  }

  #follow(id: string): void {
    this.importRun.follow(id);
    this.summary = null;
    this.step = 'send';
    const early = this.events.finishedOf(id);
    if (early) this.#onEvent(early, true);
    else this.#poll(id);
  }

  /** Checks a followed import now and then, in case its events are missed. */
  #poll(id: string): void {
    if (this.#pollTimer) clearTimeout(this.#pollTimer);
    this.#pollTimer = setTimeout(async () => {
      this.#pollTimer = null;
      if (this.importRun.id !== id || this.step !== 'send') return;
      try {
        const j = await this.#api.GetJob(id);
        if (this.importRun.id !== id || this.step !== 'send') return;
        if (j.status !== 'running' && j.status !== 'queued') {
          this.summary = j;
          this.importRun.finished = {
            jobId: id, kind: j.kind, status: j.status as JobEvent['status'], total: j.total, done: j.succeeded + j.failed,
            succeeded: j.succeeded, failed: j.failed, bytesRead: 0, bytesTotal: 0, rowsPerSec: j.rowsPerSec, message: j.message,
          };
          this.step = 'result';
          return;
        }
      } catch {
        // try again
      }
      this.#poll(id);
    }, this.pollMs);
  }

  async cancel(): Promise<void> {
    if (!this.importRun.id) return;
    try {
      await this.#api.CancelJob(this.importRun.id);
    } catch (e) {
      this.appError = toAppError(e);
    }
  }

  /** Sends the failed rows of the finished import again, following the new job. */
  async restartFailed(): Promise<void> {
    if (!this.importRun.id) return;
    try {
      const failed = this.summary?.failed ?? this.importRun.finished?.failed ?? 0;
      const id = await this.#api.RestartJob(this.importRun.id, true);
      this.sendTotal = failed;
      this.sendRehearsed = null;
      this.#follow(id);
    } catch (e) {
      this.appError = toAppError(e);
    }
  }

  #resetRun(): void {
    this.importRun.clear();
    this.summary = null;
    this.#validatedSig = '';
  }

  /** Starts over with new files, keeping the target. */
  startOver(): void {
    this.#resetRun();
    this.guessed = '';
    this.files = [];
    this.details = [];
    this.#presetDetails.clear();
    this.masterKey = '';
    this.fileError = null;
    this.validation.clear();
    this.problems.close();
    this.serverProblems.close();
    this.mapping.basis = '';
    this.step = 'files';
  }
}

function syntheticFinished(jobId: string, total: number): JobEvent {
  return { jobId, kind: 'import', status: 'done', total, done: total, succeeded: 0, failed: 0, bytesRead: 0, bytesTotal: 0, rowsPerSec: 0, message: '' };
}

/** Which columns differ between two headers, shortly. */
export function headerDiff(a: string[], b: string[]): string {
  const missing = a.filter((h) => !b.includes(h));
  const extra = b.filter((h) => !a.includes(h));
  const parts: string[] = [];
  if (missing.length) parts.push(`− ${missing.slice(0, 5).join(', ')}`);
  if (extra.length) parts.push(`+ ${extra.slice(0, 5).join(', ')}`);
  return parts.length ? parts.join('; ') : a.join(', ');
}
