// State of the Connections page: test results, the remove confirmation.
import { AppError, toAppError, type Api, type TestResult } from '$lib/api';
import type { ConnectionState } from '../shared/connection.svelte';

export type TestOutcome =
  | { ok: true; result: TestResult }
  | { ok: false; error: AppError };

export class ConnectionsPageState {
  testing = $state<Record<string, boolean>>({});
  outcomes = $state<Record<string, TestOutcome>>({});
  /** The connection whose removal waits for a confirmation. */
  confirming = $state<string | null>(null);
  removing = $state(false);
  removeError = $state<AppError | null>(null);
  /** The name of the last connection removed (for the notice). */
  removed = $state<string | null>(null);

  #api: Pick<Api, 'TestConnection' | 'RemoveConnection'>;
  #connections: ConnectionState;

  constructor(api: Pick<Api, 'TestConnection' | 'RemoveConnection'>, connections: ConnectionState) {
    this.#api = api;
    this.#connections = connections;
  }

  /** Runs a real login; a result with ok=false is shown like an error. */
  async test(name: string): Promise<void> {
    this.testing[name] = true;
    delete this.outcomes[name];
    try {
      const r = await this.#api.TestConnection(name);
      this.outcomes[name] = r.ok
        ? { ok: true, result: r }
        : { ok: false, error: new AppError(r.code || 'internal', r.message || r.code || 'internal') };
    } catch (e) {
      this.outcomes[name] = { ok: false, error: toAppError(e) };
    } finally {
      this.testing[name] = false;
    }
  }

  askRemove(name: string): void {
    this.confirming = name;
    this.removeError = null;
    this.removed = null;
  }

  cancelRemove(): void {
    this.confirming = null;
    this.removeError = null;
  }

  async confirmRemove(): Promise<void> {
    const name = this.confirming;
    if (!name) return;
    this.removing = true;
    try {
      await this.#api.RemoveConnection(name);
      this.confirming = null;
      this.removed = name;
      delete this.outcomes[name];
      await this.#connections.refresh();
    } catch (e) {
      this.removeError = toAppError(e);
    } finally {
      this.removing = false;
    }
  }
}
