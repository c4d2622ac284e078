import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zh } from './zh';
import { format, Locale } from './i18n.svelte';
import { enPolish } from './en.polish';
import { zhPolish } from './zh.polish';
import { enEdit } from './en.edit';
import { zhEdit } from './zh.edit';
import { enExport } from './en.export';
import { zhExport } from './zh.export';
import { enDelete } from './en.delete';
import { zhDelete } from './zh.delete';

/** The texts of the export, delete, schedules, destinations and edit work, file by file. */
const parts: [string, Record<string, string>, Record<string, string>][] = [
  ['polish', enPolish, zhPolish],
  ['edit', enEdit, zhEdit],
  ['export', enExport, zhExport],
  ['delete', enDelete, zhDelete],
];

/** The parameters a text uses, plain ({n}) or as a plural ({n:row|rows}). */
const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)(?::[^{}]*)?\}/g)].map((m) => m[1]))].sort();

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

  it('no English text puts a plural noun after a count without a plural form', () => {
    // "1 rows with problems": a count is followed by {n:row|rows}, never by a fixed plural.
    const nouns = 'rows|records|files|columns|objects|fields|values|jobs|decimals|problems|lines|presets|schedules|details';
    const fixed = new RegExp(`\\{(?!object\\}|name\\}|title\\}|label\\})\\w+\\}( \\{?\\w+\\}?){0,2} (${nouns})\\b`);
    const bad = (Object.keys(en) as (keyof typeof en)[]).filter((k) => fixed.test(en[k])).map((k) => `${k}: ${en[k]}`);
    expect(bad).toEqual([]);
  });

  it('each new file pairs its English and Chinese keys one to one', () => {
    for (const [name, e, z] of parts) {
      expect(Object.keys(z).sort(), `zh.${name}.ts`).toEqual(Object.keys(e).sort());
    }
  });

  it('the Chinese of the new files has no leftover English besides product names, codes of the filter language and placeholders', () => {
    // Words that stay as they are in Chinese: product and protocol names,
    // Aliyun's own console terms, the filter language's keywords, a date pattern.
    const kept = new Set(['OSS', 'FTP', 'SFTP', 'FTPS', 'TLS', 'CRM', 'CSV', 'ID', 'API', 'URL', 'UTF-8', 'BOM', 'Excel', 'Batchdesk', 'zip',
      'AccessKey', 'Secret', 'Endpoint', 'trust', 'AND', 'OR', 'NOT', 'YYYY-MM-DD']);
    const examples = new Set(['filter.textHint', 'exp.dest.folderPath']); // an example in the filter language, a path
    const bad: string[] = [];
    for (const [, , z] of parts) {
      for (const [k, v] of Object.entries(z)) {
        if (examples.has(k)) continue;
        const words = v.replace(/\{[^{}]*\}/g, '').match(/[A-Za-z][A-Za-z0-9-]*/g) ?? [];
        const left = words.filter((w) => !kept.has(w));
        if (left.length) bad.push(`${k}: ${left.join(' ')}`);
        if (!/[\u4e00-\u9fff]/.test(v) && !/^(FTP|SFTP|AccessKey ID|AccessKey Secret|\{\w+\} \/ \{\w+\})$/.test(v)) bad.push(`${k}: no Chinese in “${v}”`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('English counts in the new files choose their noun by the count', () => {
    // "{n} records" reads "1 records": after a count comes {n:record|records}.
    const counts = /\{(n|rows|max|total|done|shown|bad)\}( \{?\w+\}?)? (records?|rows?|objects?|files?|details?|fields?|values?|jobs?)\b/;
    const bad: string[] = [];
    for (const [, e] of parts) for (const [k, v] of Object.entries(e)) if (counts.test(v)) bad.push(`${k}: ${v}`);
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

  it('picks the English plural by the count', () => {
    const rows = '{n} {n:row|rows} with problems';
    expect(format(rows, { n: 1 })).toBe('1 row with problems');
    expect(format(rows, { n: 0 })).toBe('0 rows with problems');
    expect(format(rows, { n: '1,200' })).toBe('1,200 rows with problems');
    expect(format('{n:The row is|All # rows are} fine.', { n: 1 })).toBe('The row is fine.');
    expect(format('{n:The row is|All # rows are} fine.', { n: 3 })).toBe('All 3 rows are fine.');
    expect(format('{n:row|rows}', {})).toBe('{n:row|rows}');
    expect(en['imp.prev.willSkip'].includes('{bad:row|rows}')).toBe(true);
    expect(format(en['imp.prev.count'], { bad: 1, rows: 300 })).toBe('1 of 300 rows has problems.');
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
