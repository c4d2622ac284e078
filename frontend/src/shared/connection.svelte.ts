// The saved connections and the one selected in the header, shared by pages.
import type { Api, Connection } from '$lib/api';
import { toAppError, type AppError } from '$lib/api';

export const SANDBOX = 'sandbox';
const STORAGE_KEY = 'batchdesk.connection';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

export class ConnectionState {
  list = $state<Connection[]>([]);
  selected = $state(SANDBOX);
  loading = $state(false);
  error = $state<AppError | null>(null);

  #api: Pick<Api, 'ListConnections'>;
  #storage: Storage | null;

  constructor(api: Pick<Api, 'ListConnections'>, storage: Storage | null = null) {
    this.#api = api;
    this.#storage = storage;
    const saved = storage?.getItem(STORAGE_KEY);
    if (saved) this.selected = saved;
  }

  /** The selected connection's record, when the list has it. */
  get current(): Connection | undefined {
    return this.list.find((c) => c.name === this.selected);
  }

  select(name: string): void {
    this.selected = name;
    this.#storage?.setItem(STORAGE_KEY, name);
  }

  async refresh(): Promise<void> {
    this.loading = true;
    try {
      this.list = await this.#api.ListConnections();
      this.error = null;
      if (this.list.length > 0 && !this.list.some((c) => c.name === this.selected)) {
        const fallback = this.list.find((c) => c.builtIn) ?? this.list[0];
        this.select(fallback.name);
      }
    } catch (e) {
      this.error = toAppError(e);
    } finally {
      this.loading = false;
    }
  }
}
