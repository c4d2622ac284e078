// The one i18n mechanism: a language rune and t(key, params), reactive to it.
import type { Language } from '../api/types';
import { en, type MessageKey } from './en';
import { zh } from './zh';

export type Params = Record<string, string | number>;

const dictionaries: Record<Language, Record<MessageKey, string>> = { en, zh };

/**
 * Replaces {name} placeholders; unknown ones stay as they are. English
 * plurals: {name:one|other} is the one form when the number name is 1, else
 * the other ("{n} {n:row|rows}"); # in a form is the number itself.
 */
export function format(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)(?::([^{}|]*)\|([^{}]*))?\}/g, (m, k: string, one?: string, other?: string) => {
    if (!(k in params)) return m;
    const v = String(params[k]);
    if (one === undefined || other === undefined) return v;
    return (isOne(v) ? one : other).replaceAll('#', v);
  });
}

/** Whether a count (a number, or one formatted as "1" / "1.0") is one. */
function isOne(v: string): boolean {
  return Number(v.replace(/[,\s\u00a0]/g, '')) === 1;
}

export function isLanguage(v: unknown): v is Language {
  return v === 'en' || v === 'zh';
}

/** The current language and its texts. */
export class Locale {
  lang = $state<Language>('en');

  constructor(lang: Language = 'en') {
    this.lang = lang;
  }

  set(lang: string): void {
    this.lang = isLanguage(lang) ? lang : 'en';
    if (typeof document !== 'undefined') {
      document.documentElement.lang = this.lang === 'zh' ? 'zh-CN' : 'en';
    }
  }

  /** The text of key in the current language. */
  t = (key: MessageKey, params?: Params): string => {
    return format(dictionaries[this.lang][key] ?? en[key] ?? key, params);
  };

  /** The locale tag dates and times are written in for the current language. */
  get dateLocale(): string {
    return this.lang === 'zh' ? 'zh-CN' : 'en-GB';
  }

  /** The label of a catalog item (object, field, option) in the current language. */
  label = (item: { labelEn: string; labelZh: string; apiName?: string; value?: string }): string => {
    const l = this.lang === 'zh' && item.labelZh ? item.labelZh : item.labelEn;
    return l || item.apiName || item.value || '';
  };
}

/** The app's locale. */
export const locale = new Locale();
/** Shorthand for locale.t, for templates. */
export const t = locale.t;
