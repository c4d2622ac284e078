// The Export page keeps its flow while the user visits other pages (one
// per api client, so tests with their own fake start fresh).
import type { Api } from '$lib/api';
import type { ExportFlow } from './flow.svelte';

const flows = new WeakMap<Api, ExportFlow>();

export function keptFlow(api: Api, make: () => ExportFlow): ExportFlow {
  let f = flows.get(api);
  if (!f) {
    f = make();
    flows.set(api, f);
  }
  return f;
}
