import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zh } from './zh';
import { format, Locale } from './i18n.svelte';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  it('zh has exactly the keys of en', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('every text is non-empty and zh uses the same placeholders as en', () => {
    const bad = (Object.keys(en) as (keyof typeof en)[]).filter(
      (k) =>
        !en[k].trim() ||
        !zh[k].trim() ||
        placeholders(zh[k]).join() !== placeholders(en[k]).join(),
    );
    expect(bad).toEqual([]);
  });

  it('navigation is really in Chinese', () => {
    for (const k of ['nav.import', 'nav.export', 'nav.delete', 'nav.jobs', 'nav.connections', 'nav.objects', 'nav.settings'] as const) {
      expect(zh[k]).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('format', () => {
  it('fills named placeholders and leaves unknown ones', () => {
    expect(format('{a} of {b}, {c}', { a: 1, b: 'two' })).toBe('1 of two, {c}');
  });
});

describe('Locale', () => {
  it('switches language and labels', () => {
    const l = new Locale();
    expect(l.t('nav.objects')).toBe('Objects');
    l.set('zh');
    expect(l.t('nav.objects')).toBe('对象');
    expect(l.t('obj.count', { shown: 1, total: 5 })).toBe('显示 1 / 共 5 个对象');
    expect(l.label({ labelEn: 'Account', labelZh: '客户' })).toBe('客户');
    expect(l.label({ labelEn: 'Account', labelZh: '' })).toBe('Account');
    l.set('fr');
    expect(l.lang).toBe('en');
  });
});
