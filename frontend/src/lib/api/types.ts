// Mirrors app/dto.go and backend/catalog/catalog.go. Change both together.

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

/** The fixed event names the Go side emits, with their payloads. */
export interface EventMap {
  'job:progress': JobEvent;
  'job:finished': JobEvent;
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
  GetSettings(): Promise<Settings>;
  SaveSettings(s: Settings): Promise<Settings>;
  ListConnections(): Promise<Connection[]>;
  AddConnection(input: ConnectionInput): Promise<Connection>;
  TestConnection(name: string): Promise<TestResult>;
  RemoveConnection(name: string): Promise<null>;
  ListObjects(connection: string): Promise<ObjectSummary[]>;
  DescribeObject(connection: string, object: string): Promise<CrmObject>;
}
export type MethodName = keyof AppMethods;
