import { describe, expect, it } from 'vitest';
import type { ObjectSummary } from '$lib/api';
import { createFakeApi, summaries } from '../test/fakeApi';
import { ObjectsState } from './objects.svelte';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ObjectsState', () => {
  it('loads a list and describes the selected object', async () => {
    const api = createFakeApi();
    const s = new ObjectsState(api);
    await s.load('sandbox');
    expect(s.list).toHaveLength(5);
    await s.select('Account');
    expect(api.DescribeObject).toHaveBeenCalledWith('sandbox', 'Account');
    expect(s.detail?.fields.length).toBeGreaterThan(0);
  });

  it('drops the late answer of an earlier connection', async () => {
    const slow = deferred<ObjectSummary[]>();
    const api = createFakeApi({
      ListObjects: (c) => (c === 'slow' ? slow.promise : Promise.resolve(summaries.slice(0, 1))),
    });
    const s = new ObjectsState(api);
    const first = s.load('slow');
    await s.load('fast');
    slow.resolve(summaries);
    await first;
    expect(s.connection).toBe('fast');
    expect(s.list).toHaveLength(1);
  });

  it('keeps a typed error', async () => {
    const s = new ObjectsState(createFakeApi({ ListObjects: () => Promise.reject('{"code":"unavailable","message":"no route to host"}') }));
    await s.load('acme');
    expect(s.error).toMatchObject({ code: 'unavailable' });
    expect(s.loading).toBe(false);
  });
});
