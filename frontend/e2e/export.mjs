// End-to-end steps of the Export, Destinations and Schedules pages (run by
// run.mjs in the same browser page, against `batchdesk serve`):
//   - export Account with a filter built in the condition builder
//     (industry in two values AND founded before a date) to a local folder,
//     and check the file's rows against the page's count and the filter;
//   - the filter shown as text and read back into the builder;
//   - Contact's account found by part of its name in the lookup search, the
//     count follows, and the file holds only that account's contacts;
//   - an FTP destination saved and tested, then every object exported to it;
//     then edited (only its folder: the saved password is kept, Test works);
//   - a schedule "once, in a few seconds" whose job the runner inside
//     `batchdesk serve` starts; then edited to daily, the next runs follow.
// In Chinese (exportChineseSteps): the Export page with a condition and its
// count, the lookup search, the Schedules page and its edit form, the
// Destinations section and its edit form.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv, startHelper } from './util.mjs';

const INDUSTRIES = ['Manufacturing', 'Retail'];
const BEFORE = '2005-01-01';
// A demo account (crm/demo's seed) the lookup search finds by part of its name.
const ACCOUNT = 'Contoso Trading';

/** The number in the live count ("1,234 records match"), once it settles. */
async function settledCount(page, not) {
  const box = page.getByTestId('export-count');
  let n = -1;
  await page.waitForFunction(
    ([el, avoid]) => {
      const m = /([\d,]+) records match/.exec(el.textContent || '');
      return !!m && !el.textContent.includes('…') && Number(m[1].replace(/,/g, '')) !== avoid;
    },
    [await box.elementHandle(), not ?? -1],
    { timeout: 20_000 },
  );
  const m = /([\d,]+) records match/.exec(await box.innerText());
  n = Number(m[1].replace(/,/g, ''));
  return n;
}

export async function exportSteps({ page, link, step, log, home, connection }) {
  const out = join(home, 'exports-e2e');
  mkdirSync(out, { recursive: true });
  let total = 0;
  let filtered = 0;

  await step('export-page', page, async () => {
    await link('Export').click();
    await page.getByRole('heading', { name: 'Export', exact: true }).waitFor();
    await page.getByRole('combobox', { name: 'Connection' }).selectOption(connection);
    await page.getByLabel('Object', { exact: true }).selectOption('Account');
    await page.getByRole('list', { name: 'Fields' }).getByText('founded_on').waitFor();
    total = await settledCount(page);
    if (total <= 0) throw new Error(`count of all accounts: ${total}`);
  });

  await step('export-condition-builder', page, async () => {
    await page.getByRole('button', { name: '+ Condition' }).click();
    await page.getByRole('combobox', { name: 'Field' }).nth(0).selectOption('industry');
    await page.getByRole('combobox', { name: 'Operator' }).nth(0).selectOption('in');
    for (const i of INDUSTRIES) await page.getByRole('checkbox', { name: i, exact: true }).check();
    await page.getByRole('button', { name: '+ Condition' }).click();
    await page.getByRole('combobox', { name: 'Field' }).nth(1).selectOption('founded_on');
    await page.getByRole('combobox', { name: 'Operator' }).nth(1).selectOption('<');
    await page.getByLabel('Value', { exact: true }).fill(BEFORE);
    filtered = await settledCount(page, total);
    if (!(filtered > 0 && filtered < total)) throw new Error(`filtered count ${filtered} of ${total}`);
  });

  await step('export-filter-as-text', page, async () => {
    await page.getByLabel('Show as text').check();
    const text = page.getByLabel('Filter (filter language)');
    await page.waitForFunction((el) => el.value.length > 0, await text.elementHandle());
    const v = await text.inputValue();
    const want = `industry IN ('${INDUSTRIES[0]}', '${INDUSTRIES[1]}') AND founded_on < ${BEFORE}`;
    if (v !== want) throw new Error(`text form: ${v}, want ${want}`);
    // Back to the builder: Go reads the text and the builder shows it again.
    await page.getByLabel('Show as text').uncheck();
    await page.getByTestId('filter-cond').nth(1).waitFor();
    if ((await settledCount(page, total)) !== filtered) throw new Error('the count changed after the round trip');
  });

  await step('export-account-to-folder', page, async () => {
    await page.getByLabel('Folder path, e.g. /home/me/exports').fill(out);
    await page.getByRole('button', { name: 'Export now' }).click();
    await page.getByTestId('export-outcome').waitFor({ timeout: 60_000 });
    const outcome = await page.getByTestId('export-outcome').innerText();
    if (!outcome.startsWith('Done')) throw new Error(outcome);
    await page.getByRole('table', { name: 'Files written' }).getByText('Account.csv', { exact: true }).waitFor();
    const rows = parseCsv(readFileSync(join(out, 'Account.csv'), 'utf8').replace(/^\uFEFF/, ''));
    const header = rows[0];
    const data = rows.slice(1).filter((r) => r.length > 1);
    const ind = header.indexOf('industry');
    const fo = header.indexOf('founded_on');
    if (ind < 0 || fo < 0) throw new Error(`header: ${header.join(',')}`);
    if (data.length !== filtered) throw new Error(`file has ${data.length} rows, the page counted ${filtered}`);
    const bad = data.filter((r) => !INDUSTRIES.includes(r[ind]) || !(r[fo] < BEFORE));
    if (bad.length) throw new Error(`${bad.length} rows outside the filter, e.g. ${bad[0].join(',')}`);
    await page.getByTestId('export-run').scrollIntoViewIfNeeded();
  });

  let all = 0;
  await step('export-lookup-search', page, async () => {
    // Contacts of one account, found by part of its name in the lookup search.
    await page.getByLabel('Object', { exact: true }).selectOption('Contact');
    await page.getByRole('list', { name: 'Fields' }).getByText('account_id').waitFor();
    all = await settledCount(page);
    while (await page.getByTestId('filter-cond').count()) await page.getByRole('button', { name: 'Remove condition' }).first().click();
    await page.getByRole('button', { name: '+ Condition' }).click();
    await page.getByRole('combobox', { name: 'Field' }).selectOption('account_id');
    const search = page.getByRole('combobox', { name: 'Find Account records by name' });
    await search.fill(ACCOUNT.slice(0, 10));
    const results = page.getByRole('listbox', { name: 'Account records found' });
    await results.getByRole('option', { name: new RegExp(`^${ACCOUNT} `) }).waitFor();
  });

  await step('export-lookup-picked-and-exported', page, async () => {
    const results = page.getByRole('listbox', { name: 'Account records found' });
    await results.getByRole('option', { name: new RegExp(`^${ACCOUNT} `) }).click();
    const chip = page.getByTestId('lookup-chosen');
    await chip.getByText(ACCOUNT, { exact: true }).waitFor();
    const id = await chip.getAttribute('title');
    const n = await settledCount(page, all);
    if (!(n > 0 && n < all)) throw new Error(`count of ${ACCOUNT}'s contacts: ${n} of ${all}`);
    await page.getByRole('button', { name: 'Export now' }).click();
    await page.waitForFunction(() => /Done|failed/.test(document.querySelector('[data-testid="export-outcome"]')?.textContent ?? ''), null, { timeout: 60_000 });
    const outcome = await page.getByTestId('export-outcome').innerText();
    if (!outcome.startsWith('Done')) throw new Error(outcome);
    await page.getByRole('table', { name: 'Files written' }).getByText('Contact.csv', { exact: true }).waitFor();
    const rows = parseCsv(readFileSync(join(out, 'Contact.csv'), 'utf8').replace(/^\uFEFF/, ''));
    const col = rows[0].indexOf('account_id');
    const data = rows.slice(1).filter((r) => r.length > 1);
    if (col < 0) throw new Error(`header: ${rows[0].join(',')}`);
    if (data.length !== n) throw new Error(`file has ${data.length} rows, the page counted ${n}`);
    // The file names the account (its ID only with "include IDs").
    const other = data.filter((r) => r[col] !== ACCOUNT && r[col] !== id);
    if (other.length) throw new Error(`${other.length} rows of another account, e.g. ${other[0].join(',')}`);
    await page.getByTestId('filter-cond').scrollIntoViewIfNeeded();
  });

  const ftpBin = process.env.E2E_FTP_BIN;
  if (!ftpBin) {
    log('     (E2E_FTP_BIN not set: the FTP steps are skipped)');
  } else {
    const root = join(home, 'ftp-root');
    const helper = await startHelper(ftpBin, [root], /^ftp 127\.0\.0\.1:(\d+)$/);
    const ftp = { port: Number(helper.match[1]), root, stop: helper.stop };
    try {
      await step('destination-ftp-added-and-tested', page, async () => {
        await link('Connections').click();
        await page.getByRole('button', { name: '+ Add destination' }).click();
        const form = page.getByRole('form', { name: 'Add destination' });
        await form.getByLabel('Kind').selectOption('ftp');
        await form.getByLabel('Name', { exact: true }).fill('e2e-ftp');
        await form.getByLabel('Server', { exact: true }).fill('127.0.0.1');
        await form.getByLabel('Port', { exact: true }).fill(String(ftp.port));
        await form.getByLabel('User', { exact: true }).fill('exporter');
        await form.getByLabel('Folder on the server').fill('exports');
        await form.getByLabel('Password', { exact: true }).fill('pa55 word');
        await form.getByRole('button', { name: 'Save and test' }).click();
        const row = page.getByRole('table', { name: 'Export destinations' }).getByRole('row').filter({ hasText: 'e2e-ftp' });
        await row.getByText(/^Works/).waitFor({ timeout: 30_000 });
        if ((await row.innerText()).includes('pa55')) throw new Error('the password shows in the list');
      });

      await step('export-all-to-ftp', page, async () => {
        await link('Export').click();
        await page.getByRole('radio', { name: 'All objects (one file each, zipped)' }).check();
        await page.getByTestId('export-count').getByText(/in ([2-9]|\d{2,}) objects/).waitFor({ timeout: 60_000 });
        await page.getByRole('radio', { name: 'A saved destination' }).check();
        await page.getByRole('combobox', { name: 'A saved destination' }).selectOption('e2e-ftp');
        await page.getByRole('button', { name: 'Export now' }).click();
        await page.waitForFunction(() => /Done|failed/.test(document.querySelector('[data-testid="export-outcome"]')?.textContent ?? ''), null, { timeout: 90_000 });
        const outcome = await page.getByTestId('export-outcome').innerText();
        if (!outcome.startsWith('Done')) throw new Error(outcome);
        const zips = readdirSync(join(ftp.root, 'exports')).filter((f) => f.endsWith('.zip'));
        if (zips.length !== 1) throw new Error(`FTP folder holds ${zips.join(', ') || 'nothing'}`);
        await page.getByRole('table', { name: 'Files written' }).getByText(/ftp:\/\//).first().waitFor();
        await page.getByTestId('export-run').scrollIntoViewIfNeeded();
      });

      await step('destination-ftp-edit-form', page, async () => {
        // Edit only the folder: the saved password is kept (the server checks it in the test).
        await link('Connections').click();
        const table = page.getByRole('table', { name: 'Export destinations' });
        await table.getByRole('button', { name: 'Edit e2e-ftp', exact: true }).click();
        const form = page.getByRole('form', { name: 'Edit e2e-ftp' });
        const pw = form.getByLabel('Password', { exact: true });
        if ((await pw.inputValue()) !== '') throw new Error('the saved password is filled into the form');
        if ((await pw.getAttribute('placeholder')) !== 'unchanged — type to replace') throw new Error(`password placeholder: ${await pw.getAttribute('placeholder')}`);
        if ((await form.getByLabel('Port', { exact: true }).inputValue()) !== String(ftp.port)) throw new Error('the saved port is not in the form');
        await form.getByLabel('Folder on the server').fill('exports/edited');
        await form.scrollIntoViewIfNeeded();
      });

      await step('destination-ftp-edited-secret-kept', page, async () => {
        const table = page.getByRole('table', { name: 'Export destinations' });
        const form = page.getByRole('form', { name: 'Edit e2e-ftp' });
        await form.getByRole('button', { name: 'Save changes and test' }).click();
        await form.waitFor({ state: 'detached' });
        const row = table.getByRole('row').filter({ hasText: 'e2e-ftp' });
        await row.getByText(/^Works/).waitFor({ timeout: 30_000 });
        const text = await row.innerText();
        if (!text.includes(`ftp://exporter@127.0.0.1:${ftp.port}/exports/edited`)) throw new Error(`row after the edit: ${text}`);
        if (!text.includes('saved in the keyring')) throw new Error(`the password is no longer saved: ${text}`);
        await row.scrollIntoViewIfNeeded();
      });
    } finally {
      await ftp.stop();
    }
  }

  const later = join(home, 'scheduled-e2e');
  mkdirSync(later, { recursive: true });
  await step('schedule-once-form', page, async () => {
    await link('Export').click();
    await page.getByRole('radio', { name: 'One object' }).check();
    await page.getByLabel('Object', { exact: true }).selectOption('Product');
    await page.getByRole('radio', { name: 'A folder on this computer' }).check();
    await page.getByLabel('Folder path, e.g. /home/me/exports').fill(later);
    await page.getByRole('radio', { name: 'Later, on a schedule' }).check();
    await page.getByLabel('Repeat').selectOption('once');
    const at = new Date(Date.now() + 12_000);
    const pad = (n) => String(n).padStart(2, '0');
    await page.getByLabel('Time zone').fill('UTC');
    if ((await page.getByLabel('Time zone').inputValue()) !== 'UTC') throw new Error(`time zone: ${await page.getByLabel('Time zone').inputValue()}`);
    await page.getByLabel('Date', { exact: true }).fill(`${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`);
    await page.getByLabel('Time', { exact: true }).fill(`${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`);
    await page.getByTestId('spec-preview').getByText(/UTC/).first().waitFor();
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByText(/^Scheduled:/).waitFor();
    await page.getByTestId('spec-preview').scrollIntoViewIfNeeded();
  });

  await step('schedule-runs-from-serve', page, async () => {
    await link('Schedules').click();
    const row = page.getByRole('table', { name: 'Schedules' }).getByRole('row').filter({ hasText: 'Product' });
    await row.waitFor();
    // The runner inside `batchdesk serve` starts it; the page follows job events.
    await row.getByText('Done', { exact: true }).waitFor({ timeout: 60_000 });
    if (!existsSync(join(later, 'Product.csv'))) throw new Error(`no Product.csv in ${later}`);
  });

  await step('job-page-export', page, async () => {
    await page.getByRole('table', { name: 'Schedules' }).getByRole('row').filter({ hasText: 'Product' }).getByRole('link').first().click();
    await page.getByRole('heading', { name: /^Job / }).waitFor();
    await page.getByRole('table', { name: 'Files written' }).getByText('Product.csv', { exact: true }).waitFor();
  });

  let words = '';
  let next = '';
  await step('schedule-edit-form', page, async () => {
    // The schedule that ran once becomes a daily one: the next runs follow the new time.
    await link('Schedules').click();
    const row = page.getByRole('table', { name: 'Schedules' }).getByRole('row').filter({ hasText: 'Product' });
    await row.getByRole('button', { name: 'Edit', exact: true }).click();
    const form = page.getByRole('form', { name: 'Edit the schedule' });
    await form.getByLabel('Repeat').selectOption('daily');
    await form.getByLabel('Time', { exact: true }).fill('03:30:00');
    await form.getByLabel('Time zone').fill('UTC');
    const preview = form.getByTestId('spec-preview');
    const runs = preview.getByRole('listitem');
    await page.waitForFunction((el) => {
      const li = [...el.querySelectorAll('li')];
      return li.length >= 2 && li.every((x) => x.textContent.includes('03:30'));
    }, await preview.elementHandle(), { timeout: 10_000 }).catch(async () => {
      throw new Error(`next runs: ${(await runs.allInnerTexts()).join(' | ')}`);
    });
    words = (await preview.locator('strong').innerText()).trim();
    next = (await runs.first().innerText()).trim();
    await form.scrollIntoViewIfNeeded();
  });

  await step('schedule-edited', page, async () => {
    const row = page.getByRole('table', { name: 'Schedules' }).getByRole('row').filter({ hasText: 'Product' });
    const form = page.getByRole('form', { name: 'Edit the schedule' });
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await form.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: next }).waitFor();
    await row.getByText(words).waitFor();
    await row.getByText(next).waitFor();
  });
}

/** The Export and Schedules pages in Chinese (after run.mjs switched the language). */
export async function exportChineseSteps({ page, link, step }) {
  await step('export-chinese', page, async () => {
    await link('导出').click();
    await page.getByRole('heading', { name: '导出', exact: true }).waitFor();
    await page.getByLabel('对象', { exact: true }).selectOption('Account');
    await page.getByRole('heading', { name: '哪些记录' }).waitFor();
    await page.getByRole('button', { name: '+ 条件', exact: true }).click();
    // A new condition starts on the account's name.
    await page.getByLabel('值', { exact: true }).fill('Contoso Trading');
    await page.getByTestId('export-count').getByText(/匹配 [\d,]+ 条记录/).waitFor();
    await page.getByTestId('export-count').scrollIntoViewIfNeeded();
  });
  await step('export-chinese-lookup', page, async () => {
    await page.getByLabel('对象', { exact: true }).selectOption('Contact');
    while (await page.getByTestId('filter-cond').count()) await page.getByRole('button', { name: '删除条件' }).first().click();
    await page.getByRole('button', { name: '+ 条件', exact: true }).click();
    await page.getByRole('combobox', { name: '字段', exact: true }).selectOption('account_id');
    await page.getByRole('combobox', { name: /^按名称查找/ }).fill(ACCOUNT.slice(0, 10));
    await page.getByRole('listbox').getByRole('option', { name: new RegExp(`^${ACCOUNT} `) }).waitFor();
  });
  await step('schedules-chinese', page, async () => {
    await link('计划任务').click();
    await page.getByRole('heading', { name: '计划任务', exact: true }).waitFor();
    const row = page.getByRole('table', { name: '计划任务' }).getByRole('row').filter({ hasText: 'Product' });
    await row.waitFor();
    // The edit form too, with its next runs.
    // The job's status and the next runs in Chinese, not as codes or English weekdays.
    await row.getByText('已完成', { exact: true }).waitFor();
    await row.getByText(/（周.）03:30 UTC/).waitFor();
    await row.getByRole('button', { name: '编辑', exact: true }).click();
    const runs = page.getByRole('form', { name: '编辑计划任务' }).getByTestId('spec-preview').getByRole('listitem');
    await runs.first().getByText(/（周.）/).waitFor();
  });
  await step('destinations-chinese', page, async () => {
    await link('连接').click();
    const table = page.getByRole('table', { name: '导出目的地' });
    await table.waitFor();
    const edit = table.getByRole('button', { name: /^编辑 / }).first();
    if (await edit.count()) {
      await edit.click();
      const form = page.getByRole('form', { name: /^编辑 / });
      await form.getByPlaceholder('未更改 — 输入以替换').or(form.getByRole('button', { name: /保存/ })).first().waitFor();
      await form.scrollIntoViewIfNeeded();
    } else await table.scrollIntoViewIfNeeded();
  });
}
