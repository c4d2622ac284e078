// A fake of the api module for component tests: the sandbox's shape, with
// every method a vi.fn that tests can override.
import { vi } from 'vitest';
import type {
  Api,
  Connection,
  CrmObject,
  FileInfo,
  JobSummary,
  MappingSuggestion,
  ObjectSummary,
  Preset,
  PresetSummary,
  Preview,
  ProblemPage,
  ProblemQuery,
  ProblemRow,
} from '$lib/api';

export const sandboxConnection: Connection = {
  name: 'sandbox',
  kind: 'sandbox',
  host: '',
  port: 0,
  database: '',
  user: '',
  schema: '',
  sslMode: '',
  path: '/tmp/bd/sandbox.db',
  hasPassword: false,
  builtIn: true,
  createdAt: '2026-01-01T00:00:00Z',
};

export const pgConnection: Connection = {
  name: 'acme',
  kind: 'postgres',
  host: 'db.acme.local',
  port: 5432,
  database: 'crm',
  user: 'loader',
  schema: 'crm',
  sslMode: 'require',
  hasPassword: true,
  builtIn: false,
  createdAt: '2026-01-02T00:00:00Z',
};

export const summaries: ObjectSummary[] = [
  { apiName: 'Account', labelEn: 'Account', labelZh: '客户', table: 'account', primary: 'name', master: '', fieldCount: 19, fromCatalog: true },
  { apiName: 'Contact', labelEn: 'Contact', labelZh: '联系人', table: 'contact', primary: 'name', master: '', fieldCount: 14, fromCatalog: true },
  { apiName: 'Product', labelEn: 'Product', labelZh: '产品', table: 'product', primary: 'name', master: '', fieldCount: 12, fromCatalog: true },
  { apiName: 'Opportunity', labelEn: 'Opportunity', labelZh: '商机', table: 'opportunity', primary: 'name', master: '', fieldCount: 13, fromCatalog: true },
  { apiName: 'OpportunityLine', labelEn: 'Opportunity Line', labelZh: '商机明细', table: 'opportunity_line', primary: '', master: 'Opportunity', fieldCount: 12, fromCatalog: true },
];

export const account: CrmObject = {
  apiName: 'Account',
  labelEn: 'Account',
  labelZh: '客户',
  schema: '',
  table: 'account',
  primary: 'name',
  fromCatalog: true,
  fields: [
    { apiName: 'id', labelEn: 'ID', labelZh: 'ID', type: 'uuid', column: 'id', required: false, unique: true, system: true },
    { apiName: 'name', labelEn: 'Account Name', labelZh: '客户名称', type: 'text', column: 'name', required: true, unique: false, system: false, maxLength: 255 },
    { apiName: 'account_no', labelEn: 'Account Number', labelZh: '客户编号', type: 'text', column: 'account_no', required: false, unique: true, system: false, maxLength: 64 },
    {
      apiName: 'industry', labelEn: 'Industry', labelZh: '行业', type: 'picklist', column: 'industry', required: false, unique: false, system: false,
      options: [
        { value: 'Technology', labelEn: 'Technology', labelZh: '科技' },
        { value: 'Finance', labelEn: 'Finance', labelZh: '金融' },
      ],
    },
    { apiName: 'annual_revenue', labelEn: 'Annual Revenue', labelZh: '年收入', type: 'currency', column: 'annual_revenue', required: false, unique: false, system: false, precision: 18, scale: 2 },
    { apiName: 'parent_account_id', labelEn: 'Parent Account', labelZh: '上级客户', type: 'lookup', column: 'parent_account_id', required: false, unique: false, system: false, target: 'Account' },
    { apiName: 'team_read_write', labelEn: 'Team (read-write)', labelZh: '团队（读写）', type: 'related_team', column: '', required: false, unique: false, system: false, teamRole: 'read_write' },
    { apiName: 'owner_id', labelEn: 'Owner', labelZh: '负责人', type: 'owner', column: 'owner_id', required: false, unique: false, system: true, target: 'User' },
  ],
};

export const accountFile: FileInfo = {
  path: '/tmp/accounts.csv',
  name: 'accounts.csv',
  size: 2048,
  encoding: 'gb18030',
  delimiter: ',',
  header: ['客户名称', '行业', '年收入', 'Notes'],
  rowCount: 120,
  sample: [
    ['华为', '科技', '1000', 'a'],
    ['招商银行', 'Bank', 'abc', 'b'],
    ['Acme', 'Tech', '12.5', 'c'],
  ],
  sampleLines: [2, 3, 4],
  warnings: [],
};

export const accountSuggestion: MappingSuggestion = {
  mapping: {
    object: 'Account',
    mode: 'insert',
    columns: { 客户名称: { field: 'name' }, 行业: { field: 'industry' } },
  },
  suggestions: [
    { header: '客户名称', field: 'name', confidence: 1, reason: 'Chinese label', auto: true },
    { header: '行业', field: 'industry', confidence: 0.95, reason: 'Chinese label', auto: true },
    { header: '年收入', field: 'annual_revenue', confidence: 0.62, reason: 'similar spelling', auto: false },
    { header: 'Notes', field: '', confidence: 0, reason: '', auto: false },
  ],
  presets: [],
};

export function job(over: Partial<JobSummary> = {}): JobSummary {
  return {
    jobId: 'j1', kind: 'import', status: 'done', connection: 'sandbox', object: 'Account', files: ['accounts.csv'],
    validateOnly: false, rehearse: false, total: 120, succeeded: 118, failed: 2, added: 118, updated: 0, successRate: 118 / 120,
    createdAt: '2026-01-03T10:00:00Z', startedAt: '2026-01-03T10:00:00Z', finishedAt: '2026-01-03T10:00:04Z',
    seconds: 4, rowsPerSec: 30, hasErrors: true, message: '', resumable: false, backup: '', ...over,
  };
}

/** A problem source of n failing rows, made on demand (100,000 rows cost nothing). */
export function problemRows(n: number, header = accountFile.header) {
  const row = (i: number): ProblemRow => ({
    line: i + 2,
    file: 'accounts.csv',
    cells: header.map((h, c) => `${h}-${i}-${c}`),
    problems: [{ column: header[1], field: 'industry', code: 'bad_picklist', message: `row ${i}: not an option`, value: `v${i}` }],
  });
  return (_id: string, q: ProblemQuery): Promise<ProblemPage> => {
    const total = q.code && q.code !== 'bad_picklist' ? 0 : n;
    const rows: ProblemRow[] = [];
    for (let i = q.offset; i < Math.min(total, q.offset + q.limit); i++) rows.push(row(i));
    return Promise.resolve({ header, total, rows, byCode: { bad_picklist: n }, byColumn: { [header[1]]: n }, done: true });
  };
}

export type FakeApi = { [K in keyof Api]: Api[K] & ReturnType<typeof vi.fn> };

/** The preview of a delete on the sandbox: 25 records, counted check. */
export const deletePreview: Preview = {
  object: 'Opportunity',
  crm: 'sandbox',
  matching: 25,
  blocked: 0,
  total: 25,
  cascades: [{ object: 'OpportunityLine', table: 'opportunity_line', rows: 60 }],
  emptied: [],
  blocking: [],
  blockedIds: [],
  warnings: [],
  check: 'count',
  checkNote: 'a sandbox has no password: type the exact count of records that go instead',
};

/** A fake client; pass overrides for the methods a test cares about. */
/** The records the fake lookup search finds (SearchRecords, RecordNames). */
export const fakeRecords = [
  { id: '6f1c0f4e-0000-4000-8000-000000000001', name: 'Acme Ltd' },
  { id: '6f1c0f4e-0000-4000-8000-000000000002', name: 'Acme Trading' },
  { id: '6f1c0f4e-0000-4000-8000-000000000003', name: '北京云科技' },
];

export function createFakeApi(overrides: Partial<Api> = {}): FakeApi {
  let connections = [sandboxConnection, pgConnection];
  let presets: PresetSummary[] = [
    { name: 'Accounts CN', object: 'Account', mode: 'insert', columns: 4, updatedAt: '2026-01-02T08:00:00Z' },
    { name: 'Contacts', object: 'Contact', mode: 'upsert', columns: 6, updatedAt: '2026-01-01T08:00:00Z' },
  ];
  /** Presets saved through SavePreset, as GetPreset gives them back. */
  const saved = new Map<string, Preset>();
  const base: Api = {
    Info: async () => ({ version: '0.1.0-test', mode: 'browser', dataDir: '/tmp/bd', secretsMode: 'file', startFiles: [] }),
    UIReady: async () => null,
    UIStep: async () => null,
    GetSettings: async () => ({ language: 'en', maxFileMb: 100, batchSize: 5000 }),
    SaveSettings: async (s) => s,
    ListConnections: async () => connections,
    AddConnection: async (input) => {
      const c: Connection = { ...pgConnection, name: input.name, hasPassword: !!input.password };
      connections = [...connections, c];
      return c;
    },
    TestConnection: async () => ({ ok: true, code: '', message: '', serverVersion: 'PostgreSQL 15.8', objects: 5, millis: 12 }),
    RemoveConnection: async (name) => {
      connections = connections.filter((c) => c.name !== name);
      return null;
    },
    CopyToSandbox: async (_connection, name) => `job-copy-${name}`,
    ListObjects: async () => summaries,
    DescribeObject: async (_c, o) => ({ ...account, apiName: o }),
    InspectFile: async (ref) => ({
      ...accountFile,
      path: ref.path,
      name: ref.path.split('/').pop() ?? ref.path,
      encoding: ref.encoding || accountFile.encoding,
      delimiter: ref.delimiter || accountFile.delimiter,
    }),
    GuessObject: async () => '',
    PickFiles: async () => ['/home/me/accounts.csv'],
    SuggestMapping: async () => structuredClone(accountSuggestion),
    ColumnValues: async () => [
      { value: '科技', count: 40 },
      { value: 'Tech', count: 12 },
      { value: 'Finance', count: 8 },
      { value: 'Bank', count: 3 },
    ],
    StartValidate: async () => 'v1',
    StartRehearse: async () => 'r1',
    StartImport: async () => 'i1',
    GetProblems: problemRows(3),
    CountExport: async (_c, req) => ({ rows: req.where ? 12 : 200, objects: [{ object: req.object || 'Account', rows: req.where ? 12 : 200 }] }),
    StartExport: async () => 'e1',
    ShowFolder: async () => null,
    FilterFromText: async (_c, _o, text) => ({ text, json: 'null' }),
    FilterFromJSON: async (_c, _o, json) => ({ text: json === 'null' ? '' : json, json }),
    SearchRecords: async (_c, object, text) => {
      const records = fakeRecords.filter((r) => r.name.toLowerCase().includes(text.trim().toLowerCase()));
      return { object, field: 'name', records, more: false };
    },
    RecordNames: async (_c, _o, ids) => fakeRecords.filter((r) => ids.includes(r.id)),
    ExportJob: async () => ({ request: { object: 'Account' }, destination: '/home/me/exports', files: [], scheduleId: '', note: '' }),
    ListDestinations: async () => [],
    AddDestination: async (input) => ({ name: input.name, kind: 'local', url: input.url, hasSecret: false }),
    TestDestination: async () => null,
    RemoveDestination: async () => null,
    UpdateDestination: async (name, input) => ({ name: input.name || name, kind: 'local', url: input.url, hasSecret: false }),
    PickFolder: async () => '/home/me/exports',
    PreviewSpec: async (spec) => ({ spec, words: `Words for ${spec}`, next: ['2026-12-02T02:00:00Z'], nextWords: ['Wed 2026-12-02 02:00 UTC'] }),
    LocalZone: async () => 'UTC',
    ScheduleExport: async () => ({
      id: 's1', kind: 'export', title: 'export Account', spec: 'daily 02:00 UTC', words: 'Every day at 02:00 (UTC)', enabled: true, nextRun: '', nextWords: '',
      lastRun: '', object: 'Account', all: false, where: '', destination: '', maxCount: 0, lastOutcome: '', lastJobId: '', lastStatus: '', lastCaughtUp: false, lastNote: '', connection: 'sandbox',
    }),
    ListSchedules: async () => [],
    PauseSchedule: async () => null,
    ResumeSchedule: async () => '',
    RunScheduleNow: async () => 'e2',
    RemoveSchedule: async () => null,
    UpdateSchedule: async (id, edit) => ({
      id, kind: 'export', title: 'export Account', spec: `${edit.spec} ${edit.zone}`, words: `Words for ${edit.spec}`, enabled: true, nextRun: '', nextWords: '',
      lastRun: '', object: 'Account', all: false, where: edit.where, destination: edit.destination, maxCount: edit.maxCount, lastOutcome: '', lastJobId: '', lastStatus: '', lastCaughtUp: false, lastNote: '', connection: 'sandbox',
    }),
    CancelJob: async () => null,
    ListJobs: async () => [
      job({ jobId: 'j2', status: 'failed', succeeded: 50, failed: 70, successRate: 50 / 120, createdAt: '2026-01-04T10:00:00Z', rowsPerSec: 60 }),
      job(),
    ],
    GetJob: async (id) => ({ ...job({ jobId: id }), events: [{ at: '2026-01-03T10:00:01Z', level: 'info', message: 'batch 1 committed' }], errorReport: '/tmp/r.csv', errorReports: [] }),
    ResumeJob: async (id) => `${id}-resumed`,
    RestartJob: async (id) => `${id}-restart`,
    SaveErrorReport: async () => '/home/me/errors.csv',
    PreviewDelete: async (req) => ({ ...deletePreview, object: req.object }),
    SampleDelete: async (_req, _limit, blocked) => ({ header: ['id', 'name'], rows: [['a1', 'Acme'], ['a2', 'Globex']], blocked }),
    StartDelete: async () => 'd1',
    ScheduleDelete: async (_r, _c, s) => ({ scheduleId: 's1', title: 'delete Opportunity', spec: s.spec, nextRun: '2026-12-02T02:00:00Z', maxCount: 25 }),
    GetDeleteBackup: async (id) => ({ jobId: id, location: '/tmp/bd/reports/d1/backup.zip', restorable: true }),
    RestoreDelete: async () => 'i9',
    SaveObjectReport: async () => '/home/me/errors.csv',
    ListPresets: async () => presets,
    GetPreset: async (name) =>
      structuredClone(saved.get(name)) ?? { name, object: 'Account', mode: 'insert', columns: { 客户名称: { field: 'name' }, 年收入: { field: 'annual_revenue', numberLocale: '1.234,56' } } },
    SavePreset: async (name, m) => {
      saved.set(name, structuredClone({ ...m, name }));
      const p: PresetSummary = { name, object: m.object, mode: m.mode || 'insert', columns: Object.keys(m.columns).length, updatedAt: '2026-01-05T00:00:00Z' };
      presets = [...presets.filter((x) => x.name !== name), p];
      return p;
    },
    RenamePreset: async (o, n) => {
      presets = presets.map((p) => (p.name === o ? { ...p, name: n } : p));
      return null;
    },
    DeletePreset: async (name) => {
      presets = presets.filter((p) => p.name !== name);
      return null;
    },
    ExportPreset: async (name) => JSON.stringify({ name, object: 'Account', mode: 'insert', columns: {} }),
    ImportPreset: async (json) => {
      const m = JSON.parse(json) as { name: string; object: string };
      const p: PresetSummary = { name: m.name, object: m.object, mode: 'insert', columns: 0, updatedAt: '2026-01-06T00:00:00Z' };
      presets = [...presets, p];
      return p;
    },
    SaveTextFile: async () => '/home/me/preset.json',
    saveErrorReport: async () => 'download',
    saveText: async () => 'download',
    on: () => () => {},
    upload: async (f) => ({ path: `/tmp/${f.name}`, size: f.size }),
    transport: () => 'http',
    ...overrides,
  };
  const fake = {} as Record<string, unknown>;
  for (const [k, fn] of Object.entries(base)) fake[k] = vi.fn(fn as (...a: unknown[]) => unknown);
  return fake as FakeApi;
}

/** An event bus for the fake api: pass `on` as an override, then emit. */
export function fakeEvents() {
  const handlers = new Map<string, Set<(p: unknown) => void>>();
  return {
    on: ((name: string, cb: (p: unknown) => void) => {
      if (!handlers.has(name)) handlers.set(name, new Set());
      handlers.get(name)!.add(cb);
      return () => handlers.get(name)!.delete(cb);
    }) as Api['on'],
    emit(name: string, payload: unknown) {
      for (const cb of handlers.get(name) ?? []) cb(payload);
    },
  };
}

/** A job event with defaults. */
export function jobEvent(over: Partial<import('$lib/api').JobEvent> = {}): import('$lib/api').JobEvent {
  return { jobId: 'i1', kind: 'import', status: 'running', total: 120, done: 0, succeeded: 0, failed: 0, bytesRead: 0, bytesTotal: 0, rowsPerSec: 0, message: '', ...over };
}
