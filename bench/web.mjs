// Web app benchmark: how fast the first screen becomes interactive, and how the Users screen
// behaves with 10,000 users. Real API (release or debug build), real database, Debian's headless
// Chromium. One run prints a table and writes it to bench/results-web.md.
//
//   bash bench/web.sh           (builds what is needed, then runs this)
//
// Environment: POSTWARDEN_API_BIN, POSTWARDEN_WEB_DIST (see web/e2e/harness.mjs),
// BENCH_LOADS (20 cold loads), BENCH_USERS (10000).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '../web/e2e/node_modules/playwright-core/index.mjs';
import { OPERATOR, chromium as launchOptions, startStack } from '../web/e2e/harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const LOADS = Number(process.env.BENCH_LOADS ?? 20);
const USERS = Number(process.env.BENCH_USERS ?? 10000);
const PASSWORD = 'Bench-pass-12345';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const max = (xs) => Math.max(...xs);
const ms = (x) => `${Math.round(x)} ms`;

/** `USERS` accounts straight into SQLite (as bench/run.sh does), sharing the owner's hash. */
function seed(dataDir) {
  const db = path.join(dataDir, 'postwarden.db');
  execFileSync('sqlite3', ['-bail', db], {
    input: `
PRAGMA busy_timeout = 10000;
BEGIN;
CREATE TEMP TABLE owner AS
    SELECT organization_id AS org, password_hash AS hash, created_at AS ts
    FROM accounts WHERE username = 'benchowner';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${USERS})
INSERT INTO accounts (id, organization_id, role, username, first_name, last_name,
                      first_name_lc, last_name_lc, status, plan_code, period_start, period_end,
                      period_paid_cents, password_hash, has_photo, created_at, updated_at,
                      disabled_at)
SELECT randomblob(16), owner.org, 'user', printf('user%06d', i), 'Bench', printf('User%06d', i),
       'bench', printf('user%06d', i), 'active', 'free', NULL, NULL,
       0, owner.hash, 0, owner.ts, owner.ts, NULL
FROM n, owner;
INSERT INTO addresses (address, organization_id, kind, account_id, group_id, domain_id, created_at)
SELECT username || '@postwarden.test', organization_id, 'primary', id, NULL, NULL, created_at
FROM accounts WHERE role = 'user' AND username GLOB 'user[0-9]*';
COMMIT;`,
  });
}

const stack = await startStack();
const browser = await chromium.launch({ ...launchOptions, headless: true });
try {
  const signup = await stack.api('/signup', {
    method: 'POST',
    body: { organization_name: 'Bench', first_name: 'Bench', last_name: 'Owner', username: 'benchowner', password: PASSWORD },
  });
  seed(stack.dataDir);
  const tokens = { access_token: signup.access_token, refresh_token: signup.refresh_token };

  // 1. First screen: a cold load of /sign-in (new browser context: empty cache and storage)
  // until its "Sign in" button is on screen, measured by the page's own clock from navigation
  // start, so the figure includes fetching, compiling and starting the WebAssembly module.
  // The .wasm files each load fetched are recorded: the first screen should need only the main
  // module, the lazy chunks (one per bundle of routes) coming later.
  const firstScreen = [];
  const firstScreenWasm = new Set();
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('request', (request) => {
      const file = new URL(request.url()).pathname.split('/').pop();
      if (file.endsWith('.wasm')) firstScreenWasm.add(file);
    });
    await page.goto(`${stack.baseURL}/sign-in`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    firstScreen.push(await page.evaluate(() => performance.now()));
    await context.close();
  }

  // 2. Users with 10,000 accounts: signed in, a cold load of /users until the first rows show;
  // then a search until its rows replace them; then "Load more".
  const usersLoad = [];
  const search = [];
  const more = [];
  for (let i = 0; i < Math.min(LOADS, 10); i++) {
    const context = await browser.newContext();
    await context.addInitScript((session) => {
      localStorage.setItem('postwarden.session', session);
    }, JSON.stringify(tokens));
    const page = await context.newPage();
    await page.goto(`${stack.baseURL}/users`);
    await page.getByRole('cell', { name: 'user000001', exact: true }).waitFor();
    usersLoad.push(await page.evaluate(() => performance.now()));

    const query = `user${String(9000 + i).padStart(6, '0')}`;
    const t0 = await page.evaluate(() => performance.now());
    await page.getByLabel('Search').fill(query);
    await page.getByRole('cell', { name: query, exact: true }).waitFor();
    search.push((await page.evaluate(() => performance.now())) - t0);

    await page.getByLabel('Search').fill('');
    await page.getByRole('cell', { name: 'user000001', exact: true }).waitFor();
    const rows = await page.getByRole('row').count();
    const t1 = await page.evaluate(() => performance.now());
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('tr').length > n, rows);
    more.push((await page.evaluate(() => performance.now())) - t1);
    await context.close();
  }

  // Sizes of the build's modules, gzipped here as a server would (level 9).
  const dist = process.env.POSTWARDEN_WEB_DIST ?? path.join(HERE, '..', 'web', 'dist');
  const [version] = fs.readdirSync(path.join(dist, 'app'));
  const appDir = path.join(dist, 'app', version);
  const sizes = (files) => files.reduce((sum, file) => {
    const bytes = fs.readFileSync(path.join(appDir, file));
    return { raw: sum.raw + bytes.length, gzip: sum.gzip + zlib.gzipSync(bytes, { level: 9 }).length };
  }, { raw: 0, gzip: 0 });
  const wasmFiles = fs.readdirSync(appDir).filter((file) => file.endsWith('.wasm'));
  const first = sizes([...firstScreenWasm]);
  const all = sizes(wasmFiles);
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const table = [
    '| measurement | median | max | target |',
    '|---|---:|---:|---|',
    `| first screen interactive (cold load of /sign-in, ${LOADS} runs) | ${ms(median(firstScreen))} | ${ms(max(firstScreen))} | < 1500 ms |`,
    `| /users with ${USERS.toLocaleString('en')} users, first rows (cold load, ${usersLoad.length} runs) | ${ms(median(usersLoad))} | ${ms(max(usersLoad))} | responsive |`,
    `| search typed → matching row shown | ${ms(median(search))} | ${ms(max(search))} | responsive |`,
    `| "Load more" → next page shown | ${ms(median(more))} | ${ms(max(more))} | responsive |`,
  ].join('\n');
  const wasmReport = [
    `- wasm fetched for the first screen: ${[...firstScreenWasm].join(', ')}: ${kib(first.raw)} raw, **${kib(first.gzip)} gzip** (target ≤ 350 KB)`,
    `- all wasm of the build (main module and ${wasmFiles.length - 1} lazy chunks): ${kib(all.raw)} raw, ${kib(all.gzip)} gzip`,
  ].join('\n');
  const report = `Web app benchmark, ${new Date().toISOString().slice(0, 10)}\n\n${table}\n\n${wasmReport}\n`;
  console.log(report);
  fs.writeFileSync(path.join(HERE, 'results-web.md'), report);
} finally {
  await browser.close();
  await stack.stop();
}
