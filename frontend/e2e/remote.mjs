// End-to-end steps of exports to remote servers on loopback (run by run.mjs
// in the same browser page, against `batchdesk serve`):
//   - OSS: build/e2eoss, the Go tests' OSS server (backend/destination/oss/
//     osstest), which re-signs every request with the SDK and refuses any
//     whose V4 signature differs; a destination with a wrong secret is
//     refused in plain words, the right one works, every object is exported
//     to it, and the zip's files hold the rows the page counted;
//   - SFTP: build/e2esftp (x/crypto/ssh + pkg/sftp, password login): the
//     page shows the new server's host key fingerprint, it is accepted, Test
//     works, one object is exported; the server restarted with another key
//     on the same port is refused in plain words.
//
//   E2E_OSS_BIN, E2E_SFTP_BIN  the helpers (built by build/scripts/e2e.sh); a step is skipped without its helper
import { mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseCsv, startHelper, unzip, walk } from './util.mjs';

/** Data rows of a CSV file (BOM and header dropped). */
function dataRows(buf) {
  return parseCsv(buf.toString('utf8').replace(/^\uFEFF/, '')).slice(1).filter((r) => r.length > 1 || r[0] !== '');
}

/** Fills and sends the Add destination form; fields: label → value. */
async function addDestination(page, link, kind, fields) {
  await link('Connections').click();
  await page.getByRole('button', { name: '+ Add destination' }).click();
  const form = page.getByRole('form', { name: 'Add destination' });
  await form.getByLabel('Kind').selectOption(kind);
  for (const [label, value] of Object.entries(fields)) await form.getByLabel(label, { exact: true }).fill(value);
  await form.getByRole('button', { name: 'Save and test' }).click();
  return form;
}

function destRow(page, name) {
  return page.getByRole('table', { name: 'Export destinations' }).getByRole('row').filter({ has: page.getByText(name, { exact: true }) });
}

/** Runs the export page's current choice now; throws unless it is done. */
async function exportNow(page) {
  // The page keeps the last choice, which may be a schedule.
  await page.getByRole('radio', { name: 'Now', exact: true }).check();
  await page.getByRole('button', { name: 'Export now' }).click();
  await page.waitForFunction(() => /Done|failed/.test(document.querySelector('[data-testid="export-outcome"]')?.textContent ?? ''), null, { timeout: 90_000 });
  const outcome = await page.getByTestId('export-outcome').innerText();
  if (!outcome.startsWith('Done')) throw new Error(outcome);
  await page.getByTestId('export-run').scrollIntoViewIfNeeded();
}

/** The Files written table's row whose Where cell is where (text or pattern). */
async function writtenRow(page, where) {
  const table = page.getByRole('table', { name: 'Files written' });
  const cell = table.getByRole('cell', { name: where, exact: true });
  await cell.waitFor({ timeout: 5000 }).catch(async () => {
    throw new Error(`no file written to ${where}: ${(await table.innerText()).replace(/\s+/g, ' ')}`);
  });
  return table.getByRole('row').filter({ has: page.getByRole('cell', { name: where, exact: true }) });
}

export async function remoteSteps({ page, link, step, log, home }) {
  const ossBin = process.env.E2E_OSS_BIN;
  if (!ossBin) log('     (E2E_OSS_BIN not set: the OSS steps are skipped)');
  else await ossSteps({ page, link, step, home, bin: ossBin });
  const sftpBin = process.env.E2E_SFTP_BIN;
  if (!sftpBin) log('     (E2E_SFTP_BIN not set: the SFTP steps are skipped)');
  else await sftpSteps({ page, link, step, home, bin: sftpBin });
}

async function ossSteps({ page, link, step, home, bin }) {
  const root = join(home, 'oss-root');
  const oss = await startHelper(bin, [root], /^oss (http:\/\/127\.0\.0\.1:\d+)$/);
  const endpoint = oss.match[1];
  const fields = (name, secret) => ({
    Name: name,
    Bucket: 'e2e-exports',
    'Prefix (folder in the bucket)': 'nightly',
    Endpoint: endpoint,
    Region: 'cn-hangzhou',
    'AccessKey ID': 'LTAIe2eTestKey',
    'AccessKey secret': secret,
  });
  try {
    await step('destination-oss-wrong-secret', page, async () => {
      await addDestination(page, link, 'oss', fields('e2e-oss-wrong', 'not-the-secret'));
      const row = destRow(page, 'e2e-oss-wrong');
      const err = row.getByRole('alert');
      await err.waitFor({ timeout: 30_000 });
      const text = await err.innerText();
      if (!/secret is wrong/.test(text)) throw new Error(`refusal: ${text}`);
      if (text.includes('not-the-secret')) throw new Error('the secret shows in the refusal');
      await row.scrollIntoViewIfNeeded();
    });

    await step('destination-oss-added-and-tested', page, async () => {
      await destRow(page, 'e2e-oss-wrong').getByRole('button', { name: 'Remove' }).click();
      await destRow(page, 'e2e-oss-wrong').waitFor({ state: 'detached' });
      await addDestination(page, link, 'oss', fields('e2e-oss', 'e2e-oss-secret'));
      const row = destRow(page, 'e2e-oss');
      await row.getByText(/^Works/).waitFor({ timeout: 30_000 });
      const text = await row.innerText();
      if (!text.includes('oss://e2e-exports/nightly')) throw new Error(`row: ${text}`);
      if (text.includes('e2e-oss-secret')) throw new Error('the secret shows in the list');
      await row.scrollIntoViewIfNeeded();
    });

    await step('export-all-to-oss', page, async () => {
      await link('Export').click();
      await page.getByRole('radio', { name: 'All objects (one file each, zipped)' }).check();
      const count = page.getByTestId('export-count');
      await count.getByText(/in ([2-9]|\d{2,}) objects/).waitFor({ timeout: 60_000 });
      const m = /([\d,]+) records match\s+in (\d+) objects/.exec((await count.innerText()).replace(/\s+/g, ' '));
      if (!m) throw new Error(`count: ${await count.innerText()}`);
      const [records, objects] = [Number(m[1].replace(/,/g, '')), Number(m[2])];
      await page.getByRole('radio', { name: 'A saved destination' }).check();
      await page.getByRole('combobox', { name: 'A saved destination' }).selectOption('e2e-oss');
      await exportNow(page);
      const zips = walk(root).filter((f) => f.endsWith('.zip'));
      if (zips.length !== 1 || !zips[0].startsWith('nightly/')) throw new Error(`the bucket holds ${walk(root).join(', ') || 'nothing'}`);
      const files = unzip(readFileSync(join(root, zips[0])));
      const csvs = Object.keys(files).filter((n) => n.endsWith('.csv'));
      if (csvs.length !== objects) throw new Error(`the zip holds ${csvs.length} CSV files (${csvs.join(', ')}), the page counted ${objects} objects`);
      const rows = csvs.reduce((n, f) => n + dataRows(files[f]).length, 0);
      if (rows !== records) throw new Error(`the zip's files hold ${rows} rows, the page counted ${records}`);
      await writtenRow(page, `oss://e2e-exports/${zips[0]}`);
    });
  } finally {
    await oss.stop();
  }
}

async function sftpSteps({ page, link, step, home, bin }) {
  const root = join(home, 'sftp-root');
  mkdirSync(join(root, 'exports'), { recursive: true });
  const want = /^sftp 127\.0\.0\.1:(\d+) (SHA256:\S+)$/;
  let sftp = await startHelper(bin, [root], want);
  const port = sftp.match[1];
  const fingerprint = sftp.match[2];
  try {
    await step('destination-sftp-host-key-shown', page, async () => {
      const form = await addDestination(page, link, 'sftp', {
        Name: 'e2e-sftp',
        Server: '127.0.0.1',
        Port: port,
        User: 'exporter',
        'Folder on the server': 'exports',
        Password: 'pa55 word',
      });
      const notice = form.getByRole('alert').filter({ hasText: 'new to Batchdesk' });
      await notice.waitFor({ timeout: 30_000 });
      const shown = await notice.locator('.mono').innerText();
      if (shown.trim() !== fingerprint) throw new Error(`the page shows ${shown}, the server's key is ${fingerprint}`);
      if (await destRow(page, 'e2e-sftp').count()) throw new Error('saved before its host key was accepted');
      await notice.scrollIntoViewIfNeeded();
    });

    await step('destination-sftp-accepted-and-tested', page, async () => {
      const form = page.getByRole('form', { name: 'Add destination' });
      await form.getByRole('checkbox', { name: 'I checked it: trust this server' }).check();
      await form.getByRole('button', { name: 'Save and test' }).click();
      const row = destRow(page, 'e2e-sftp');
      await row.getByText(/^Works/).waitFor({ timeout: 30_000 });
      const text = await row.innerText();
      if (!text.includes(fingerprint)) throw new Error(`the row does not show the pinned key: ${text}`);
      if (text.includes('pa55')) throw new Error('the password shows in the list');
      await row.scrollIntoViewIfNeeded();
    });

    await step('export-contact-to-sftp', page, async () => {
      await link('Export').click();
      await page.getByRole('radio', { name: 'One object' }).check();
      await page.getByLabel('Object', { exact: true }).selectOption('Contact');
      const count = page.getByTestId('export-count');
      await page.waitForFunction((el) => /[\d,]+ records match/.test(el.textContent) && !el.textContent.includes('…'), await count.elementHandle());
      const records = Number(/([\d,]+) records match/.exec(await count.innerText())[1].replace(/,/g, ''));
      await page.getByRole('radio', { name: 'A saved destination' }).check();
      await page.getByRole('combobox', { name: 'A saved destination' }).selectOption('e2e-sftp');
      await exportNow(page);
      const file = join(root, 'exports', 'Contact.csv');
      const rows = dataRows(readFileSync(file)).length;
      if (rows !== records) throw new Error(`${relative(home, file)} holds ${rows} rows, the page counted ${records}`);
      if (walk(root).some((f) => f.endsWith('.part'))) throw new Error(`a partial file is left: ${walk(root).join(', ')}`);
      const row = await writtenRow(page, /^sftp:\/\/exporter@127\.0\.0\.1:\d+\/exports\/Contact\.csv$/);
      const shown = (await row.getByRole('cell').nth(2).innerText()).replace(/\D/g, '');
      if (Number(shown) !== records) throw new Error(`the page says ${shown} rows were written, want ${records}`);
    });

    await step('destination-sftp-changed-key-refused', page, async () => {
      await sftp.stop();
      sftp = await startHelper(bin, ['-port', port, root], want);
      const other = sftp.match[2];
      await link('Connections').click();
      const row = destRow(page, 'e2e-sftp');
      await row.getByRole('button', { name: 'Test' }).click();
      const err = row.getByRole('alert');
      await err.waitFor({ timeout: 30_000 });
      const text = await err.innerText();
      // The refusal in plain words with the new key; the accepted one stays in the Where column.
      if (!/different host key/.test(text) || !text.includes(other)) throw new Error(`refusal: ${text}`);
      if (!(await row.innerText()).includes(fingerprint)) throw new Error('the accepted key is not shown beside the refusal');
      await row.scrollIntoViewIfNeeded();
    });
  } finally {
    await sftp.stop();
  }
}
