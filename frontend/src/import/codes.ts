// Problem codes (backend/ingest/validate and the load step) in plain words.
import { en, t, type MessageKey } from '$lib/i18n';

/** The label of a problem code in the current language, or the code itself. */
export function codeLabel(code: string): string {
  const key = `pcode.${code}` as MessageKey;
  return key in en ? t(key) : code;
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
