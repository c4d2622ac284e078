// The Add-connection form: its fields, checks and the input it sends (pure).
import type { ConnectionInput, SSLMode } from '$lib/api';
import type { MessageKey } from '$lib/i18n';

export type ConnectHow = 'url' | 'fields';

export interface ConnectionForm {
  name: string;
  how: ConnectHow;
  dsn: string;
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
  schema: string;
  sslMode: SSLMode;
  /** IANA time zone of datetimes written without one ("" = the computer's). */
  zone: string;
}

export type FormField = keyof ConnectionForm;
export type FormErrors = Partial<Record<FormField, MessageKey>>;

export function emptyForm(): ConnectionForm {
  return {
    name: '',
    how: 'url',
    dsn: '',
    host: '127.0.0.1',
    port: '5432',
    database: '',
    user: 'postgres',
    password: '',
    schema: 'crm',
    sslMode: 'prefer',
    zone: '',
  };
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Checks the form; an empty result means it can be sent. */
export function validateForm(f: ConnectionForm, existing: readonly string[]): FormErrors {
  const e: FormErrors = {};
  const name = f.name.trim();
  if (!name) e.name = 'conn.err.nameRequired';
  else if (!NAME.test(name)) e.name = 'conn.err.nameFormat';
  else if (name.toLowerCase() === 'sandbox') e.name = 'conn.err.nameReserved';
  else if (existing.some((n) => n.toLowerCase() === name.toLowerCase())) e.name = 'conn.err.nameTaken';

  if (f.zone.trim() && !isZone(f.zone.trim())) e.zone = 'conn.err.zone';
  if (f.how === 'url') {
    const dsn = f.dsn.trim();
    if (!dsn) e.dsn = 'conn.err.urlRequired';
    else if (!/^postgres(ql)?:\/\/.+/i.test(dsn)) e.dsn = 'conn.err.urlFormat';
  } else {
    if (!f.host.trim()) e.host = 'conn.err.hostRequired';
    const port = Number(f.port);
    if (!/^\d+$/.test(f.port.trim()) || port < 1 || port > 65535) e.port = 'conn.err.portRange';
    if (!f.database.trim()) e.database = 'conn.err.databaseRequired';
    if (!f.user.trim()) e.user = 'conn.err.userRequired';
  }
  return e;
}

/** The ConnectionInput for AddConnection: the URL, or the separate fields. */
export function toInput(f: ConnectionForm): ConnectionInput {
  if (f.how === 'url') {
    return {
      name: f.name.trim(),
      dsn: f.dsn.trim(),
      host: '',
      port: 0,
      database: '',
      user: '',
      password: '',
      schema: '',
      sslMode: '',
      zone: f.zone.trim(),
    };
  }
  return {
    name: f.name.trim(),
    dsn: '',
    host: f.host.trim(),
    port: Number(f.port),
    database: f.database.trim(),
    user: f.user.trim(),
    password: f.password,
    schema: f.schema.trim(),
    sslMode: f.sslMode,
    zone: f.zone.trim(),
  };
}

/** Whether the browser knows zone as an IANA time zone (Go checks again). */
export function isZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.toLowerCase() !== 'local';
  } catch {
    return false;
  }
}

/**
 * Where a connection points, for the list: user@host:port/database or the
 * file. Go omits empty fields, so each may be absent.
 */
export function addressOf(c: {
  kind: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  path?: string;
}): string {
  if (c.kind === 'sandbox') return c.path ?? '';
  const host = c.host || 'localhost';
  return `${c.user ? `${c.user}@` : ''}${host}${c.port ? `:${c.port}` : ''}/${c.database ?? ''}`;
}
