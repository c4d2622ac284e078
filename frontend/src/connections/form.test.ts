import { describe, expect, it } from 'vitest';
import { addressOf, emptyForm, toInput, validateForm, type ConnectionForm } from './form';

const form = (over: Partial<ConnectionForm>): ConnectionForm => ({ ...emptyForm(), ...over });

describe('validateForm', () => {
  it.each<[string, Partial<ConnectionForm>, Record<string, string>]>([
    ['a good URL', { name: 'acme', dsn: 'postgres://u:p@h:5432/db' }, {}],
    ['postgresql:// scheme', { name: 'acme', dsn: 'postgresql://h/db' }, {}],
    ['no name', { dsn: 'postgres://h/db' }, { name: 'conn.err.nameRequired' }],
    ['bad characters', { name: 'my conn', dsn: 'postgres://h/db' }, { name: 'conn.err.nameFormat' }],
    ['the sandbox name', { name: 'Sandbox', dsn: 'postgres://h/db' }, { name: 'conn.err.nameReserved' }],
    ['a taken name', { name: 'ACME2', dsn: 'postgres://h/db' }, { name: 'conn.err.nameTaken' }],
    ['no URL', { name: 'x' }, { dsn: 'conn.err.urlRequired' }],
    ['a URL of another scheme', { name: 'x', dsn: 'mysql://h/db' }, { dsn: 'conn.err.urlFormat' }],
    ['good fields', { name: 'x', how: 'fields', database: 'crm' }, {}],
    [
      'empty fields',
      { name: 'x', how: 'fields', host: ' ', port: '0', database: '', user: '' },
      {
        host: 'conn.err.hostRequired',
        port: 'conn.err.portRange',
        database: 'conn.err.databaseRequired',
        user: 'conn.err.userRequired',
      },
    ],
    ['a port too high', { name: 'x', how: 'fields', database: 'd', port: '70000' }, { port: 'conn.err.portRange' }],
    ['a port with letters', { name: 'x', how: 'fields', database: 'd', port: '54a' }, { port: 'conn.err.portRange' }],
  ])('%s', (_name, over, want) => {
    expect(validateForm(form(over), ['sandbox', 'acme2'])).toEqual(want);
  });
});

describe('toInput', () => {
  it('sends only the URL in URL mode', () => {
    const input = toInput(form({ name: ' acme ', dsn: ' postgres://h/db ', password: 'secret' }));
    expect(input).toMatchObject({ name: 'acme', dsn: 'postgres://h/db', password: '', host: '', port: 0 });
  });
  it('sends the fields with a numeric port in fields mode', () => {
    const input = toInput(
      form({ name: 'a', how: 'fields', host: 'db', port: '6432', database: 'crm', user: 'u', password: 'p w', sslMode: 'verify-full' }),
    );
    expect(input).toEqual({
      name: 'a', dsn: '', host: 'db', port: 6432, database: 'crm', user: 'u', password: 'p w', schema: 'crm', sslMode: 'verify-full', zone: '',
    });
  });
  it('sends the time zone in both modes and refuses one the browser does not know', () => {
    expect(toInput(form({ name: 'a', dsn: 'postgres://h/db', zone: ' Asia/Shanghai ' })).zone).toBe('Asia/Shanghai');
    expect(toInput(form({ name: 'a', how: 'fields', zone: 'UTC' })).zone).toBe('UTC');
    expect(validateForm(form({ name: 'zz', dsn: 'postgres://h/db', zone: 'Mars/Olympus' }), [])).toEqual({ zone: 'conn.err.zone' });
    expect(validateForm(form({ name: 'zz', dsn: 'postgres://h/db', zone: 'Asia/Shanghai' }), [])).toEqual({});
  });
});

describe('addressOf', () => {
  it('shows user@host:port/db for PostgreSQL and the file for a sandbox', () => {
    expect(addressOf({ kind: 'postgres', host: 'h', port: 5432, database: 'crm', user: 'u' })).toBe('u@h:5432/crm');
    expect(addressOf({ kind: 'sandbox', host: '', port: 0, database: '', user: '', path: '/x/sandbox.db' })).toBe('/x/sandbox.db');
  });

  it('reads a connection as Go sends it, empty fields left out', () => {
    expect(addressOf({ kind: 'postgres', host: 'h', database: 'crm' })).toBe('h/crm');
    expect(addressOf({ kind: 'postgres' })).toBe('localhost/');
  });
});
