// The user's settings and the app's info; the language applies at once.
import { toAppError, type Api, type AppError, type AppInfo, type Language, type Settings } from '$lib/api';
import { locale } from '$lib/i18n';

export const DEFAULT_SETTINGS: Settings = { language: 'en', maxFileMb: 100, batchSize: 5000 };

export class SettingsState {
  value = $state<Settings>({ ...DEFAULT_SETTINGS });
  info = $state<AppInfo | null>(null);
  error = $state<AppError | null>(null);
  saving = $state(false);

  #api: Pick<Api, 'GetSettings' | 'SaveSettings' | 'Info'>;

  constructor(api: Pick<Api, 'GetSettings' | 'SaveSettings' | 'Info'>) {
    this.#api = api;
  }

  /** Reads settings and info; applies the saved language. */
  async load(): Promise<void> {
    const [s, info] = await Promise.allSettled([this.#api.GetSettings(), this.#api.Info()]);
    if (s.status === 'fulfilled') {
      this.value = { ...DEFAULT_SETTINGS, ...s.value };
      locale.set(this.value.language);
    } else {
      this.error = toAppError(s.reason);
    }
    if (info.status === 'fulfilled') this.info = info.value;
  }

  /** Switches the language now and saves it. */
  async setLanguage(lang: Language): Promise<void> {
    locale.set(lang);
    await this.save({ language: lang });
  }

  /** Saves a change; the server's answer becomes the new value. */
  async save(change: Partial<Settings>): Promise<boolean> {
    this.saving = true;
    try {
      const saved = await this.#api.SaveSettings({ ...this.value, ...change });
      this.value = { ...DEFAULT_SETTINGS, ...saved };
      locale.set(this.value.language);
      this.error = null;
      return true;
    } catch (e) {
      this.error = toAppError(e);
      return false;
    } finally {
      this.saving = false;
    }
  }
}
