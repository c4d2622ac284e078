import { describe, expect, it } from 'vitest';
import { createFakeApi, pgConnection, sandboxConnection } from '../test/fakeApi';
import { ConnectionState } from './connection.svelte';

function memoryStorage(init: Record<string, string> = {}) {
  const m = new Map(Object.entries(init));
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

describe('ConnectionState', () => {
  it('defaults to the sandbox and remembers a choice', async () => {
    const storage = memoryStorage();
    const s = new ConnectionState(createFakeApi(), storage);
    expect(s.selected).toBe('sandbox');
    await s.refresh();
    expect(s.list.map((c) => c.name)).toEqual(['sandbox', 'acme']);
    s.select('acme');
    expect(s.current).toEqual(pgConnection);
    expect(new ConnectionState(createFakeApi(), storage).selected).toBe('acme');
  });

  it('falls back to the built-in sandbox when the selected one is gone', async () => {
    const s = new ConnectionState(createFakeApi({ ListConnections: async () => [sandboxConnection] }), memoryStorage({ 'batchdesk.connection': 'gone' }));
    expect(s.selected).toBe('gone');
    await s.refresh();
    expect(s.selected).toBe('sandbox');
  });

  it('keeps the error of a failed refresh', async () => {
    const s = new ConnectionState(createFakeApi({ ListConnections: () => Promise.reject('{"code":"internal","message":"db locked"}') }));
    await s.refresh();
    expect(s.error).toMatchObject({ code: 'internal', message: 'db locked' });
    expect(s.loading).toBe(false);
  });
});
