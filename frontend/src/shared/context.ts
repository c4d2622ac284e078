// The app's services, handed to components through Svelte context so tests
// can render any page with a fake api.
import { getContext, setContext } from 'svelte';
import type { Api } from '$lib/api';
import type { ConnectionState } from './connection.svelte';
import type { NavState } from './nav.svelte';
import type { SettingsState } from '../settings/settings.svelte';
import type { ImportFlow } from '../import/flow.svelte';
import type { JobEvents } from '$lib/jobs/events.svelte';

export interface AppContext {
  api: Api;
  connections: ConnectionState;
  nav: NavState;
  settings: SettingsState;
  /** The import in progress: kept while the user visits other pages. */
  importFlow: ImportFlow;
  /** The job events, followed once for every page (running jobs, progress, ends). */
  jobEvents: JobEvents;
}

const KEY = Symbol('batchdesk');

export function setApp(ctx: AppContext): AppContext {
  return setContext(KEY, ctx);
}

export function getApp(): AppContext {
  const ctx = getContext<AppContext | undefined>(KEY);
  if (!ctx) throw new Error('getApp() outside the app context');
  return ctx;
}

/** A Map for mount()/render() options: { context: appContextMap(ctx) }. */
export function appContextMap(ctx: AppContext): Map<unknown, unknown> {
  return new Map([[KEY, ctx]]);
}
