import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { locale } from '$lib/i18n';
import { jobMessage } from './messages';

afterEach(() => locale.set('en'));

describe('jobMessage', () => {
  it('tells the summaries Go makes in the UI language', () => {
    locale.set('zh');
    expect(jobMessage('4 of 8 rows succeeded, 4 failed')).toBe('8 行中 4 行成功，4 行失败');
    expect(jobMessage('canceled after 1500 rows (3 failed); resume to continue')).toBe('已在 1,500 行后取消（3 行失败），可继续执行。');
    locale.set('en');
    expect(jobMessage('1 of 1 rows succeeded, 0 failed')).toBe('1 of 1 row succeeded, 0 failed');
    expect(jobMessage('canceled after 1 rows (0 failed); resume to continue')).toBe('Canceled after 1 row (0 failed); resume to continue.');
  });

  it('keeps any other message as it came', () => {
    locale.set('zh');
    expect(jobMessage('COPY failed: disk full')).toBe('COPY failed: disk full');
  });

  it('knows the words Go uses for them', () => {
    // The patterns follow backend/jobs/registry.go: a change there fails here.
    const src = readFileSync(resolve(__dirname, '../../../backend/jobs/registry.go'), 'utf8');
    expect(src).toContain('"%d of %d rows succeeded, %d failed"');
    expect(src).toContain('"canceled after %d rows (%d failed); resume to continue"');
  });
});
