// End-to-end steps of the Delete page (imported by run.mjs): on the sandbox
// with the typed count (now, and scheduled "once, in a few seconds" run by
// `batchdesk serve`'s runner), and — when BATCHDESK_E2E_PGPASS is set — on a
// PostgreSQL that checks passwords: a wrong password is refused and deletes
// nothing, the right one deletes with a backup, Restore brings them back.
// A delete killed mid-batch (BATCHDESK_FAILPOINT, serve restarted) is resumed
// from its job page. In Chinese: the page's preview, its confirmation and a
// delete job's page with its backup.
//
//   BATCHDESK_E2E_PGPASS           URL (no password) of a cluster with the demo CRM that checks passwords
//   BATCHDESK_E2E_PGPASS_PASSWORD  its password

import { existsSync } from 'node:fs';

/** Calls an app method as the page does (same-origin cookie). */
function apiCall(page, method, ...args) {
  return page.evaluate(
    async ([m, a]) => {
      const r = await fetch(`/api/${m}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(a) });
      const text = await r.text();
      if (!r.ok) throw new Error(`${m}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : null;
    },
    [method, args],
  );
}

/** How many records a delete request would remove now (the engine's count). */
async function countOf(page, req) {
  const pv = await apiCall(page, 'PreviewDelete', { skipBlocked: false, noBackup: false, where: '', all: false, ...req });
  return pv.total;
}

/** Waits for a job to end and returns it. */
async function waitJob(page, id, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const j = await apiCall(page, 'GetJob', id);
    if (!['queued', 'running'].includes(j.status)) return j;
    if (Date.now() > end) throw new Error(`job ${id} still ${j.status}`);
    await page.waitForTimeout(250); // polling a job that runs elsewhere; the page itself follows events
  }
}

/** Opens the Delete page on a connection, fresh. */
async function openDelete(page, link, connection) {
  await link('Delete').click();
  const again = page.getByRole('button', { name: 'Delete more' });
  if (await again.count()) await again.click();
  await page.getByRole('combobox', { name: 'Connection' }).selectOption(connection);
  await page.getByRole('heading', { name: 'Delete', exact: true }).waitFor();
  await page.locator('#del-object option[value="Opportunity"]').waitFor({ state: 'attached' });
}

/** Types the filter in the condition builder's text form (read through Go on blur). */
async function typeFilter(page, text) {
  const toText = page.getByRole('checkbox', { name: 'Show as text' });
  if (!(await toText.isChecked())) await toText.check();
  const box = page.getByRole('textbox', { name: 'Filter (filter language)' });
  await box.fill(text);
  await box.press('Tab');
}

async function disabled(page) {
  return page.getByTestId('del-run').isDisabled();
}

/**
 * Runs the delete steps. t: { page, link, step, log }.
 */
export async function deleteSteps({ page, link, step, log, server }) {
  const where = "stage in ('Won', 'Lost')";
  const req = { connection: 'sandbox', object: 'Opportunity', where };
  let want = 0;
  let jobId = '';
  let restoreId = '';

  await step('delete-account-preview', page, async () => {
    await openDelete(page, link, 'sandbox');
    await page.getByRole('combobox', { name: 'Object' }).selectOption('Account');
    await page.getByTestId('del-all').check();
    await page.getByTestId('del-total').waitFor();
    await page.getByTestId('del-blocked').waitFor();
    await page.getByTestId('del-emptied').getByText(/Contact records lose their Account\b/).waitFor();
    await page.getByTestId('del-blocking').getByText(/Opportunity records refer to them by Account\b/).waitFor();
    if (!(await disabled(page))) throw new Error('the delete button is enabled while records are blocked');
  });

  await step('delete-account-blocked-records', page, async () => {
    await page.getByTestId('del-toggle-blocked').click();
    await page.getByRole('heading', { name: 'Records that are blocked' }).waitFor();
    const grid = page.getByRole('grid', { name: 'Records that are blocked' });
    await grid.waitFor();
    const rows = await grid.getByRole('row').count();
    if (rows < 2) throw new Error(`the blocked grid shows ${rows} rows`);
  });

  await step('delete-sandbox-preview', page, async () => {
    await page.getByRole('combobox', { name: 'Object' }).selectOption('Opportunity');
    await page.getByRole('radio', { name: 'Those a filter selects' }).check();
    await typeFilter(page, where);
    await page.getByTestId('del-total').getByText(/records will be deleted/).waitFor();
    want = await countOf(page, req);
    if (want <= 0) throw new Error(`the filter matches ${want} opportunities`);
    await page.getByTestId('del-total').getByText(`${want} records will be deleted`).waitFor();
    await page.getByTestId('del-cascades').getByText(/Opportunity Line records/).waitFor();
    const grid = page.getByRole('grid', { name: 'Records that will be deleted' });
    await grid.waitFor();
    const rows = await grid.getByRole('row').count();
    if (rows !== want + 1) throw new Error(`the sample grid shows ${rows - 1} records, want ${want}`);
  });

  await step('delete-sandbox-checks', page, async () => {
    await page.getByTestId('del-why-count').getByText(/A sandbox has no password/).waitFor();
    if (!(await disabled(page))) throw new Error('enabled before anything was typed');
    await page.getByLabel(/Type the object’s API name/).fill('Opportunity');
    await page.getByLabel(/Type the exact count/).fill(String(want + 1));
    if (!(await disabled(page))) throw new Error('enabled with a wrong count');
    await page.getByLabel(/Type the exact count/).fill(String(want));
    if (await disabled(page)) throw new Error('still disabled with the name and the count typed');
  });

  await step('delete-sandbox-backup-ask', page, async () => {
    await page.getByTestId('del-backup').uncheck();
    await page.getByRole('alertdialog').getByText(/cannot be restored/).waitFor();
    if (!(await disabled(page))) throw new Error('enabled while the backup question is open');
    await page.getByRole('alertdialog').scrollIntoViewIfNeeded();
  });

  await step('delete-sandbox-schedule-form', page, async () => {
    await page.getByRole('button', { name: 'Keep the backup' }).click();
    if (!(await page.getByTestId('del-backup').isChecked())) throw new Error('the backup is off after "Keep the backup"');
    await page.getByRole('radio', { name: 'Scheduled' }).check();
    await page.getByTestId('schedule-form').waitFor();
    await page.getByLabel('Ceiling').waitFor();
    await page.getByText('A scheduled delete always takes a backup.').waitFor();
    await page.getByTestId('del-run').getByText('Save the schedule').waitFor();
    await page.getByTestId('del-run').scrollIntoViewIfNeeded();
  });

  await step('delete-sandbox-result', page, async () => {
    await page.getByRole('radio', { name: 'Now' }).check();
    await page.getByTestId('del-run').click();
    await page.getByTestId('del-result').waitFor({ timeout: 60_000 });
    const text = await page.getByTestId('del-result').innerText();
    if (!text.includes(`${want} records deleted`)) throw new Error(`result: ${text}`);
    const path = await page.getByTestId('del-backup-path').innerText();
    if (!path.endsWith('backup.zip')) throw new Error(`backup path: ${path}`);
    const left = await countOf(page, req);
    if (left !== 0) throw new Error(`${left} opportunities still match after the delete`);
    const jobs = await apiCall(page, 'ListJobs', { kind: 'delete', status: '', limit: 1 });
    jobId = jobs[0]?.jobId ?? '';
  });

  await step('delete-sandbox-restore', page, async () => {
    await page.getByTestId('del-restore').click();
    await page.getByTestId('del-restored').waitFor();
    const id = (await page.getByTestId('del-restored').innerText()).match(/job ([0-9a-f-]+)/)?.[1];
    if (!id) throw new Error('no restore job id shown');
    restoreId = id;
    const j = await waitJob(page, id);
    if (j.status !== 'done') throw new Error(`restore job ${id}: ${j.status} ${j.message}`);
    const back = await countOf(page, req);
    if (back !== want) throw new Error(`${back} opportunities after the restore, want ${want}`);
  });

  await step('delete-job-page', page, async () => {
    if (!jobId) throw new Error('no delete job in the history');
    await page.goto(`${new URL(page.url()).origin}/#/jobs/${jobId}`);
    await page.getByRole('heading', { name: /^Job / }).waitFor();
    await page.getByTestId('job-backup').waitFor();
    // Restored already: the page says when and by which job, and offers no second Restore.
    await page.getByTestId('restored').getByRole('link', { name: new RegExp(restoreId) }).waitFor();
    if (await page.getByRole('button', { name: 'Restore' }).count()) throw new Error('Restore is offered again after the restore');
  });

  await scheduledDeleteSteps({ page, link, step });
  if (server) await resumeSteps({ page, link, step, server });
  else log('     (no server control: the interrupted delete is not resumed)');

  const pgUrl = process.env.BATCHDESK_E2E_PGPASS || '';
  const pgPass = process.env.BATCHDESK_E2E_PGPASS_PASSWORD || '';
  if (!pgUrl) {
    log('     (no BATCHDESK_E2E_PGPASS: the password checks on a server that checks passwords are not run)');
    return;
  }
  const conn = 'securepg';
  const preq = { connection: conn, object: 'Opportunity', where };

  await step('delete-pg-connection', page, async () => {
    await link('Connections').click();
    const u = new URL(pgUrl);
    u.password = pgPass;
    await page.getByLabel('Name', { exact: true }).fill(conn);
    await page.getByLabel('URL', { exact: true }).fill(u.toString());
    await page.getByRole('button', { name: 'Add connection' }).click();
    await page.getByText(`Connection “${conn}” added`).waitFor();
  });

  await step('delete-pg-password-field', page, async () => {
    await openDelete(page, link, conn);
    await page.getByRole('combobox', { name: 'Object' }).selectOption('Opportunity');
    await page.getByRole('radio', { name: 'Those a filter selects' }).check();
    await typeFilter(page, where);
    await page.getByTestId('del-total').getByText(/records will be deleted/).waitFor();
    want = await countOf(page, preq);
    if (want <= 0) throw new Error(`the filter matches ${want} opportunities on ${conn}`);
    await page.getByLabel('Password of the connection').waitFor();
    if (await page.getByLabel(/Type the exact count/).count()) throw new Error('asks for the count on a server that checks passwords');
    await page.getByLabel(/Type the object’s API name/).fill('Opportunity');
    if (!(await disabled(page))) throw new Error('enabled without a password');
  });

  await step('delete-pg-wrong-password', page, async () => {
    await page.getByLabel('Password of the connection').fill('not-the-password');
    await page.getByTestId('del-run').click();
    const err = page.getByTestId('del-error');
    await err.waitFor();
    const text = await err.innerText();
    if (!/wrong password/i.test(text) || !/nothing was deleted/i.test(text)) throw new Error(`refusal: ${text}`);
    const left = await countOf(page, preq);
    if (left !== want) throw new Error(`${left} opportunities match after a refused delete, want ${want}`);
  });

  await step('delete-pg-right-password', page, async () => {
    await page.getByLabel('Password of the connection').fill(pgPass);
    await page.getByTestId('del-run').click();
    await page.getByTestId('del-result').waitFor({ timeout: 60_000 });
    const text = await page.getByTestId('del-result').innerText();
    if (!text.includes(`${want} records deleted`)) throw new Error(`result: ${text}`);
    await page.getByTestId('del-backup-path').waitFor();
    const left = await countOf(page, preq);
    if (left !== 0) throw new Error(`${left} opportunities still match after the delete`);
  });

  await step('delete-pg-restore', page, async () => {
    await page.getByTestId('del-restore').click();
    await page.getByTestId('del-restored').waitFor();
    const id = (await page.getByTestId('del-restored').innerText()).match(/job ([0-9a-f-]+)/)?.[1];
    const j = await waitJob(page, id);
    if (j.status !== 'done') throw new Error(`restore job ${id}: ${j.status} ${j.message}`);
    const back = await countOf(page, preq);
    if (back !== want) throw new Error(`${back} opportunities after the restore, want ${want}`);
  });
}

/**
 * A delete scheduled "once, in a few seconds" on the sandbox (name and
 * count typed): the runner inside `batchdesk serve` starts it, the records
 * go, the job's backup exists, and Restore on the job page brings them back.
 */
async function scheduledDeleteSteps({ page, link, step }) {
  const req = { connection: 'sandbox', object: 'Opportunity', where: "stage = 'Lost'" };
  let want = 0;
  let jobId = '';

  await step('delete-scheduled-saved', page, async () => {
    await openDelete(page, link, 'sandbox');
    await page.getByRole('combobox', { name: 'Object' }).selectOption('Opportunity');
    await page.getByRole('radio', { name: 'Those a filter selects' }).check();
    await typeFilter(page, req.where);
    want = await countOf(page, req);
    if (want <= 0) throw new Error(`the filter matches ${want} opportunities`);
    await page.getByTestId('del-total').getByText(`${want} records will be deleted`).waitFor();
    await page.getByLabel(/Type the object’s API name/).fill('Opportunity');
    await page.getByLabel(/Type the exact count/).fill(String(want));
    await page.getByRole('radio', { name: 'Scheduled' }).check();
    await page.getByLabel('Repeat').selectOption('once');
    const at = new Date(Date.now() + 12_000);
    const pad = (n) => String(n).padStart(2, '0');
    await page.getByLabel('Time zone').fill('UTC');
    if ((await page.getByLabel('Time zone').inputValue()) !== 'UTC') throw new Error(`time zone: ${await page.getByLabel('Time zone').inputValue()}`);
    await page.getByLabel('Date', { exact: true }).fill(`${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`);
    await page.getByLabel('Time', { exact: true }).fill(`${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`);
    await page.getByTestId('spec-preview').getByText(/UTC/).first().waitFor();
    await page.getByLabel('Ceiling').fill(String(want));
    if (await disabled(page)) throw new Error(`the button is disabled: ${await page.getByTestId('del-unmet').innerText().catch(() => '')}`);
    await page.getByTestId('del-run').click();
    await page.getByRole('status').filter({ hasText: /^Schedule saved/ }).waitFor();
    if ((await countOf(page, req)) !== want) throw new Error('records went before the schedule ran');
    await page.getByRole('status').filter({ hasText: /^Schedule saved/ }).scrollIntoViewIfNeeded();
  });

  await step('delete-scheduled-runs-from-serve', page, async () => {
    await link('Schedules').click();
    const row = page.getByRole('table', { name: 'Schedules' }).getByRole('row').filter({ hasText: "stage = 'Lost'" });
    await row.waitFor();
    await row.getByText('Delete', { exact: true }).waitFor();
    await row.getByText('Done', { exact: true }).waitFor({ timeout: 60_000 });
    const left = await countOf(page, req);
    if (left !== 0) throw new Error(`${left} opportunities still match after the scheduled delete`);
    jobId = /#\/jobs\/([^/?#]+)/.exec((await row.getByRole('link').first().getAttribute('href')) ?? '')?.[1] ?? '';
  });

  await step('delete-scheduled-job-backup', page, async () => {
    await page.getByRole('table', { name: 'Schedules' }).getByRole('row').filter({ hasText: "stage = 'Lost'" }).getByRole('link').first().click();
    await page.getByRole('heading', { name: /^Job / }).waitFor();
    const backup = page.getByTestId('job-backup');
    await backup.waitFor();
    const where = (await backup.locator('code').innerText()).trim();
    const info = await apiCall(page, 'GetDeleteBackup', jobId);
    if (!info.location || info.location !== where || !existsSync(where)) throw new Error(`backup at ${where}: ${JSON.stringify(info)}`);
    await page.getByRole('button', { name: 'Restore' }).waitFor();
  });

  await step('delete-scheduled-restore', page, async () => {
    await page.getByRole('button', { name: 'Restore' }).click();
    // The page goes to the restore job.
    await page.waitForFunction((id) => /#\/jobs\/./.test(location.hash) && !location.hash.includes(id), jobId);
    const id = /#\/jobs\/([^/?#]+)/.exec(await page.evaluate(() => location.hash))?.[1];
    const j = await waitJob(page, id);
    if (j.status !== 'done') throw new Error(`restore job ${id}: ${j.status} ${j.message}`);
    const back = await countOf(page, req);
    if (back !== want) throw new Error(`${back} opportunities after the restore, want ${want}`);
  });
}

/**
 * A delete interrupted as by `kill -9` and resumed from its job page:
 * `batchdesk serve` runs with BATCHDESK_FAILPOINT=delete-mid-batch:0 (it
 * kills itself inside the first batch's transaction, after the backup), is
 * started again without it, the job shows as interrupted with Resume, which
 * deletes exactly the captured records; Restore brings them back.
 */
async function resumeSteps({ page, link, step, server }) {
  const req = { connection: 'sandbox', object: 'Opportunity', where: "stage = 'Won'" };
  let want = 0;
  let jobId = '';

  await step('delete-killed-mid-batch', page, async () => {
    await page.goto(await server.restart({ BATCHDESK_FAILPOINT: 'delete-mid-batch:0' }));
    await link('Delete').waitFor();
    await openDelete(page, link, 'sandbox');
    await page.getByRole('combobox', { name: 'Object' }).selectOption('Opportunity');
    await page.getByRole('radio', { name: 'Those a filter selects' }).check();
    await typeFilter(page, req.where);
    want = await countOf(page, req);
    if (want <= 0) throw new Error(`the filter matches ${want} opportunities`);
    await page.getByTestId('del-total').getByText(`${want} records will be deleted`).waitFor();
    await page.getByLabel(/Type the object’s API name/).fill('Opportunity');
    await page.getByLabel(/Type the exact count/).fill(String(want));
    await page.getByTestId('del-run').click();
    await Promise.race([server.exited(), page.waitForTimeout(30_000).then(() => Promise.reject(new Error('serve did not stop at the failpoint')))]);
  });

  await step('delete-interrupted-job-page', page, async () => {
    await page.goto(await server.restart());
    await link('Jobs').waitFor();
    const [j] = await apiCall(page, 'ListJobs', { kind: 'delete', status: '', limit: 1 });
    jobId = j?.jobId ?? '';
    if (!j || j.status !== 'interrupted' || !j.resumable) throw new Error(`last delete job: ${JSON.stringify(j)}`);
    // The batch's transaction was rolled back: nothing is gone yet.
    const left = await countOf(page, req);
    if (left !== want) throw new Error(`${left} opportunities match after the kill, want ${want}`);
    await page.goto(`${new URL(page.url()).origin}/#/jobs/${jobId}`);
    await page.getByRole('heading', { name: /^Job / }).waitFor();
    await page.getByText(/Batchdesk stopped while the job was running/).first().waitFor();
    await page.getByTestId('job-backup').waitFor();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
  });

  await step('delete-resumed', page, async () => {
    await page.getByRole('button', { name: 'Resume' }).click();
    const j = await waitJob(page, jobId);
    if (j.status !== 'done') throw new Error(`resumed job ${jobId}: ${j.status} ${j.message}`);
    const left = await countOf(page, req);
    if (left !== 0) throw new Error(`${left} opportunities still match after the resumed delete`);
    await page.getByRole('main').getByText('Done', { exact: true }).first().waitFor();
    if (await page.getByRole('button', { name: 'Resume' }).count()) throw new Error('Resume is still offered after the job ended');
  });

  await step('delete-resumed-restore', page, async () => {
    await page.getByRole('button', { name: 'Restore' }).click();
    await page.waitForFunction((id) => /#\/jobs\/./.test(location.hash) && !location.hash.includes(id), jobId);
    const id = /#\/jobs\/([^/?#]+)/.exec(await page.evaluate(() => location.hash))?.[1];
    const j = await waitJob(page, id);
    if (j.status !== 'done') throw new Error(`restore job ${id}: ${j.status} ${j.message}`);
    const back = await countOf(page, req);
    if (back !== want) throw new Error(`${back} opportunities after the restore, want ${want}`);
  });
}

/** The Delete page and a delete job's page in Chinese (after the language switch). */
export async function deleteChineseStep({ page, link, step }) {
  await step('delete-chinese', page, async () => {
    await link('删除').click();
    await page.getByRole('heading', { name: '删除', exact: true }).waitFor();
    await page.getByRole('combobox', { name: '连接' }).selectOption('sandbox');
    await page.getByRole('combobox', { name: '对象' }).selectOption('Opportunity');
    await page.getByRole('radio', { name: '全部记录' }).check();
    await page.getByText(/将删除 \d+ 条记录/).waitFor();
    await page.getByLabel(/输入对象的 API 名称/).waitFor();
  });

  await step('delete-chinese-preview', page, async () => {
    await page.getByRole('radio', { name: '按条件筛选的记录' }).check();
    const toText = page.getByRole('checkbox', { name: '以文本显示' });
    if (!(await toText.isChecked())) await toText.check();
    const box = page.getByRole('textbox', { name: '筛选条件（筛选语言）' });
    await box.fill("stage in ('Won', 'Lost')");
    await box.press('Tab');
    await toText.uncheck();
    await page.getByTestId('filter-cond').first().waitFor();
    await page.getByTestId('del-cascades').waitFor();
    await page.getByRole('grid').first().waitFor();
  });

  await step('delete-chinese-confirm', page, async () => {
    await page.getByLabel(/输入对象的 API 名称/).fill('Opportunity');
    await page.getByTestId('del-backup').uncheck();
    await page.getByRole('alertdialog').waitFor();
    await page.getByTestId('del-run').scrollIntoViewIfNeeded();
  });

  await step('delete-job-chinese', page, async () => {
    await page.getByRole('button', { name: '保留备份' }).click();
    const jobs = await apiCall(page, 'ListJobs', { kind: 'delete', status: '', limit: 20 });
    const j = jobs.find((x) => x.status === 'done' && x.backup);
    if (!j) throw new Error('no finished delete job with a backup');
    await page.goto(`${new URL(page.url()).origin}/#/jobs/${j.jobId}`);
    await page.getByRole('heading', { name: /^任务 / }).waitFor();
    await page.getByTestId('job-backup').waitFor();
  });
}
