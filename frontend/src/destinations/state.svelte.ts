// The saved destinations and the form that adds one, with Test results.
import type { Api, SavedDestination } from '$lib/api';
import { toAppError, type AppError } from '$lib/api';
import { emptyForm, fingerprintIn, fromSaved, missing, toInput, type DestForm, type DestKind } from './form';

export type DestApi = Pick<Api, 'ListDestinations' | 'AddDestination' | 'UpdateDestination' | 'TestDestination' | 'RemoveDestination' | 'PickFolder'>;

/** The outcome of a test: ok, or Go's plain words. */
export interface TestOutcome {
  ok: boolean;
  message: string;
}

export class DestinationsState {
  list = $state<SavedDestination[]>([]);
  error = $state<AppError | null>(null);
  form = $state<DestForm>(emptyForm());
  formOpen = $state(false);
  formError = $state<AppError | null>(null);
  /** An SFTP server's key to accept before saving (shown to the user). */
  fingerprint = $state('');
  saving = $state(false);
  outcomes = $state<Record<string, TestOutcome | 'testing'>>({});
  note = $state('');
  /** The destination being edited (its saved name and kind, whether a secret is stored); null when adding. */
  editing = $state<{ name: string; kind: string; hasSecret: boolean } | null>(null);

  #api: DestApi;

  constructor(api: DestApi) {
    this.#api = api;
  }

  async refresh(): Promise<void> {
    try {
      this.list = await this.#api.ListDestinations();
      this.error = null;
    } catch (e) {
      this.error = toAppError(e);
    }
  }

  open(kind: DestKind = 'local'): void {
    this.form = emptyForm(kind);
    this.editing = null;
    this.formOpen = true;
    this.formError = null;
    this.fingerprint = '';
  }

  /** Opens the form on a saved destination: its fields filled, its secrets left empty (kept unless typed). */
  edit(d: SavedDestination): void {
    this.form = fromSaved(d);
    this.editing = { name: d.name, kind: d.kind, hasSecret: d.hasSecret };
    this.formOpen = true;
    this.formError = null;
    this.fingerprint = '';
  }

  /** Whether an empty secret field keeps a stored secret (same kind as saved, one is stored). */
  get keepsSecret(): boolean {
    return !!this.editing && this.editing.kind === this.form.kind && this.editing.hasSecret;
  }

  get missing() {
    return missing(this.form);
  }

  async browse(): Promise<void> {
    try {
      const p = await this.#api.PickFolder();
      if (p) this.form.folder = p;
    } catch (e) {
      this.formError = toAppError(e);
    }
  }

  /** Saves the form, then tests it; returns the saved destination's name, or "" on failure. */
  async save(): Promise<string> {
    if (this.missing) return '';
    this.saving = true;
    this.formError = null;
    try {
      const d = this.editing ? await this.#api.UpdateDestination(this.editing.name, toInput(this.form)) : await this.#api.AddDestination(toInput(this.form));
      this.formOpen = false;
      this.editing = null;
      this.fingerprint = '';
      this.note = d.name;
      await this.refresh();
      await this.test(d.name);
      return d.name;
    } catch (e) {
      const err = toAppError(e);
      this.formError = err;
      // An SFTP server whose key is not accepted yet: show its fingerprint to accept.
      const fp = this.form.kind === 'sftp' ? fingerprintIn(err.message) : '';
      if (fp) this.fingerprint = fp;
      return '';
    } finally {
      this.saving = false;
    }
  }

  async test(name: string): Promise<void> {
    this.outcomes = { ...this.outcomes, [name]: 'testing' };
    try {
      await this.#api.TestDestination(name);
      this.outcomes = { ...this.outcomes, [name]: { ok: true, message: '' } };
    } catch (e) {
      this.outcomes = { ...this.outcomes, [name]: { ok: false, message: toAppError(e).message } };
    }
  }

  async remove(name: string): Promise<void> {
    try {
      await this.#api.RemoveDestination(name);
      await this.refresh();
    } catch (e) {
      this.error = toAppError(e);
    }
  }
}
