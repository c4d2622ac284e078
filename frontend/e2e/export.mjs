// End-to-end steps of the Export, Destinations and Schedules pages (run by
// run.mjs in the same browser page, against `batchdesk serve`):
//   - export Account with a filter built in the condition builder
//     (industry in two values AND founded before a date) to a local folder,
//     and check the file's rows against the page's count and the filter;
//   - the filter shown as text and read back into the builder;
//   - an FTP destination saved and tested, then every object exported to it;
//   - a schedule "once, in a few seconds" whose job the runner inside
//     `batchdesk serve` starts.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv, startHelper } from './util.mjs';

const INDUSTRIES = ['Manufacturing', 'Retail'];
const BEFORE = '2005-01-01';

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
    await row.getByText('done', { exact: true }).waitFor({ timeout: 60_000 });
    if (!existsSync(join(later, 'Product.csv'))) throw new Error(`no Product.csv in ${later}`);
  });

  await step('job-page-export', page, async () => {
    await page.getByRole('table', { name: 'Schedules' }).getByRole('row').filter({ hasText: 'Product' }).getByRole('link').first().click();
    await page.getByRole('heading', { name: /^Job / }).waitFor();
    await page.getByRole('table', { name: 'Files written' }).getByText('Product.csv', { exact: true }).waitFor();
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
  });
  await step('schedules-chinese', page, async () => {
    await link('计划任务').click();
    await page.getByRole('heading', { name: '计划任务', exact: true }).waitFor();
    await page.getByRole('table', { name: '计划任务' }).getByRole('row').filter({ hasText: 'Product' }).waitFor();
  });
}
