// The typed client: one method per bound Go method, plus events, uploads and
// the browser-mode stand-ins of the window's native dialogs.

import { currentTransport, type Transport } from './transport';
import type {
  AppMethods,
  EventMap,
  EventName,
  FileInfo,
  JobDetail,
  MappingSuggestion,
  MethodName,
  ProblemPage,
  UploadResult,
} from './types';

/** Everything the UI may ask of Go. */
export interface Api extends AppMethods {
  /** Subscribes to a typed event; returns the unsubscribe function. */
  on<K extends EventName>(name: K, cb: (payload: EventMap[K]) => void): () => void;
  /** Browser mode: streams a file to the server, which saves it to disk. */
  upload(file: File, onProgress?: (sent: number, total: number) => void): Promise<UploadResult>;
  /** Which transport serves this page. */
  transport(): 'wails' | 'http';
  /**
   * Saves a job's error report: a native save dialog in the window (the
   * saved path, "" when canceled), a download in the browser ("download").
   */
  saveErrorReport(jobId: string, object?: string): Promise<string>;
  /** Saves a text file: save dialog in the window, a Blob download in the browser. */
  saveText(defaultName: string, content: string): Promise<string>;
}

/** Go sends nil slices and maps as null: the UI always gets arrays and objects. */
const arr = <T>(v: T[] | null | undefined): T[] => v ?? [];
const obj = <T extends object>(v: T | null | undefined): T => v ?? ({} as T);

function normFile(f: FileInfo): FileInfo {
  return { ...f, header: arr(f.header), sample: arr(f.sample).map(arr), sampleLines: arr(f.sampleLines), warnings: arr(f.warnings) };
}

function normSuggestion(s: MappingSuggestion): MappingSuggestion {
  const m = s?.mapping ?? { object: '', mode: '', columns: {} };
  return { mapping: { ...m, columns: obj(m.columns) }, suggestions: arr(s?.suggestions), presets: arr(s?.presets) };
}

function normProblems(p: ProblemPage): ProblemPage {
  return {
    ...p,
    header: arr(p.header),
    rows: arr(p.rows).map((r) => ({ ...r, cells: arr(r.cells), problems: arr(r.problems) })),
    byCode: obj(p.byCode),
    byColumn: obj(p.byColumn),
  };
}

function normJob<T extends { files: string[] | null }>(j: T): T {
  return { ...j, files: arr(j.files) };
}

/** Clicks a temporary link: the browser downloads url (same-origin cookie auth). */
function browserDownload(url: string, name: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** Builds a client over a transport getter (the default picks per call). */
export function createApi(get: () => Transport = currentTransport): Api {
  const call = <M extends MethodName>(method: M, ...args: Parameters<AppMethods[M]>) =>
    get().call(method, args) as ReturnType<AppMethods[M]>;
  return {
    Info: () => call('Info'),
    // Window-only readiness signals (the window test reads them): browser mode does not serve them.
    UIReady: async () => (get().kind === 'http' ? null : call('UIReady')),
    UIStep: async (step) => (get().kind === 'http' ? null : call('UIStep', step)),
    GetSettings: () => call('GetSettings'),
    SaveSettings: (s) => call('SaveSettings', s),
    ListConnections: async () => ((await call('ListConnections')) ?? []),
    AddConnection: (input) => call('AddConnection', input),
    TestConnection: (name) => call('TestConnection', name),
    RemoveConnection: (name) => call('RemoveConnection', name),
    CopyToSandbox: (connection, name, records) => call('CopyToSandbox', connection, name, records),
    ListObjects: async (connection) => ((await call('ListObjects', connection)) ?? []),
    DescribeObject: (connection, object) => call('DescribeObject', connection, object),

    InspectFile: async (ref) => normFile(await call('InspectFile', ref)),
    GuessObject: async (connection, headers) => (await call('GuessObject', connection, headers)) ?? '',
    PickFiles: async () => arr(await call('PickFiles')),
    SuggestMapping: async (c, o, h) => normSuggestion(await call('SuggestMapping', c, o, h)),
    ColumnValues: async (ref, header, limit) => arr(await call('ColumnValues', ref, header, limit)),
    StartValidate: (req) => call('StartValidate', req),
    StartRehearse: (req) => call('StartRehearse', req),
    StartImport: (req) => call('StartImport', req),
    GetProblems: async (id, q) => normProblems(await call('GetProblems', id, q)),

    CancelJob: (id) => call('CancelJob', id),
    ListJobs: async (f) => arr(await call('ListJobs', f)).map(normJob),
    GetJob: async (id) => {
      const j: JobDetail = normJob(await call('GetJob', id));
      return { ...j, events: arr(j.events), errorReports: arr(j.errorReports) };
    },
    ResumeJob: (id) => call('ResumeJob', id),
    RestartJob: (id, failedOnly) => call('RestartJob', id, failedOnly),
    SaveErrorReport: (id) => call('SaveErrorReport', id),
    SaveObjectReport: (id, object) => call('SaveObjectReport', id, object),

    PreviewDelete: async (req) => {
      const p = await call('PreviewDelete', req);
      return { ...p, cascades: arr(p.cascades), emptied: arr(p.emptied), blocking: arr(p.blocking), blockedIds: arr(p.blockedIds), warnings: arr(p.warnings) };
    },
    SampleDelete: async (req, limit, blocked) => {
      const s = await call('SampleDelete', req, limit, blocked);
      return { ...s, header: arr(s.header), rows: arr(s.rows).map(arr) };
    },
    StartDelete: (req, c) => call('StartDelete', req, c),
    ScheduleDelete: (req, c, s) => call('ScheduleDelete', req, c, s),
    GetDeleteBackup: (id) => call('GetDeleteBackup', id),
    RestoreDelete: (id) => call('RestoreDelete', id),

    ListPresets: async (object) => arr(await call('ListPresets', object)),
    GetPreset: async (name) => {
      const p = await call('GetPreset', name);
      const out = { ...p, columns: obj(p.columns) };
      if (p.details) out.details = p.details.map((d) => ({ ...d, columns: obj(d.columns) }));
      return out;
    },
    SavePreset: (name, mapping, headers) => call('SavePreset', name, mapping, headers),
    RenamePreset: (o, n) => call('RenamePreset', o, n),
    DeletePreset: (name) => call('DeletePreset', name),
    ExportPreset: (name) => call('ExportPreset', name),
    ImportPreset: (json) => call('ImportPreset', json),
    SaveTextFile: (name, content) => call('SaveTextFile', name, content),

    CountExport: async (c, req) => {
      const n = await call('CountExport', c, req);
      return { ...n, objects: arr(n?.objects) };
    },
    StartExport: (c, req, dest) => call('StartExport', c, req, dest),
    ShowFolder: (location) => call('ShowFolder', location),
    FilterFromText: (c, o, text) => call('FilterFromText', c, o, text),
    FilterFromJSON: (c, o, json) => call('FilterFromJSON', c, o, json),
    SearchRecords: async (c, o, text) => {
      const r = await call('SearchRecords', c, o, text);
      return { ...r, records: arr(r?.records) };
    },
    RecordNames: async (c, o, ids) => arr(await call('RecordNames', c, o, ids)),
    ExportJob: async (id) => {
      const j = await call('ExportJob', id);
      return { ...j, files: arr(j.files) };
    },

    ListDestinations: async () => arr(await call('ListDestinations')),
    AddDestination: (input) => call('AddDestination', input),
    TestDestination: (spec) => call('TestDestination', spec),
    RemoveDestination: (name) => call('RemoveDestination', name),
    UpdateDestination: (name, input) => call('UpdateDestination', name, input),
    PickFolder: async () => (await call('PickFolder')) ?? '',

    PreviewSpec: async (spec, zone, lang, n) => {
      const p = await call('PreviewSpec', spec, zone, lang, n);
      return { ...p, next: arr(p.next), nextWords: arr(p.nextWords) };
    },
    LocalZone: () => call('LocalZone'),
    ScheduleExport: (c, req, dest, spec, zone) => call('ScheduleExport', c, req, dest, spec, zone),
    ListSchedules: async (lang) => arr(await call('ListSchedules', lang)),
    PauseSchedule: (id) => call('PauseSchedule', id),
    ResumeSchedule: (id) => call('ResumeSchedule', id),
    RunScheduleNow: (id) => call('RunScheduleNow', id),
    RemoveSchedule: (id) => call('RemoveSchedule', id),
    UpdateSchedule: (id, edit, lang) => call('UpdateSchedule', id, edit, lang),

    on: (name, cb) => get().on(name, cb as (p: unknown) => void),
    upload: (file, onProgress) => get().upload(file, onProgress),
    transport: () => get().kind,
    saveErrorReport: async (jobId, object = '') => {
      if (get().kind === 'wails') return call('SaveObjectReport', jobId, object);
      const of = object ? `&object=${encodeURIComponent(object)}` : '';
      browserDownload(`/api/download?job=${encodeURIComponent(jobId)}${of}`, '');
      return 'download';
    },
    saveText: async (name, content) => {
      if (get().kind === 'wails') return call('SaveTextFile', name, content);
      const url = URL.createObjectURL(new Blob([content], { type: 'application/json' }));
      try {
        browserDownload(url, name);
      } finally {
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      }
      return 'download';
    },
  };
}

/** The app's client. Components import this (tests replace the module). */
export const api: Api = createApi();
