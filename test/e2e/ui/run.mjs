// A tiny runner for the UI tests: every `test/e2e/ui/tests/*.test.mjs` default-exports a list of
// `{ name, run(t) }`; each test runs in a fresh browser context on a freshly loaded workbench with a
// workspace folder of its own (so view and panel state one test leaves behind never reaches the
// next), against the one code-server and simulator of this run (starting those costs more than a page
// load). Prints one line per test and `ui: N passed, N failed`. Started by test/e2e/run-ui.
//   SPHERON_UI_GREP=<regexp> runs the tests whose name matches.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { elapsed, launchBrowser, requiredEnv, workbenchUrl } from '../lib/browser.mjs';
import { Workbench } from './workbench.mjs';

const TEST_TIMEOUT_MS = Number(process.env.SPHERON_UI_TEST_TIMEOUT_MS || 180_000);
const testsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tests');
const baseUrl = requiredEnv('CODE_SERVER_URL');
const simulator = requiredEnv('SPHERON_SIM_URL');
const workspaceRoot = requiredEnv('SPHERON_E2E_WORKSPACE');
const artifacts = requiredEnv('SPHERON_E2E_ARTIFACTS');
const grep = process.env.SPHERON_UI_GREP ? new RegExp(process.env.SPHERON_UI_GREP) : undefined;

const slug = (text) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

/** Calls the simulator's admin API (`/__sim/<path>`); GET without a body, POST with one. */
async function simulatorAdmin(adminPath, body, method = body === undefined ? 'GET' : 'POST') {
  const response = await fetch(`${simulator}/__sim/${adminPath.replace(/^\/+/, '')}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`simulator admin ${method} /__sim/${adminPath} answered ${response.status}: ${text}`);
  }
  return text ? JSON.parse(text) : undefined;
}

async function loadTests() {
  const files = readdirSync(testsDir)
    .filter((file) => file.endsWith('.test.mjs'))
    .sort();
  const tests = [];
  for (const file of files) {
    const module = await import(pathToFileURL(path.join(testsDir, file)).href);
    for (const test of module.default) {
      tests.push({ ...test, file });
    }
  }
  return grep ? tests.filter((test) => grep.test(test.name)) : tests;
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000}s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function runTest(browser, test, index) {
  const id = `${String(index + 1).padStart(2, '0')}-${slug(test.name)}`;
  const workspace = path.join(workspaceRoot, id);
  mkdirSync(workspace, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.tracing.start({ screenshots: true, snapshots: true });
  const page = await context.newPage();
  const browserConsole = [];
  page.on('console', (message) => browserConsole.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => browserConsole.push(`[pageerror] ${error.stack ?? error.message}`));
  const workbench = new Workbench(page);
  const t = {
    page,
    workbench,
    workspace,
    simulatorUrl: simulator,
    simulatorAdmin,
    /** Opens the workbench on this test's workspace folder. */
    open: () => workbench.open(workbenchUrl(baseUrl, workspace)),
    /** Saves a screenshot into the run's artifacts folder, once tooltips and progress bars are gone. */
    shot: async (name) => {
      await workbench.settle().catch(() => {});
      await page.screenshot({ path: path.join(artifacts, `${id}-${slug(name)}.png`) });
    },
  };
  const start = Date.now();
  try {
    await withTimeout(test.run(t), test.timeoutMs ?? TEST_TIMEOUT_MS, `"${test.name}"`);
    console.log(`  ✓ ${test.name} (${elapsed(start)})`);
    await context.tracing.stop();
    return true;
  } catch (error) {
    console.log(
      `  ✗ ${test.name} (${elapsed(start)})\n    ${String(error?.stack ?? error).replace(/\n/g, '\n    ')}`,
    );
    await page.screenshot({ path: path.join(artifacts, `${id}-failure.png`) }).catch(() => {});
    await context.tracing.stop({ path: path.join(artifacts, `${id}-trace.zip`) }).catch(() => {});
    writeFileSync(path.join(artifacts, `${id}-browser-console.log`), browserConsole.join('\n') + '\n');
    return false;
  } finally {
    await context.close().catch(() => {});
  }
}

const tests = await loadTests();
const browser = await launchBrowser();
let passed = 0;
let failed = 0;
console.log(`UI tests against ${baseUrl} (simulator ${simulator})`);
for (const [index, test] of tests.entries()) {
  if (await runTest(browser, test, index)) {
    passed++;
  } else {
    failed++;
  }
}
await browser.close();
if (tests.length === 0) {
  console.log('no UI tests matched');
  failed++;
}
console.log(`ui: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
