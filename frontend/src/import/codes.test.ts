import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locale } from '$lib/i18n';
import { en } from '$lib/i18n/en';
import { zh } from '$lib/i18n/zh';
import { codeLabel } from './codes';

// Every problem code Go can report, read from its source: a new code
// without words fails here instead of showing as a raw label.
function goCodes(): string[] {
  const root = resolve(__dirname, '../../..');
  const files = ['backend/ingest/validate/problem.go', 'backend/ingest/load/plan.go'];
  const codes = new Set<string>();
  for (const f of files) {
    const src = readFileSync(resolve(root, f), 'utf8');
    for (const m of src.matchAll(/^\s*Code[A-Za-z]+\s+(?:Code\s+)?=\s+"([a-z_]+)"/gm)) codes.add(m[1]);
  }
  return [...codes];
}

describe('problem codes', () => {
  it('every code Go reports has words in both languages', () => {
    const codes = goCodes();
    expect(codes).toContain('master_failed');
    expect(codes).toContain('bad_picklist');
    for (const c of codes) {
      expect(en, c).toHaveProperty(`pcode.${c}`);
      expect(zh, c).toHaveProperty(`pcode.${c}`);
    }
  });

  it('never shows a code as its label', () => {
    locale.set('zh');
    expect(codeLabel('master_failed')).toBe('其主记录导入失败');
    locale.set('en');
    expect(codeLabel('unique_violation')).toBe('Already exists (unique value)');
  });
});

describe('problem texts', () => {
  it('are the server message in English and the code words in Chinese', async () => {
    const { problemText } = await import('./codes');
    const p = { code: 'bad_picklist', message: '"Tech" is not one of the options of Industry: Technology', value: 'Tech' };
    locale.set('en');
    expect(problemText(p)).toBe(p.message);
    locale.set('zh');
    expect(problemText(p)).toBe('不是有效选项：“Tech”');
    expect(problemText({ code: 'master_failed', message: 'the master row failed' })).toBe('其主记录导入失败');
    // A code without words keeps what the server said.
    expect(problemText({ code: 'brand_new', message: 'something new' })).toBe('something new');
    locale.set('en');
  });
});

describe('match reasons', () => {
  it('are in Chinese in the Chinese UI, whatever their shape', async () => {
    const { reasonText } = await import('./codes');
    locale.set('zh');
    expect(reasonText('synonym')).toBe('同义词');
    expect(reasonText('API name')).toBe('API 名称');
    expect(reasonText("English label after the object's name")).toBe('英文标签（去掉对象名后）');
    expect(reasonText('similar spelling to "industry"')).toBe('拼写接近 "industry"');
    expect(reasonText('something new')).toBe('something new');
    locale.set('en');
    expect(reasonText('synonym')).toBe('synonym');
  });
});
