// The typed client: one method per bound Go method, plus events and uploads.

import { currentTransport, type Transport } from './transport';
import type { AppMethods, EventMap, EventName, MethodName, UploadResult } from './types';

/** Everything the UI may ask of Go. */
export interface Api extends AppMethods {
  /** Subscribes to a typed event; returns the unsubscribe function. */
  on<K extends EventName>(name: K, cb: (payload: EventMap[K]) => void): () => void;
  /** Browser mode: streams a file to the server, which saves it to disk. */
  upload(file: File): Promise<UploadResult>;
  /** Which transport serves this page. */
  transport(): 'wails' | 'http';
}

/** Builds a client over a transport getter (the default picks per call). */
export function createApi(get: () => Transport = currentTransport): Api {
  const call = <M extends MethodName>(method: M, ...args: Parameters<AppMethods[M]>) =>
    get().call(method, args) as ReturnType<AppMethods[M]>;
  return {
    Info: () => call('Info'),
    UIReady: () => call('UIReady'),
    GetSettings: () => call('GetSettings'),
    SaveSettings: (s) => call('SaveSettings', s),
    ListConnections: async () => ((await call('ListConnections')) ?? []),
    AddConnection: (input) => call('AddConnection', input),
    TestConnection: (name) => call('TestConnection', name),
    RemoveConnection: (name) => call('RemoveConnection', name),
    ListObjects: async (connection) => ((await call('ListObjects', connection)) ?? []),
    DescribeObject: (connection, object) => call('DescribeObject', connection, object),
    on: (name, cb) => get().on(name, cb as (p: unknown) => void),
    upload: (file) => get().upload(file),
    transport: () => get().kind,
  };
}

/** The app's client. Components import this (tests replace the module). */
export const api: Api = createApi();
