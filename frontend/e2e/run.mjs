// End-to-end test of the real UI over `batchdesk serve` in headless Chromium.
//
//   BATCHDESK_BIN   the binary (default ../build/bin/batchdesk, from frontend/)
//   BATCHDESK_E2E_PG a throwaway database with the demo CRM installed (preferred)
//   BATCHDESK_TEST_PG a PostgreSQL URL otherwise (default postgres://postgres@127.0.0.1:5432/postgres)
//   E2E_OUT         where the screenshots go (default ../test-output/e2e), one PNG per step
//   E2E_ONLY        a comma list of the parts to run after the shell and connection steps
//                   (import, export, remote, delete, chinese); default all
//
// Prints one line per step and `N passed, N failed` last; exits 1 on failure.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { exportChineseSteps, exportSteps } from './export.mjs';
import { deleteChineseStep, deleteSteps } from './delete.mjs';
import { remoteSteps } from './remote.mjs';

const frontendDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.BATCHDESK_BIN
  ? resolve(process.env.BATCHDESK_BIN)
  : resolve(frontendDir, '../build/bin/batchdesk');
const outDir = process.env.E2E_OUT ? resolve(process.env.E2E_OUT) : resolve(frontendDir, '../test-output/e2e');
const demoPg = process.env.BATCHDESK_E2E_PG || '';
const pgUrl = demoPg || process.env.BATCHDESK_TEST_PG || 'postgres://postgres@127.0.0.1:5432/postgres';
const SANDBOX_OBJECTS = ['Account', 'Contact', 'Product', 'Opportunity', 'OpportunityLine'];
const STEP_TIMEOUT = 20_000;
// A GBK-encoded Account file with Chinese headers: 10 rows, 4 of them bad
// (an email, a number, a blank name, an unknown industry).
const GBK_FIXTURE = resolve(frontendDir, 'e2e/fixtures/accounts-gbk.csv');
// Opportunities with lines: one master fails (its account does not exist),
// one line names no product, one has no number for its quantity.
const MD_MASTER = resolve(frontendDir, 'e2e/fixtures/opportunities-md.csv');
const MD_LINES = resolve(frontendDir, 'e2e/fixtures/lines-md.csv');
const ONLY = (process.env.E2E_ONLY || '').split(',').map((s) => s.trim()).filter(Boolean);
/** Whether a part of the run is selected (E2E_ONLY). */
const part = (name) => ONLY.length === 0 || ONLY.includes(name);
const GBK_ROWS = 10;
const GBK_BAD = 4;

mkdirSync(outDir, { recursive: true });
const home = mkdtempSync(join(tmpdir(), 'batchdesk-e2e-'));

let passed = 0;
let failed = 0;
let shot = 0;
let server;
let browser;
const serverLog = [];
const pageErrors = [];

function log(line) {
  process.stdout.write(`${line}\n`);
}

/** Runs one step, saves its screenshot, and counts it. */
async function step(name, page, fn) {
  const file = join(outDir, `${String(++shot).padStart(2, '0')}-${name}.png`);
  try {
    await fn();
    passed++;
    log(`ok   ${name}`);
  } catch (e) {
    failed++;
    log(`FAIL ${name}: ${(e && e.message ? e.message : String(e)).split('\n').slice(0, 6).join('\n     ')}`);
  } finally {
    if (page) await page.screenshot({ path: file, fullPage: true }).catch(() => {});
  }
}

/** Starts `batchdesk serve` (with extra environment variables) and returns the URL of its first stdout line. */
function startServer(extraEnv = {}) {
  return new Promise((resolveUrl, reject) => {
    server = spawn(bin, ['serve'], {
      env: {
        ...process.env,
        BATCHDESK_HOME: home,
        BATCHDESK_SECRETS: 'file',
        BATCHDESK_PASSPHRASE: 'e2e-pass',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => reject(new Error('no URL from batchdesk serve within 30 s')), 30_000);
    server.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${bin}: ${e.message}`));
    });
    server.on('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`batchdesk serve exited (${code ?? sig}) before printing its URL`));
    });
    createInterface({ input: server.stderr }).on('line', (l) => serverLog.push(l));
    const lines = createInterface({ input: server.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolveUrl(line.trim());
    });
    lines.on('line', (l) => serverLog.push(l));
  });
}

/**
 * The server's controls for steps that stop it: restart(env) stops it (if it
 * still runs) and starts it again on the same home, with env added, and
 * returns its new URL; exited() resolves when the running one has exited.
 */
const serverControl = {
  async restart(extraEnv = {}) {
    await stopServer();
    const url = await startServer(extraEnv);
    log(`serve: restarted at ${new URL(url).origin}${Object.keys(extraEnv).length ? ` with ${JSON.stringify(extraEnv)}` : ''}`);
    return url;
  },
  exited() {
    if (!server || server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
    return new Promise((r) => server.once('exit', r));
  },
};

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

const launchArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

async function main() {
  const url = await startServer();
  if (!/^https?:\/\/.+[?&]token=/.test(url)) throw new Error(`unexpected first line from serve: ${url}`);
  const origin = new URL(url).origin;
  log(`serve: ${origin} (home ${home})`);

  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: launchArgs });

  // (a) Without the token cookie, app methods answer 401.
  const anon = await browser.newContext();
  const anonPage = await anon.newPage();
  await step('no-cookie-401', anonPage, async () => {
    await anonPage.goto(`${origin}/`);
    const status = await anonPage.evaluate(async () => {
      const r = await fetch('/api/Info', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[]' });
      return r.status;
    });
    if (status !== 401) throw new Error(`POST /api/Info without cookie answered ${status}, want 401`);
  });
  await anon.close();

  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(`console: ${m.text()}`));
  // The nav's own label is translated too: find it by role alone.
  const nav = page.getByRole('navigation');
  const link = (name) => nav.getByRole('link', { name, exact: true });

  // (b) The shell, the sandbox objects, Account's fields.
  await step('shell', page, async () => {
    await page.goto(url);
    await link('Objects').waitFor();
    await page.waitForFunction(() => document.title === 'Batchdesk');
    for (const name of ['Import', 'Export', 'Delete', 'Jobs', 'Schedules', 'Presets', 'Connections', 'Objects', 'Settings']) {
      await link(name).waitFor();
    }
  });

  await step('sandbox-objects', page, async () => {
    await link('Objects').click();
    for (const name of SANDBOX_OBJECTS) {
      await page.getByRole('button', { name: `Show fields of ${name}`, exact: true }).waitFor();
    }
  });

  await step('account-fields', page, async () => {
    await page.getByRole('button', { name: 'Show fields of Account', exact: true }).click();
    const fields = page.getByRole('table', { name: /^Fields of Account/ });
    const industry = fields.getByRole('row').filter({ hasText: 'industry' });
    await industry.getByText('Picklist', { exact: true }).waitFor();
    await industry.getByText('Technology', { exact: true }).waitFor();
    const nameRow = fields.getByRole('row').filter({ has: page.getByText('name', { exact: true }) });
    await nameRow.getByText('Required', { exact: true }).waitFor();
  });

  // (c) Add a PostgreSQL connection, test it, use it.
  await step('connection-added-and-tested', page, async () => {
    await link('Connections').click();
    await page.getByLabel('Name', { exact: true }).fill('testpg');
    await page.getByLabel('URL', { exact: true }).fill(pgUrl);
    await page.getByRole('button', { name: 'Add connection' }).click();
    await page.getByText('Connection “testpg” added').waitFor();
    await page.getByRole('button', { name: 'Test testpg', exact: true }).click();
    const result = page.getByLabel('Test result for testpg');
    await result.waitFor();
    const text = await result.innerText();
    if (!text.startsWith('Connected:')) throw new Error(`test of testpg: ${text}`);
  });

  await step('testpg-objects', page, async () => {
    await page.getByRole('combobox', { name: 'Connection' }).selectOption('testpg');
    await link('Objects').click();
    await page.getByText('What the CRM “testpg” holds').waitFor();
    const list = page.getByRole('table', { name: 'Objects' });
    const empty = page.getByText('This connection has no objects.');
    const error = page.getByRole('alert');
    await list.or(empty).or(error).first().waitFor();
    if (await error.count()) throw new Error(await error.first().innerText());
    if (demoPg) {
      for (const name of SANDBOX_OBJECTS) {
        await page.getByRole('button', { name: `Show fields of ${name}`, exact: true }).waitFor();
      }
    } else if (!(await list.count())) {
      log('     (testpg has no objects: set BATCHDESK_E2E_PG to a database with the demo CRM to check them)');
    }
  });

  // (d) Import a GBK file into the sandbox, then into testpg.
  if (part('import')) {
    await importSteps(page, link, 'sandbox', true);
    await masterDetailSteps(page, link);
    await importSteps(page, link, 'testpg', false);
  }

  // (d2) Export, destinations and schedules; exports to OSS and SFTP.
  if (part('export')) await exportSteps({ page, link, step, log, home, connection: demoPg ? 'testpg' : 'sandbox' });
  if (part('remote')) await remoteSteps({ page, link, step, log, home });

  // Delete on the sandbox (typed count, now and scheduled) and on a server that checks passwords.
  if (part('delete')) await deleteSteps({ page, link, step, log, server: serverControl });

  if (!part('chinese')) return ctx.close();
  // (e) Chinese, at once and after a reload (saved).
  await step('language-chinese', page, async () => {
    await link('Settings').click();
    await page.getByRole('radio', { name: '中文' }).click();
    for (const name of ['导入', '导出', '删除', '任务', '连接', '对象', '设置']) {
      await link(name).waitFor();
    }
    await page.reload();
    await link('设置').waitFor();
    await page.getByRole('heading', { name: '设置' }).waitFor();
  });

  await step('import-chinese', page, async () => {
    await link('导入').click();
    await page.getByRole('heading', { name: '导入', exact: true }).waitFor();
    for (const s of ['目标', '文件', '映射', '预览', '发送', '结果']) {
      await page.getByRole('navigation', { name: '导入步骤' }).getByText(s, { exact: true }).waitFor();
    }
  });

  await step('jobs-chinese', page, async () => {
    await link('任务').click();
    await page.getByRole('heading', { name: '任务', exact: true }).waitFor();
    await page.getByRole('table', { name: '任务' }).or(page.getByText(/还没有任务/)).first().waitFor();
  });

  await exportChineseSteps({ page, link, step });
  await deleteChineseStep({ page, link, step });

  await ctx.close();
}

/**
 * A master–detail import into the sandbox whose masters and lines fail:
 * every file's report is listed and downloadable, in file order with the
 * file's lines, and sending the failed rows again sends those of both files.
 */
async function masterDetailSteps(page, link) {
  const next = () => page.getByRole('button', { name: /^Next/ });
  await step('md-files', page, async () => {
    await link('Import').click();
    const again = page.getByRole('button', { name: 'Import more files' });
    if (await again.count()) await again.click();
    // The flow remembers its step: back to the target.
    const target = page.getByRole('button', { name: /Target$/ }).first();
    if (await target.count()) await target.click();
    await page.getByRole('combobox', { name: 'Connection' }).selectOption('sandbox');
    const object = page.getByRole('combobox', { name: 'Object' });
    await object.locator('option[value="Opportunity"]').waitFor({ state: 'attached' });
    await object.selectOption('Opportunity');
    await page.getByRole('radio', { name: /Add new/ }).check();
    await page.waitForFunction(() => ![...document.querySelectorAll('button')].find((b) => /^Next/.test(b.textContent.trim()))?.disabled);
    await next().click();
    for (const old of await page.getByRole('button', { name: /^Remove .*\.csv/ }).all()) await old.click().catch(() => {});
    await page.getByTestId('file-input').setInputFiles(MD_MASTER);
    await page.getByRole('article', { name: 'File opportunities-md.csv' }).waitFor();
    const details = page.getByRole('region', { name: /^Details: / }).first();
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), details.getByRole('button', { name: /^Add .* files$/ }).click()]);
    await chooser.setFiles(MD_LINES);
    await page.getByRole('article', { name: 'File lines-md.csv' }).waitFor();
    await page.getByLabel(/^Key column of the /).selectOption('Key');
    await details.getByLabel(/^Column naming the /).selectOption('Opportunity Key');
    await next().click();
    await page.getByRole('region', { name: 'Fields' }).waitFor();
  });

  let reports = [];
  await step('md-send-and-reports', page, async () => {
    await page.getByRole('button', { name: /Check every row/ }).click();
    await page.getByRole('grid', { name: 'Rows with problems' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: /^Send \d+ rows/ }).click();
    await page.getByRole('heading', { name: 'Result' }).waitFor({ timeout: 60_000 });
    const stats = (await page.locator('.stats').innerText()).replace(/\s+/g, ' ');
    if (!/Failed 4\b/.test(stats)) throw new Error(`result: ${stats}`);
    const list = page.getByRole('list', { name: 'Error reports' });
    await list.waitFor();
    reports = await list.getByRole('button').allInnerTexts();
    if (reports.length !== 2 || !/\(1 row\)/.test(reports[0]) || !/\(3 rows\)/.test(reports[1])) throw new Error(`reports: ${reports.join(' | ')}`);
    const [dl] = await Promise.all([page.waitForEvent('download'), list.getByRole('button').nth(1).click()]);
    const text = readFileSync(await dl.path()).toString('utf8').replace(/^\uFEFF/, '');
    const rows = text.trim().split(/\r?\n/).slice(1).map((l) => l.split(',').slice(0, 4).join(','));
    const want = ['K1,SKU-NOPE,1,3', 'K2,SKU-1001,3,4', 'K3,SKU-1002,x,5'];
    if (rows.join('|') !== want.join('|')) throw new Error(`line report rows ${rows.join(' | ')}, want ${want.join(' | ')}`);
  });

  await step('md-restart-failed', page, async () => {
    await page.getByRole('button', { name: 'Send the 4 failed rows again' }).click();
    // The first job's result had 8 rows: wait for the restart's.
    await page
      .waitForFunction(() => [...document.querySelectorAll('h2')].some((h) => h.textContent.trim() === 'Result') && /Rows\s+4\b/.test(document.querySelector('.stats')?.innerText ?? ''), null, { timeout: 60_000 })
      .catch(() => {});
    const stats = (await page.locator('.stats').innerText()).replace(/\s+/g, ' ');
    if (!/Rows 4\b/.test(stats) || !/Failed 4\b/.test(stats)) throw new Error(`restart result: ${stats}`);
    const list = page.getByRole('list', { name: 'Error reports' });
    await list.waitFor();
    const again = await list.getByRole('button').allInnerTexts();
    if (again.length !== 2) throw new Error(`restart reports: ${again.join(' | ')}`);
  });
}

/** The whole import flow in the browser against one connection. */
async function importSteps(page, link, connection, full) {
  const tag = connection === 'sandbox' ? 'import' : `import-${connection}`;
  const next = () => page.getByRole('button', { name: /^Next/ });

  await step(`${tag}-target`, page, async () => {
    await link('Import').click();
    const again = page.getByRole('button', { name: 'Import more files' });
    if (await again.count()) await again.click();
    await page.getByRole('combobox', { name: 'Connection' }).selectOption(connection);
    await page.locator('button[aria-current="step"]', { hasText: 'Target' }).waitFor();
    const object = page.getByRole('combobox', { name: 'Object' });
    await object.locator('option[value="Account"]').waitFor({ state: 'attached' });
    await object.selectOption('Account');
    await page.getByRole('radio', { name: /Add new/ }).check();
    await page.waitForFunction(() => ![...document.querySelectorAll('button')].find((b) => /^Next/.test(b.textContent.trim()))?.disabled);
    await next().click();
  });

  await step(`${tag}-file-gbk`, page, async () => {
    const old = page.getByRole('button', { name: /^Remove accounts-gbk/ });
    while (await old.count()) await old.first().click();
    await page.getByTestId('file-input').setInputFiles(GBK_FIXTURE);
    const card = page.getByRole('article', { name: 'File accounts-gbk.csv' });
    await card.waitFor();
    const enc = await card.getByRole('combobox', { name: 'Encoding' }).inputValue();
    if (enc !== 'gb18030') throw new Error(`detected encoding ${enc}, want gb18030`);
    await card.getByRole('table').getByText('华为技术', { exact: true }).waitFor();
    const text = await card.innerText();
    if (!text.includes(`${GBK_ROWS} rows`)) throw new Error(`row count not shown as ${GBK_ROWS}: ${text.slice(0, 200)}`);
  });

  await step(`${tag}-mapping`, page, async () => {
    await next().click();
    await page.getByRole('region', { name: 'Fields' }).waitFor();
    const sel = (h) => page.getByRole('combobox', { name: `Field for column ${h}` });
    for (const [h, f] of [['客户名称', 'name'], ['行业', 'industry'], ['邮箱', 'email']]) {
      const v = await sel(h).inputValue();
      if (v !== f) throw new Error(`column ${h} auto-mapped to "${v}", want ${f}`);
    }
    const banner = page.getByRole('button', { name: /^Use “/ });
    if (!full && (await banner.count())) {
      await banner.click();
      await page.getByText(/^Preset “.*” loaded\.$/).waitFor();
    }
    if ((await sel('编号').inputValue()) !== 'account_no') {
      // Drag the column onto the field, as a consultant would; the select is the keyboard way.
      await page.getByLabel('Drag column 编号').dragTo(page.getByRole('listitem', { name: 'Field account_no' }));
      if ((await sel('编号').inputValue()) !== 'account_no') {
        log('     (drag did not map 编号; using the select)');
        await sel('编号').selectOption('account_no');
      }
    }
    if (full) {
      await page.getByRole('button', { name: 'Save as…' }).click();
      await page.getByLabel('Preset name').fill('GBK accounts');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Preset “GBK accounts” saved.').waitFor();
    }
  });

  await step(`${tag}-preview-problems`, page, async () => {
    await page.getByRole('button', { name: /Check every row/ }).click();
    const grid = page.getByRole('grid', { name: 'Rows with problems' });
    await grid.waitFor();
    await page.getByText(`${GBK_BAD} of ${GBK_ROWS} rows have problems.`).waitFor();
    // Bad cells are marked once their page of rows has arrived.
    await page
      .waitForFunction((n) => document.querySelectorAll('[role="grid"] .cell.bad').length >= n, GBK_BAD, { timeout: 10_000 })
      .catch(async () => {
        throw new Error(`${await grid.locator('.cell.bad').count()} bad cells marked, want at least ${GBK_BAD}`);
      });
    const title = await grid.locator('.cell.bad').first().getAttribute('title');
    if (!title) throw new Error('a bad cell has no message on hover');
    await grid.getByRole('row').nth(1).click();
    await page.getByRole('complementary', { name: 'Problems of the selected row' }).getByText(/^Line \d+/).waitFor();
  });

  if (full) {
    await step(`${tag}-rehearse`, page, async () => {
      await page.getByRole('button', { name: 'Rehearse on server' }).click();
      await page.getByRole('tab', { name: /Server rehearsal/, selected: true }).waitFor();
      const clean = page.getByText('The server accepted every row (rolled back).');
      const refused = page.getByText(/rows would fail \(nothing was kept\)\./);
      const failedR = page.getByText(/^The rehearsal did not finish/);
      await clean.or(refused).or(failedR).first().waitFor({ timeout: 60_000 });
      if (await failedR.count()) throw new Error(await failedR.innerText());
    });
  }

  await step(`${tag}-send`, page, async () => {
    const send = page.getByRole('button', { name: `Send ${GBK_ROWS - GBK_BAD} rows` });
    await send.click();
    await page.getByRole('heading', { name: 'Result' }).waitFor({ timeout: 60_000 });
    const stats = await page.locator('.stats').innerText();
    if (!/Succeeded\s+6\b/.test(stats)) throw new Error(`result: ${stats.replace(/\s+/g, ' ')}`);
  });

  if (!full) return;

  await step(`${tag}-error-report`, page, async () => {
    const [dl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download error report' }).click(),
    ]);
    const path = await dl.path();
    const text = readFileSync(path).toString('utf8').replace(/^\uFEFF/, '');
    const lines = text.trim().split(/\r?\n/);
    const header = lines[0].split(',');
    if (!header.includes('_row') || !header.includes('_error')) throw new Error(`report header: ${lines[0]}`);
    if (!header.includes('客户名称')) throw new Error(`report lacks the original columns: ${lines[0]}`);
    if (lines.length - 1 !== GBK_BAD) throw new Error(`report has ${lines.length - 1} rows, want ${GBK_BAD}`);
  });

  await step(`${tag}-restart-failed`, page, async () => {
    await page.getByRole('button', { name: `Send the ${GBK_BAD} failed rows again` }).click();
    await page.getByRole('heading', { name: 'Result' }).waitFor({ timeout: 60_000 });
  });

  await step('jobs-dashboard', page, async () => {
    await link('Jobs').click();
    const table = page.getByRole('table', { name: 'Jobs' });
    await table.waitFor();
    const imports = table.getByRole('row').filter({ hasText: 'Account' });
    await imports.nth(1).waitFor();
    await page.getByRole('img', { name: /Throughput \(bars\)/ }).waitFor();
    // The table fits the window (1280 px) without hiding Throughput.
    const box = await table.getByRole('columnheader', { name: 'Throughput' }).boundingBox();
    const width = page.viewportSize()?.width ?? 1280;
    if (!box || box.x + box.width > width) throw new Error(`Throughput ends at ${box ? Math.round(box.x + box.width) : '?'} px of ${width}`);
  });

  await step('job-page', page, async () => {
    await page.getByRole('table', { name: 'Jobs' }).getByRole('link').first().click();
    await page.getByRole('heading', { name: /^Job / }).waitFor();
    await page.getByRole('table', { name: 'Events' }).or(page.getByText('No events recorded.')).first().waitFor();
  });

  await step('presets-page', page, async () => {
    await link('Presets').click();
    const table = page.getByRole('table', { name: 'Saved presets' });
    await table.getByText('GBK accounts', { exact: true }).waitFor();
  });
}

const watchdog = setTimeout(() => {
  log('FAIL e2e: still running after 8 minutes');
  failed++;
  finish();
}, 480_000);

let finishing = false;
async function finish() {
  if (finishing) return;
  finishing = true;
  clearTimeout(watchdog);
  await browser?.close().catch(() => {});
  await stopServer().catch(() => {});
  if (failed > 0) {
    if (pageErrors.length) log(`page errors:\n  ${pageErrors.slice(0, 20).join('\n  ')}`);
    if (serverLog.length) log(`server output (last lines):\n  ${serverLog.slice(-20).join('\n  ')}`);
    log(`kept BATCHDESK_HOME for inspection: ${home}`);
  } else {
    rmSync(home, { recursive: true, force: true });
  }
  log(`screenshots: ${outDir}`);
  log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main()
  .catch((e) => {
    failed++;
    log(`FAIL e2e: ${e && e.message ? e.message : e}`);
  })
  .finally(finish);
