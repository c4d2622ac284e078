// Mirrors app/dto.go, app/import_dto.go, backend/catalog/catalog.go and
// backend/ingest/mapping (Mapping, Column, Suggestion). Change both together.

/** AppInfo describes the running app (app.AppInfo). */
export interface AppInfo {
  version: string;
  /** "desktop" (Wails window) or "browser" (batchdesk serve). */
  mode: 'desktop' | 'browser' | string;
  dataDir: string;
  /** "keyring" or "file" (encrypted-file fallback). */
  secretsMode: 'keyring' | 'file' | string;
  /** CSV paths given on the command line. */
  startFiles: string[] | null;
}

export type Language = 'en' | 'zh';

/** Settings are the user's preferences (app.Settings). */
export interface Settings {
  language: Language;
  /** Import size limit in MiB (default 100). */
  maxFileMb: number;
  /** Default import batch size (default 5000). */
  batchSize: number;
}

export type SSLMode = 'disable' | 'prefer' | 'require' | 'verify-full';
export const SSL_MODES: readonly SSLMode[] = ['disable', 'prefer', 'require', 'verify-full'];

/** A saved CRM connection (app.Connection). The password never leaves Go. */
export interface Connection {
  name: string;
  kind: 'postgres' | 'sandbox' | string;
  host: string;
  port: number;
  database: string;
  user: string;
  schema: string;
  sslMode: string;
  /** The SQLite file of a sandbox connection. */
  path?: string;
  hasPassword: boolean;
  /** The built-in sandbox, which cannot be removed. */
  builtIn: boolean;
  createdAt: string;
}

/** What the Connections form sends (app.ConnectionInput): dsn, or the fields. */
export interface ConnectionInput {
  name: string;
  dsn: string;
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  schema: string;
  sslMode: string;
}

/** Outcome of TestConnection: a real login (app.TestResult). */
export interface TestResult {
  ok: boolean;
  /** "" when ok, else an error code (auth_failed, unavailable, …). */
  code: string;
  message: string;
  serverVersion: string;
  objects: number;
  millis: number;
}

/** One row of the Objects list (app.ObjectSummary). */
export interface ObjectSummary {
  apiName: string;
  labelEn: string;
  labelZh: string;
  table: string;
  primary: string;
  master: string;
  fieldCount: number;
  fromCatalog: boolean;
}

/** CRM field types (catalog.FieldType); the string values are stable. */
export type FieldType =
  | 'text'
  | 'long_text'
  | 'integer'
  | 'decimal'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'boolean'
  | 'picklist'
  | 'multi_picklist'
  | 'email'
  | 'phone'
  | 'url'
  | 'lookup'
  | 'master_detail'
  | 'owner'
  | 'related_team'
  | 'uuid';

export const FIELD_TYPES: readonly FieldType[] = [
  'text', 'long_text', 'integer', 'decimal', 'currency', 'percent', 'date', 'datetime',
  'boolean', 'picklist', 'multi_picklist', 'email', 'phone', 'url', 'lookup',
  'master_detail', 'owner', 'related_team', 'uuid',
];

/** One value of a picklist or multi-picklist (catalog.Option). */
export interface PicklistOption {
  value: string;
  labelEn: string;
  labelZh: string;
}

/** One field of an object (catalog.Field). */
export interface Field {
  apiName: string;
  labelEn: string;
  labelZh: string;
  type: FieldType;
  /** Database column ("" for related-team fields). */
  column: string;
  required: boolean;
  unique: boolean;
  system: boolean;
  maxLength?: number;
  precision?: number;
  scale?: number;
  options?: PicklistOption[];
  /** Referenced object for lookup, master-detail and owner fields. */
  target?: string;
  /** "read_write" or "read_only" for related-team fields. */
  teamRole?: string;
  hasDefault?: boolean;
}

/** One CRM object (catalog.Object). Named CrmObject to avoid JS's Object. */
export interface CrmObject {
  apiName: string;
  labelEn: string;
  labelZh: string;
  schema: string;
  table: string;
  primary?: string;
  master?: string;
  fields: Field[];
  /** true: CRM catalog tables; false: derived from PostgreSQL's catalog. */
  fromCatalog: boolean;
}

/** Job kinds and statuses (DESIGN §4). */
export type JobKind = 'import' | 'export' | 'delete' | string;
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'interrupted' | 'canceled';

/** Payload of job:progress and job:finished. */
export interface JobEvent {
  jobId: string;
  kind: JobKind;
  status: JobStatus;
  total: number;
  done: number;
  succeeded: number;
  failed: number;
  bytesRead: number;
  bytesTotal: number;
  rowsPerSec: number;
  message: string;
}

/** Payload of files:dropped (window only): absolute paths dropped on the window. */
export interface FilesDropped {
  paths: string[];
}

/** The fixed event names the Go side emits, with their payloads. */
export interface EventMap {
  'job:progress': JobEvent;
  'job:finished': JobEvent;
  'files:dropped': FilesDropped;
}
export type EventName = keyof EventMap;

/** Result of a browser-mode upload. */
export interface UploadResult {
  path: string;
  size: number;
}

/** The app methods bound by Go (app.App), with their typed signatures. */
export interface AppMethods {
  Info(): Promise<AppInfo>;
  UIReady(): Promise<null>;
  /** Logs "batchdesk: ui step <step>" once the import flow shows a step (the window test waits for it). */
  UIStep(step: string): Promise<null>;
  GetSettings(): Promise<Settings>;
  SaveSettings(s: Settings): Promise<Settings>;
  ListConnections(): Promise<Connection[]>;
  AddConnection(input: ConnectionInput): Promise<Connection>;
  TestConnection(name: string): Promise<TestResult>;
  RemoveConnection(name: string): Promise<null>;
  ListObjects(connection: string): Promise<ObjectSummary[]>;
  DescribeObject(connection: string, object: string): Promise<CrmObject>;

  // Import (app/import_dto.go)
  InspectFile(ref: FileRef): Promise<FileInfo>;
  /** The API name of the object of the connection these headers match best, "" when none fits. */
  GuessObject(connection: string, headers: string[]): Promise<string>;
  /** Window only: native open dialog (several CSV files); [] when canceled. */
  PickFiles(): Promise<string[]>;
  SuggestMapping(connection: string, object: string, headers: string[]): Promise<MappingSuggestion>;
  ColumnValues(ref: FileRef, header: string, limit: number): Promise<ValueCount[]>;
  StartValidate(req: ImportRequest): Promise<string>;
  StartRehearse(req: ImportRequest): Promise<string>;
  StartImport(req: ImportRequest): Promise<string>;
  GetProblems(jobId: string, q: ProblemQuery): Promise<ProblemPage>;

  // Jobs
  CancelJob(id: string): Promise<null>;
  ListJobs(f: JobFilter): Promise<JobSummary[]>;
  GetJob(id: string): Promise<JobDetail>;
  ResumeJob(id: string): Promise<string>;
  RestartJob(id: string, failedOnly: boolean): Promise<string>;
  /** Window only: native save dialog; the saved path, "" when canceled. */
  SaveErrorReport(jobId: string): Promise<string>;

  // Presets
  ListPresets(object: string): Promise<PresetSummary[]>;
  GetPreset(name: string): Promise<Preset>;
  SavePreset(name: string, mapping: Mapping, headers: string[]): Promise<PresetSummary>;
  RenamePreset(oldName: string, newName: string): Promise<null>;
  DeletePreset(name: string): Promise<null>;
  ExportPreset(name: string): Promise<string>;
  ImportPreset(json: string): Promise<PresetSummary>;
  /** Window only: save dialog for a text file; the saved path, "" when canceled. */
  SaveTextFile(defaultName: string, content: string): Promise<string>;
}
export type MethodName = keyof AppMethods;

// ---- Import (app/import_dto.go, backend/ingest/mapping) ----

/** A CSV file on the machine running Go ("" encoding/delimiter = detect). */
export interface FileRef {
  path: string;
  encoding: string;
  delimiter: string;
}

/** What the files step shows of one file (app.FileInfo). */
export interface FileInfo {
  path: string;
  name: string;
  size: number;
  encoding: string;
  delimiter: string;
  header: string[];
  rowCount: number;
  /** The first rows, fields in header order. */
  sample: string[][];
  sampleLines: number[];
  warnings: string[];
}

/** How rows are written (mapping.Mode). */
export type ImportMode = 'insert' | 'update' | 'upsert';
export const IMPORT_MODES: readonly ImportMode[] = ['insert', 'update', 'upsert'];

/** What one file column means (mapping.Column). */
export interface MappingColumn {
  field: string;
  valueMap?: Record<string, string>;
  /** One of DATE_FORMATS, optionally with " HH:mm[:ss]"; "" = ISO 8601. */
  dateFormat?: string;
  /** NUMBER_LOCALES; "" = 1,234.56. */
  numberLocale?: string;
  /** "null", "keep" or "" (null on insert, keep on update/upsert). */
  blank?: string;
  /** "auto" (""), "id", "primary" or a field API name of the target. */
  lookupBy?: string;
}

/** A file's columns → an object's fields: the shape of a preset (mapping.Mapping). */
export interface Mapping {
  object: string;
  mode: ImportMode | '';
  /** "id", "primary" or a field API name (update, upsert). */
  key?: string;
  zone?: string;
  columns: Record<string, MappingColumn>;
}

export const DATE_FORMATS = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY/MM/DD'] as const;
export const NUMBER_LOCALES = ['1,234.56', '1.234,56'] as const;

/** The proposed field of one header (mapping.Suggestion). */
export interface Suggestion {
  header: string;
  /** "" when nothing fits. */
  field: string;
  /** 0..1 */
  confidence: number;
  reason: string;
  /** Confidence ≥ the auto-accept level: mapped unasked. */
  auto: boolean;
}

/** The mapping step's starting point (app.MappingSuggestion). */
export interface MappingSuggestion {
  mapping: Mapping;
  suggestions: Suggestion[];
  /** Saved presets whose headers match the file's. */
  presets: PresetSummary[];
}

/** One distinct value of a column and how often it occurs. */
export interface ValueCount {
  value: string;
  count: number;
}

/** One detail object of a master–detail import. */
export interface DetailRequest {
  object: string;
  files: FileRef[];
  mapping: Mapping;
  /** The detail file's column holding the master's key. */
  masterColumn: string;
}

/** Everything an import (or its validation or rehearsal) needs. */
export interface ImportRequest {
  connection: string;
  object: string;
  files: FileRef[];
  mapping: Mapping;
  batchSize: number;
  /** The master file's column holding each master's key. */
  masterKey: string;
  details: DetailRequest[];
}

/** One problem of one cell ("" column: of the whole row). */
export interface CellProblem {
  column: string;
  field: string;
  code: string;
  message: string;
  value: string;
}

/** One failing row of the preview grid. */
export interface ProblemRow {
  /** The file line the row starts on (the header is line 1). */
  line: number;
  file: string;
  /** Original values, in header order. */
  cells: string[];
  problems: CellProblem[];
}

export interface ProblemQuery {
  offset: number;
  limit: number;
  code: string;
  column: string;
}

/** One page of failing rows and the totals. */
export interface ProblemPage {
  header: string[];
  /** Failing rows matching the query's filters. */
  total: number;
  rows: ProblemRow[];
  byCode: Record<string, number>;
  byColumn: Record<string, number>;
  /** false while the job is still producing problems. */
  done: boolean;
}

// ---- Jobs ----

/** One row of the jobs dashboard (app.JobSummary). */
export interface JobSummary {
  jobId: string;
  kind: JobKind;
  status: JobStatus | string;
  connection: string;
  object: string;
  files: string[];
  validateOnly: boolean;
  rehearse: boolean;
  total: number;
  succeeded: number;
  failed: number;
  /** 0..1; 0 when total is 0. */
  successRate: number;
  createdAt: string;
  startedAt: string;
  finishedAt: string;
  seconds: number;
  rowsPerSec: number;
  /** An error report exists. */
  hasErrors: boolean;
  message: string;
  resumable: boolean;
}

export interface JobFilter {
  kind: string;
  status: string;
  limit: number;
}

/** One entry of a job's log (app.JobEvent; named apart from the event payload). */
export interface JobLogEntry {
  at: string;
  level: string;
  message: string;
}

/** The job page (app.JobDetail). */
export interface JobDetail extends JobSummary {
  events: JobLogEntry[];
  /** The report's path on the Go side ("" when none). */
  errorReport: string;
}

// ---- Presets ----

/** One saved preset (app.PresetSummary). */
export interface PresetSummary {
  name: string;
  object: string;
  mode: string;
  columns: number;
  updatedAt: string;
}

/** A preset as stored and exported: a mapping with a name. */
export interface Preset extends Mapping {
  name: string;
}
