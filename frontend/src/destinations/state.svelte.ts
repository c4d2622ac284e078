// The saved destinations and the form that adds one, with Test results.
import type { Api, SavedDestination } from '$lib/api';
import { toAppError, type AppError } from '$lib/api';
import { emptyForm, fingerprintIn, fromSaved, hostKeyChanged, missing, toInput, type DestForm, type DestKind } from './form';

export type DestApi = Pick<Api, 'ListDestinations' | 'AddDestination' | 'UpdateDestination' | 'TestDestination' | 'RemoveDestination' | 'PickFolder'>;

/** The outcome of a test: ok, or Go's words and the problem (shown with problemText); newKey is a changed SFTP host key's fingerprint, to accept. */
export interface TestOutcome {
  ok: boolean;
  message: string;
  error?: AppError;
  newKey?: string;
}

export class DestinationsState {
  list = $state<SavedDestination[]>([]);
  error = $state<AppError | null>(null);
  form = $state<DestForm>(emptyForm());
  formOpen = $state(false);
  formError = $state<AppError | null>(null);
  /** An SFTP server's key to accept before saving (shown to the user). */
  fingerprint = $state('');
  /** The fingerprint is a changed key's (the server's key is not the one accepted before). */
  keyChanged = $state(false);
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
    this.keyChanged = false;
  }

  /** Opens the form on a saved destination: its fields filled, its secrets left empty (kept unless typed). */
  edit(d: SavedDestination): void {
    this.form = fromSaved(d);
    this.editing = { name: d.name, kind: d.kind, hasSecret: d.hasSecret };
    this.formOpen = true;
    this.formError = null;
    this.fingerprint = '';
    this.keyChanged = false;
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
      const input = toInput(this.form);
      // Accepting a shown key accepts that key only: one that changed again since is refused.
      if (input.acceptHostKey && this.fingerprint) input.acceptFingerprint = this.fingerprint;
      delete input.acceptHostKey;
      const d = this.editing ? await this.#api.UpdateDestination(this.editing.name, input) : await this.#api.AddDestination(input);
      this.formOpen = false;
      this.editing = null;
      this.fingerprint = '';
      this.keyChanged = false;
      this.note = d.name;
      await this.refresh();
      await this.test(d.name);
      return d.name;
    } catch (e) {
      const err = toAppError(e);
      this.formError = err;
      // An SFTP server whose key is not accepted yet: show its fingerprint to accept.
      const fp = this.form.kind === 'sftp' ? fingerprintIn(err.message) : '';
      if (fp && fp !== this.fingerprint) {
        // A key not shown before: it must be checked (again) before it is accepted.
        this.fingerprint = fp;
        this.keyChanged = hostKeyChanged(err);
        this.form.acceptHostKey = false;
      }
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
      const err = toAppError(e);
      this.outcomes = { ...this.outcomes, [name]: { ok: false, message: err.message, error: err, newKey: hostKeyChanged(err) ? fingerprintIn(err.message) : undefined } };
    }
  }

  /** Opens the form on a destination whose SFTP host key changed, showing the new key to check and accept. */
  acceptNewKey(name: string): void {
    const d = this.list.find((x) => x.name === name);
    const o = this.outcomes[name];
    if (!d || !o || o === 'testing' || !o.newKey) return;
    this.edit(d);
    this.fingerprint = o.newKey;
    this.keyChanged = true;
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
