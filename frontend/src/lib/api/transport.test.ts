import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApi } from './client';
import { AppError, toAppError } from './errors';
import {
  createHttpTransport,
  createWailsTransport,
  currentTransport,
  resetTransport,
  type WailsWindow,
} from './transport';

function fakeWails(methods: Record<string, (...a: unknown[]) => Promise<unknown>>) {
  const handlers = new Map<string, (...d: unknown[]) => void>();
  const win: WailsWindow = {
    go: { app: { App: methods } },
    runtime: {
      EventsOn: vi.fn((name: string, cb: (...d: unknown[]) => void) => {
        handlers.set(name, cb);
        return () => handlers.delete(name);
      }),
      EventsOff: vi.fn(),
    },
  };
  return { win, handlers };
}

function response(status: number, body: string): Response {
  return new Response(body === '' ? null : body, {
    status,
    statusText: status === 401 ? 'Unauthorized' : '',
    headers: { 'Content-Type': 'application/json' },
  });
}

describe('transport selection', () => {
  afterEach(() => {
    delete (window as WailsWindow).go;
    resetTransport();
  });

  it('uses HTTP when Wails bindings are absent', () => {
    expect(currentTransport().kind).toBe('http');
  });

  it('uses Wails when window.go.app.App exists', () => {
    (window as WailsWindow).go = { app: { App: { Info: async () => ({}) } } };
    expect(currentTransport().kind).toBe('wails');
    expect(createApi().transport()).toBe('wails');
  });

  it('does not take a partial window.go for Wails', () => {
    (window as WailsWindow).go = {};
    expect(currentTransport().kind).toBe('http');
  });
});

describe('Wails transport', () => {
  it('calls window.go.app.App[Method] with the arguments', async () => {
    const Describe = vi.fn(async (c: unknown, o: unknown) => ({ apiName: o, conn: c }));
    const { win } = fakeWails({ DescribeObject: Describe as never });
    const api = createApi(() => createWailsTransport(win));
    await expect(api.DescribeObject('sandbox', 'Account')).resolves.toEqual({ apiName: 'Account', conn: 'sandbox' });
    expect(Describe).toHaveBeenCalledWith('sandbox', 'Account');
  });

  it('finds a method in whichever area binds it', async () => {
    const ListJobs = vi.fn(async () => []);
    const win: WailsWindow = { go: { app: { ImportAPI: { StartImport: async () => 'j1' }, JobsAPI: { ListJobs } } } };
    const api = createApi(() => createWailsTransport(win));
    await expect(api.ListJobs({ kind: '', status: '', limit: 10 })).resolves.toEqual([]);
    await expect(api.StartImport({} as never)).resolves.toBe('j1');
    expect(ListJobs).toHaveBeenCalledTimes(1);
    await expect(api.CancelJob('x')).rejects.toMatchObject({ code: 'internal' });
  });

  it('turns undefined (void methods) into null', async () => {
    const { win } = fakeWails({ RemoveConnection: async () => undefined });
    const api = createApi(() => createWailsTransport(win));
    await expect(api.RemoveConnection('x')).resolves.toBeNull();
  });

  it.each([
    ['a JSON string', '{"code":"auth_failed","message":"password authentication failed"}', 'auth_failed', 'password authentication failed'],
    ['a plain string', 'connection refused', 'internal', 'connection refused'],
    ['broken JSON', '{"code":', 'internal', '{"code":'],
    ['an Error', new Error('{"code":"not_found","message":"no such connection"}'), 'not_found', 'no such connection'],
    ['an object', { code: 'conflict', message: 'exists' }, 'conflict', 'exists'],
  ])('rejects with a typed AppError from %s', async (_name, raw, code, message) => {
    const { win } = fakeWails({ TestConnection: () => Promise.reject(raw) });
    const api = createApi(() => createWailsTransport(win));
    const err = await api.TestConnection('pg').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code, message });
  });

  it('reports a missing method as an AppError', async () => {
    const { win } = fakeWails({});
    const err = await createApi(() => createWailsTransport(win)).Info().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
  });

  it('subscribes to events through window.runtime and unsubscribes', () => {
    const { win, handlers } = fakeWails({});
    const api = createApi(() => createWailsTransport(win));
    const seen: unknown[] = [];
    const off = api.on('job:progress', (p) => seen.push(p.done));
    handlers.get('job:progress')!({ jobId: 'j1', done: 42 });
    expect(seen).toEqual([42]);
    off();
    expect(handlers.has('job:progress')).toBe(false);
  });
});

describe('HTTP transport', () => {
  function setup(res: Response | (() => Promise<Response>)) {
    const fetch = vi.fn(typeof res === 'function' ? res : async () => res);
    const api = createApi(() => createHttpTransport({ fetch: fetch as unknown as typeof globalThis.fetch }));
    return { fetch, api };
  }

  it('POSTs /api/<Method> with a JSON array of the arguments', async () => {
    const { fetch, api } = setup(response(200, '{"apiName":"Account","fields":[]}'));
    await expect(api.DescribeObject('sandbox', 'Account')).resolves.toEqual({ apiName: 'Account', fields: [] });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/DescribeObject');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect(new Headers(init.headers).get('Content-Type')).toBe('application/json');
    expect(JSON.parse(init.body as string)).toEqual(['sandbox', 'Account']);
  });

  it('sends [] for methods without arguments and maps an empty body to null', async () => {
    const { fetch, api } = setup(response(200, ''));
    await expect(api.Info()).resolves.toBeNull();
    expect((fetch.mock.calls[0] as unknown as [string, RequestInit])[1].body).toBe('[]');
  });

  it('does not send the window-only readiness signals', async () => {
    const { fetch, api } = setup(response(200, ''));
    await expect(api.UIReady()).resolves.toBeNull();
    await expect(api.UIStep('files')).resolves.toBeNull();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('rejects a 4xx with the code and message of the body', async () => {
    const { api } = setup(response(400, '{"code":"auth_failed","message":"wrong password for user loader"}'));
    const err = await api.TestConnection('acme').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'auth_failed', message: 'wrong password for user loader' });
  });

  it('rejects a 401 without a body as unauthorized', async () => {
    const { api } = setup(response(401, ''));
    await expect(api.Info()).rejects.toMatchObject({ code: 'unauthorized', message: 'Unauthorized' });
  });

  it('uses a non-JSON error body as the message', async () => {
    const { api } = setup(response(502, 'Bad gateway'));
    await expect(api.Info()).rejects.toMatchObject({ code: 'unavailable', message: 'Bad gateway' });
  });

  it('rejects a network failure as unavailable', async () => {
    const { api } = setup(() => Promise.reject(new TypeError('Failed to fetch')));
    const err = await api.ListConnections().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'unavailable' });
  });

  it('uploads the raw file with its name in the query', async () => {
    const { fetch, api } = setup(response(200, '{"path":"/data/uploads/a b.csv","size":3}'));
    const file = new File(['a,b'], 'a b.csv', { type: 'text/csv' });
    await expect(api.upload(file)).resolves.toEqual({ path: '/data/uploads/a b.csv', size: 3 });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/upload?name=a%20b.csv');
    expect(init.body).toBe(file);
  });

  it('reads typed events from one EventSource on /api/events', () => {
    const sources: FakeEventSource[] = [];
    class FakeEventSource {
      listeners = new Map<string, (e: MessageEvent) => void>();
      closed = false;
      constructor(public url: string) {
        sources.push(this);
      }
      addEventListener(name: string, cb: (e: MessageEvent) => void) {
        this.listeners.set(name, cb);
      }
      close() {
        this.closed = true;
      }
    }
    const http = createHttpTransport({ fetch: vi.fn(), EventSource: FakeEventSource as unknown as typeof EventSource });
    const api = createApi(() => http);
    const progress: number[] = [];
    const finished: string[] = [];
    const off1 = api.on('job:progress', (p) => progress.push(p.done));
    const off2 = api.on('job:finished', (p) => finished.push(p.status));
    expect(sources).toHaveLength(1);
    expect(sources[0].url).toBe('/api/events');
    sources[0].listeners.get('job:progress')!(new MessageEvent('job:progress', { data: '{"jobId":"j","done":7}' }));
    sources[0].listeners.get('job:finished')!(new MessageEvent('job:finished', { data: '{"jobId":"j","status":"done"}' }));
    expect(progress).toEqual([7]);
    expect(finished).toEqual(['done']);
    off1();
    expect(sources[0].closed).toBe(false);
    off2();
    expect(sources[0].closed).toBe(true);
  });
});

describe('toAppError', () => {
  it('keeps an AppError as it is', () => {
    const e = new AppError('invalid', 'bad');
    expect(toAppError(e)).toBe(e);
  });
  it('is an Error with name AppError', () => {
    const e = toAppError('{"code":"too_large","message":"file is 120 MiB"}');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('AppError');
    expect(e.code).toBe('too_large');
  });
});
