// The two ways to reach Go: the Wails bindings (desktop window) and HTTP
// (`batchdesk serve`, a normal browser). Both reject with AppError only.

import { AppError, codeForStatus, toAppError } from './errors';
import type { UploadResult } from './types';

type Listener = (payload: unknown) => void;

/** A way to call app methods and receive events. */
export interface Transport {
  readonly kind: 'wails' | 'http';
  call(method: string, args: unknown[]): Promise<unknown>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on(name: string, cb: Listener): () => void;
  upload(file: File, onProgress?: (sent: number, total: number) => void): Promise<UploadResult>;
}

type Bound = Record<string, (...args: unknown[]) => Promise<unknown>>;

/**
 * What Wails v2 injects into the page: window.go.app.<Area>.<Method>, one
 * object per area of the bound surface (app/surface.go: ImportAPI, JobsAPI, …).
 */
export interface WailsWindow {
  go?: { app?: Record<string, Bound | undefined> };
  runtime?: {
    EventsOn(name: string, cb: (...data: unknown[]) => void): (() => void) | void;
    EventsOff(name: string, ...more: string[]): void;
  };
}

declare global {
  interface Window extends WailsWindow {}
}

/** True when the page runs inside the Wails window with bound app methods. */
export function hasWails(win: WailsWindow | undefined): boolean {
  const app = win?.go?.app;
  return !!app && Object.values(app).some((area) => !!area && typeof area === 'object');
}

/** The bound function of a method, in whichever area binds it (names are unique across areas). */
function boundMethod(win: WailsWindow, method: string): ((...args: unknown[]) => Promise<unknown>) | undefined {
  for (const area of Object.values(win.go?.app ?? {})) {
    const fn = area?.[method];
    if (typeof fn === 'function') return fn;
  }
  return undefined;
}

export function createWailsTransport(win: WailsWindow): Transport {
  return {
    kind: 'wails',
    async call(method, args) {
      const fn = boundMethod(win, method);
      if (typeof fn !== 'function') {
        throw new AppError('internal', `The app has no method ${method}`);
      }
      try {
        const result = await fn(...args);
        return result === undefined ? null : result;
      } catch (e) {
        throw toAppError(e);
      }
    },
    on(name, cb) {
      const rt = win.runtime;
      if (!rt) return () => {};
      const off = rt.EventsOn(name, (...data) => cb(data[0]));
      return typeof off === 'function' ? off : () => rt.EventsOff(name);
    },
    async upload() {
      throw new AppError('invalid', 'Uploads are only used in browser mode; the window reads files from disk.');
    },
  };
}

export interface HttpDeps {
  fetch: typeof fetch;
  /** Constructor for the event stream (absent in some test environments). */
  EventSource?: typeof EventSource;
  /** Base URL; "" means the page's own origin. */
  base?: string;
  /** Never use XMLHttpRequest for uploads (tests that mock fetch). */
  noXhr?: boolean;
}

/** An upload that reports its progress (fetch cannot). */
function xhrUpload(url: string, file: File, onProgress: (sent: number, total: number) => void): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new AppError('unavailable', 'Cannot reach the Batchdesk server (upload failed).'));
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as UploadResult);
        } catch {
          reject(new AppError('internal', 'The server sent a response that is not JSON.'));
        }
        return;
      }
      const text = xhr.responseText?.trim() ?? '';
      reject(text ? toAppError(text, codeForStatus(xhr.status)) : new AppError(codeForStatus(xhr.status), xhr.statusText || `HTTP ${xhr.status}`));
    };
    xhr.send(file);
  });
}

async function readError(res: Response): Promise<AppError> {
  let text = '';
  try {
    text = await res.text();
  } catch {
    // body unreadable: use the status
  }
  const fallback = codeForStatus(res.status);
  if (!text.trim()) {
    return new AppError(fallback, res.statusText || `HTTP ${res.status}`);
  }
  return toAppError(text, fallback);
}

async function send(deps: HttpDeps, url: string, init: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    res = await deps.fetch(url, { credentials: 'same-origin', ...init });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new AppError('unavailable', `Cannot reach the Batchdesk server (${why}).`);
  }
  if (!res.ok) throw await readError(res);
  const text = await res.text();
  if (!text.trim()) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('internal', 'The server sent a response that is not JSON.');
  }
}

export function createHttpTransport(deps: HttpDeps): Transport {
  const base = deps.base ?? '';
  const listeners = new Map<string, Set<Listener>>();
  const attached = new Set<string>();
  let source: EventSource | null = null;

  function attach(name: string) {
    if (!source || attached.has(name)) return;
    attached.add(name);
    source.addEventListener(name, (ev) => {
      const data = (ev as MessageEvent).data;
      let payload: unknown = data;
      try {
        payload = JSON.parse(data);
      } catch {
        // not JSON: pass the raw text
      }
      for (const cb of listeners.get(name) ?? []) cb(payload);
    });
  }

  return {
    kind: 'http',
    call(method, args) {
      return send(deps, `${base}/api/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(args),
      });
    },
    on(name, cb) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(cb);
      if (!source && deps.EventSource) {
        source = new deps.EventSource(`${base}/api/events`, { withCredentials: false });
        attached.clear();
        for (const n of listeners.keys()) attach(n);
      } else {
        attach(name);
      }
      return () => {
        set.delete(cb);
        const total = [...listeners.values()].reduce((n, s) => n + s.size, 0);
        if (total === 0 && source) {
          source.close();
          source = null;
          attached.clear();
        }
      };
    },
    async upload(file, onProgress) {
      if (onProgress && typeof XMLHttpRequest !== 'undefined' && !deps.noXhr) {
        return xhrUpload(`${base}/api/upload?name=${encodeURIComponent(file.name)}`, file, onProgress);
      }
      return (await send(deps, `${base}/api/upload?name=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/octet-stream' },
        body: file,
      })) as UploadResult;
    },
  };
}

let http: Transport | null = null;

/**
 * The transport for this page: Wails when its bindings are present (checked
 * on every call, so it works however late Wails injects them), else HTTP.
 */
export function currentTransport(): Transport {
  if (typeof window !== 'undefined' && hasWails(window)) {
    return createWailsTransport(window);
  }
  if (!http) {
    http = createHttpTransport({
      fetch: (...a) => globalThis.fetch(...a),
      EventSource: typeof EventSource === 'undefined' ? undefined : EventSource,
    });
  }
  return http;
}

/** Forgets the cached HTTP transport (tests). */
export function resetTransport(): void {
  http = null;
}
