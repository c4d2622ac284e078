// State of the Connections page: test results, the remove confirmation,
// the "make a sandbox copy" form.
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

  /** The connection whose sandbox-copy form is open. */
  copying = $state<string | null>(null);
  copyName = $state('');
  copyRecords = $state<'none' | 'reference' | 'all'>('reference');
  copyBusy = $state(false);
  copyError = $state<AppError | null>(null);
  /** The job of the last copy started, per connection. */
  copyJobs = $state<Record<string, { job: string; name: string }>>({});

  #api: Pick<Api, 'TestConnection' | 'RemoveConnection' | 'CopyToSandbox'>;
  #connections: ConnectionState;

  constructor(api: Pick<Api, 'TestConnection' | 'RemoveConnection' | 'CopyToSandbox'>, connections: ConnectionState) {
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

  /** Opens the sandbox-copy form of a connection, with a name to start from. */
  askCopy(name: string): void {
    this.copying = name;
    this.copyName = suggestCopyName(name);
    this.copyRecords = 'reference';
    this.copyError = null;
  }

  cancelCopy(): void {
    this.copying = null;
    this.copyError = null;
  }

  /** A copy's name becomes a file name: letters, digits, - and _ only. */
  get copyNameValid(): boolean {
    return /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(this.copyName);
  }

  /** Starts the copy as a job; it shows in the jobs list, then as a connection. */
  async startCopy(): Promise<void> {
    const from = this.copying;
    if (!from || !this.copyNameValid) return;
    this.copyBusy = true;
    this.copyError = null;
    try {
      const job = await this.#api.CopyToSandbox(from, this.copyName, this.copyRecords);
      this.copyJobs[from] = { job, name: this.copyName };
      this.copying = null;
    } catch (e) {
      this.copyError = toAppError(e);
    } finally {
      this.copyBusy = false;
    }
  }
}

/** A sandbox copy's default name: the connection's name as a file name. */
export function suggestCopyName(connection: string): string {
  const base = connection.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return (base || 'crm').slice(0, 50) + '-copy';
}
