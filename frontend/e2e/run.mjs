// End-to-end test of the real UI over `batchdesk serve` in headless Chromium.
//
//   BATCHDESK_BIN   the binary (default ../build/bin/batchdesk, from frontend/)
//   BATCHDESK_E2E_PG a throwaway database with the demo CRM installed (preferred)
//   BATCHDESK_TEST_PG a PostgreSQL URL otherwise (default postgres://postgres@127.0.0.1:5432/postgres)
//   E2E_OUT         where the screenshots go (default ../test-output/e2e), one PNG per step
//
// Prints one line per step and `N passed, N failed` last; exits 1 on failure.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const frontendDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.BATCHDESK_BIN
  ? resolve(process.env.BATCHDESK_BIN)
  : resolve(frontendDir, '../build/bin/batchdesk');
const outDir = process.env.E2E_OUT ? resolve(process.env.E2E_OUT) : resolve(frontendDir, '../test-output/e2e');
const demoPg = process.env.BATCHDESK_E2E_PG || '';
const pgUrl = demoPg || process.env.BATCHDESK_TEST_PG || 'postgres://postgres@127.0.0.1:5432/postgres';
const SANDBOX_OBJECTS = ['Account', 'Contact', 'Product', 'Opportunity', 'OpportunityLine'];
const STEP_TIMEOUT = 20_000;

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

/** Starts `batchdesk serve` and returns the URL of its first stdout line. */
function startServer() {
  return new Promise((resolveUrl, reject) => {
    server = spawn(bin, ['serve'], {
      env: {
        ...process.env,
        BATCHDESK_HOME: home,
        BATCHDESK_SECRETS: 'file',
        BATCHDESK_PASSPHRASE: 'e2e-pass',
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
    for (const name of ['Import', 'Export', 'Delete', 'Jobs', 'Presets', 'Connections', 'Objects', 'Settings']) {
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

  // (d) Chinese, at once and after a reload (saved).
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

  await ctx.close();
}

const watchdog = setTimeout(() => {
  log('FAIL e2e: still running after 5 minutes');
  failed++;
  finish();
}, 300_000);

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
