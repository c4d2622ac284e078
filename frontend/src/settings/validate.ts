// Checks of the Settings form (pure).
import type { MessageKey } from '$lib/i18n';

export interface SettingsForm {
  maxFileMb: string;
  batchSize: string;
}

export type SettingsErrors = Partial<Record<keyof SettingsForm, MessageKey>>;

function wholeIn(s: string, min: number, max: number): number | null {
  if (!/^\s*\d+\s*$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}

export function validateSettings(form: SettingsForm): SettingsErrors {
  const errors: SettingsErrors = {};
  if (wholeIn(form.maxFileMb, 1, 10240) === null) errors.maxFileMb = 'set.err.maxFileMb';
  if (wholeIn(form.batchSize, 1, 1_000_000) === null) errors.batchSize = 'set.err.batchSize';
  return errors;
}
