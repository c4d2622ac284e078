// Problem codes (backend/ingest/validate and the load step) in plain words.
import { en, locale, t, type MessageKey } from '$lib/i18n';

/** The label of a problem code in the current language, or the code itself. */
export function codeLabel(code: string): string {
  const key = `pcode.${code}` as MessageKey;
  return key in en ? t(key) : code;
}

/**
 * What a problem says, in the current language. Go words its messages in
 * English (with details such as the options); in Chinese a problem whose
 * code has words is told by them and the value, never by the English text.
 */
export function problemText(p: { code: string; message: string; value?: string }): string {
  const key = `pcode.${p.code}` as MessageKey;
  if ((locale.lang === 'en' && p.message) || !(key in en)) return p.message || codeLabel(p.code);
  return p.value ? t('imp.problem.withValue', { label: t(key), value: p.value }) : t(key);
}

/** Match reasons as Go words them (backend/ingest/mapping), by their message key. */
const REASONS: Record<string, MessageKey> = {
  'API name': 'reason.apiName',
  'English label': 'reason.labelEn',
  'Chinese label': 'reason.labelZh',
  synonym: 'reason.synonym',
  'referenced object': 'reason.refObject',
  "referenced object's name": 'reason.refName',
};

/**
 * A mapping suggestion's reason in the current language: "synonym",
 * "English label after the object's name", "similar spelling to "x"" and
 * "contains "x"" are translated; anything else is shown as it came.
 */
export function reasonText(reason: string): string {
  let r = reason;
  let after = false;
  const suffix = " after the object's name";
  if (r.endsWith(suffix)) {
    after = true;
    r = r.slice(0, -suffix.length);
  }
  let out: string;
  let m: RegExpMatchArray | null;
  if (REASONS[r]) out = t(REASONS[r]);
  else if ((m = r.match(/^similar spelling to (.*)$/))) out = t('reason.similar', { form: m[1] });
  else if ((m = r.match(/^contains (.*)$/))) out = t('reason.contains', { form: m[1] });
  else return reason;
  return after ? t('reason.afterObject', { reason: out }) : out;
}
