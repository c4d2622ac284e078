// A fake of the api module for component tests: the sandbox's shape, with
// every method a vi.fn that tests can override.
import { vi } from 'vitest';
import type { Api, Connection, CrmObject, ObjectSummary } from '$lib/api';

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

export type FakeApi = { [K in keyof Api]: Api[K] & ReturnType<typeof vi.fn> };

/** A fake client; pass overrides for the methods a test cares about. */
export function createFakeApi(overrides: Partial<Api> = {}): FakeApi {
  let connections = [sandboxConnection, pgConnection];
  const base: Api = {
    Info: async () => ({ version: '0.1.0-test', mode: 'browser', dataDir: '/tmp/bd', secretsMode: 'file', startFiles: [] }),
    UIReady: async () => null,
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
    ListObjects: async () => summaries,
    DescribeObject: async (_c, o) => ({ ...account, apiName: o }),
    on: () => () => {},
    upload: async (f) => ({ path: `/tmp/${f.name}`, size: f.size }),
    transport: () => 'http',
    ...overrides,
  };
  const fake = {} as Record<string, unknown>;
  for (const [k, fn] of Object.entries(base)) fake[k] = vi.fn(fn as (...a: unknown[]) => unknown);
  return fake as FakeApi;
}
