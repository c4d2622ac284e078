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

  it('tells the delete, export and interrupted summaries again', () => {
    locale.set('zh');
    expect(jobMessage('4 Opportunity records deleted')).toBe('已删除 4 条 Opportunity 记录');
    expect(jobMessage('exported 1234 rows in 2 file(s) to ftp://exporter@h:21/exports in 0.4 s')).toBe(
      '已导出 1,234 行（2 个文件）到 ftp://exporter@h:21/exports，用时 0.4 秒',
    );
    expect(jobMessage('interrupted: Batchdesk stopped while the job was running; resume to continue')).toBe('已中断：任务运行时 Batchdesk 停止了；可继续执行。');
    // A delete summary with more to say is kept as it came.
    expect(jobMessage('4 Opportunity records deleted (1 of the captured were already gone)')).toBe('4 Opportunity records deleted (1 of the captured were already gone)');
    locale.set('en');
    expect(jobMessage('1 Account records deleted')).toBe('1 Account record deleted');
    expect(jobMessage('exported 1 rows in 1 file(s) to /tmp/x in 0.0 s')).toBe('Exported 1 row in 1 file to /tmp/x in 0.0 s');
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
    const read = (p: string) => readFileSync(resolve(__dirname, '../../..', p), 'utf8');
    expect(read('backend/deletion/run.go')).toContain('"%d %s records deleted"');
    expect(read('backend/export/service.go')).toContain('"exported %d rows in %d file(s) to %s in %.1f s"');
    expect(read('backend/jobs/history.go')).toContain('"interrupted: Batchdesk stopped while the job was running; resume to continue"');
  });
});
