// Errors in plain words: what the code means, the server's detail, the code.
import { toAppError } from '$lib/api';
import { t, type MessageKey } from '$lib/i18n';
import { en } from '$lib/i18n/en';

export function errorText(e: unknown): string {
  const err = toAppError(e);
  const key = `error.${err.code}` as MessageKey;
  const meaning = key in en ? t(key) : '';
  const detail = err.message && err.message !== err.code ? err.message : '';
  const message = meaning && detail ? `${meaning} ${detail}` : meaning || detail || err.code;
  return t('common.errorWithCode', { message, code: err.code });
}
