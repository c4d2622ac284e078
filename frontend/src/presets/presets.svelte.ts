// The Presets page's data and actions: list, rename, delete (after a
// confirmation), export to a JSON file, import from one.
import { toAppError, type Api, type AppError, type PresetSummary } from '$lib/api';
import type { MessageKey, Params } from '$lib/i18n';

type PresetApi = Pick<Api, 'ListPresets' | 'RenamePreset' | 'DeletePreset' | 'ExportPreset' | 'ImportPreset' | 'saveText'>;

export class PresetsState {
  list = $state<PresetSummary[]>([]);
  loading = $state(false);
  error = $state<AppError | null>(null);
  notice = $state<{ key: MessageKey; params?: Params } | null>(null);
  renaming = $state<string | null>(null);
  confirming = $state<string | null>(null);

  #api: PresetApi;

  constructor(api: PresetApi) {
    this.#api = api;
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.list = [...(await this.#api.ListPresets(''))].sort((a, b) => a.name.localeCompare(b.name));
      this.error = null;
    } catch (e) {
      this.error = toAppError(e);
    } finally {
      this.loading = false;
    }
  }

  async #run(fn: () => Promise<unknown>, ok: { key: MessageKey; params?: Params }): Promise<boolean> {
    this.error = null;
    this.notice = null;
    try {
      await fn();
      this.notice = ok;
      await this.load();
      return true;
    } catch (e) {
      this.error = toAppError(e);
      return false;
    }
  }

  async rename(from: string, to: string): Promise<void> {
    const name = to.trim();
    if (!name || name === from) {
      this.renaming = null;
      return;
    }
    if (await this.#run(() => this.#api.RenamePreset(from, name), { key: 'pre.renamed', params: { from, to: name } })) this.renaming = null;
  }

  async remove(name: string): Promise<void> {
    this.confirming = null;
    await this.#run(() => this.#api.DeletePreset(name), { key: 'pre.deleted', params: { name } });
  }

  async exportOne(name: string): Promise<void> {
    this.error = null;
    try {
      const json = await this.#api.ExportPreset(name);
      const where = await this.#api.saveText(`${name}.json`, json);
      if (where) this.notice = { key: 'pre.exported', params: { name } };
    } catch (e) {
      this.error = toAppError(e);
    }
  }

  async importText(json: string): Promise<void> {
    let name = '';
    await this.#run(async () => {
      name = (await this.#api.ImportPreset(json)).name;
    }, { key: 'pre.imported', params: {} });
    if (this.notice?.key === 'pre.imported') this.notice = { key: 'pre.imported', params: { name } };
  }
}
