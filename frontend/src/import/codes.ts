// Problem codes (backend/ingest/validate and the load step) in plain words.
import { en, t, type MessageKey } from '$lib/i18n';

/** The label of a problem code in the current language, or the code itself. */
export function codeLabel(code: string): string {
  const key = `pcode.${code}` as MessageKey;
  return key in en ? t(key) : code;
}
