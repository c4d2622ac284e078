// Renders a page inside the app context, over a fake api.
import { render } from '@testing-library/svelte';
import type { Component } from 'svelte';
import { appContextMap, type AppContext } from '../shared/context';
import { ConnectionState } from '../shared/connection.svelte';
import { NavState } from '../shared/nav.svelte';
import { SettingsState } from '../settings/settings.svelte';
import { ImportFlow } from '../import/flow.svelte';
import { JobEvents } from '$lib/jobs/events.svelte';
import type { PageId } from '../shared/pages';
import { createFakeApi, type FakeApi } from './fakeApi';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function renderPage(page: Component<any>, api: FakeApi = createFakeApi(), opts: { page?: PageId; sub?: string; flow?: ImportFlow; props?: Record<string, unknown> } = {}) {
  const jobEvents = opts.flow?.events ?? new JobEvents(api);
  const ctx: AppContext = {
    api,
    connections: new ConnectionState(api),
    nav: new NavState(opts.page ?? 'objects', opts.sub ?? ''),
    settings: new SettingsState(api),
    importFlow: opts.flow ?? new ImportFlow(api, jobEvents),
    jobEvents,
  };
  ctx.jobEvents.attach();
  await ctx.connections.refresh();
  const result = render(page, { props: opts.props ?? {}, context: appContextMap(ctx) });
  return { ...result, api, ctx };
}
