// Runs test/integration (bundled to dist/test/integration/index.js) inside code-server's real
// extension host and reports `ext-host: N passed, N failed` (the tier name from
// SPHERON_EXT_HOST_TIER_NAME when set).
// code-server must run with `--vscode-option enable-smoke-test-driver`: only then does the built web
// workbench honour the `payload` URL parameter (extensionDevelopmentPath / extensionTestsPath), and
// then it relays the extension host's console through window.codeAutomationLog and its end through
// window.codeAutomationExit(code). Started by test/e2e/run-ext-host.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import { elapsed, launchBrowser, requiredEnv, workbenchUrl } from './lib/browser.mjs';

const RESULT_MARKER = 'SPHERON_EXT_HOST_RESULT';
// Workbench chatter (connection set-up, offline gallery and auth lookups) that says nothing about
// the tests; the extension host's own output passes.
const NOISE = new RegExp(
  [
    'AgentHost',
    'AccountPolicyGate',
    'ChatModelSelection',
    'OverlayWebview',
    'vsda',
    'open-vsx\\.org',
    'mobile\\.events\\.data',
    'authentication provider',
    'connection token',
    'Creating a socket',
    'reconnection-grace-time',
    'builtin extensions cache',
    'Service Worker',
    'workbench contribution',
  ].join('|'),
);

const baseUrl = requiredEnv('CODE_SERVER_URL');
const repoRoot = requiredEnv('REPO_ROOT');
const workspace = requiredEnv('SPHERON_E2E_WORKSPACE');
const artifacts = requiredEnv('SPHERON_E2E_ARTIFACTS');
const timeoutMs = Number(process.env.SPHERON_EXT_HOST_TIMEOUT_MS || 300_000);
const start = Date.now();
const log = (...args) => console.log(`[ext-host ${elapsed(start)}]`, ...args);

const remote = (absolutePath) => `vscode-remote://${new URL(baseUrl).host}${absolutePath}`;
const payload = [
  ['extensionDevelopmentPath', remote(repoRoot)],
  ['extensionTestsPath', remote(path.join(repoRoot, 'dist/test/integration/index'))],
];

const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const browserConsole = [];
page.on('console', (message) => browserConsole.push(`[${message.type()}] ${message.text()}`));
page.on('pageerror', (error) => browserConsole.push(`[pageerror] ${error.stack ?? error.message}`));

let result;
let exitCode;
const finished = new Promise((resolve) => {
  void page.exposeFunction('codeAutomationLog', (_type, args) => {
    const line = format(...(Array.isArray(args) ? args : [args]));
    if (line.startsWith(RESULT_MARKER)) {
      result = JSON.parse(line.slice(RESULT_MARKER.length));
    } else if (!NOISE.test(line)) {
      console.log(process.env.SPHERON_E2E_DEBUG ? `[${elapsed(start)}] ${line}` : line);
    }
  });
  void page.exposeFunction('codeAutomationExit', (code) => {
    exitCode = code;
    resolve();
  });
});

let timer;
const timedOut = new Promise((resolve) => {
  timer = setTimeout(() => resolve('timeout'), timeoutMs);
});
log(`opening the workbench with the test payload (${baseUrl})`);
// Playwright's default 30 s for the page load is too short on a loaded 2-core machine.
await page.goto(workbenchUrl(baseUrl, workspace, { payload: JSON.stringify(payload) }), { timeout: 120_000 });
const outcome = await Promise.race([finished, timedOut]);
clearTimeout(timer);

let passed = result?.passed ?? 0;
let failed = result?.failed ?? 0;
if (outcome === 'timeout') {
  log(`TIMEOUT: no exit code from the extension host after ${timeoutMs / 1000}s`);
} else {
  log(`extension host exited with code ${exitCode}`);
}
// A crash, a load error or a timeout has no mocha summary: count it as one failure.
if (exitCode !== 0 && failed === 0) {
  failed = 1;
}
if (exitCode !== 0) {
  await page.screenshot({ path: path.join(artifacts, 'ext-host-failure.png') }).catch(() => {});
  writeFileSync(path.join(artifacts, 'ext-host-browser-console.log'), browserConsole.join('\n') + '\n');
  passed = result?.passed ?? passed;
}
await browser.close();
const tierName = process.env.SPHERON_EXT_HOST_TIER_NAME || 'ext-host';
console.log(`${tierName}: ${passed} passed, ${failed} failed`);
process.exit(exitCode === 0 && failed === 0 ? 0 : 1);
