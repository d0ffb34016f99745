// Loads the workbench once per measurement with the bench payload, so each run is a fresh
// extension host (a cold activation), and prints the collected numbers as one JSON line.
// Started by test/bench/run-ext-host-bench (code-server with the smoke-test driver enabled).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import { launchBrowser, requiredEnv, workbenchUrl } from '../e2e/lib/browser.mjs';

const MARKER = 'SPHERON_BENCH_RESULT';
const baseUrl = requiredEnv('CODE_SERVER_URL');
const repoRoot = requiredEnv('REPO_ROOT');
const workspace = requiredEnv('SPHERON_E2E_WORKSPACE');
const control = requiredEnv('SPHERON_BENCH_CONTROL');
const runs = Number(process.env.SPHERON_BENCH_RUNS || 10);
const baselineRuns = Number(process.env.SPHERON_BENCH_BASELINE_RUNS || 5);
const remote = (absolutePath) => `vscode-remote://${new URL(baseUrl).host}${absolutePath}`;
const payloadFor = (extensionPath, testsPath) =>
  JSON.stringify([
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['extensionTestsPath', remote(path.join(repoRoot, testsPath))],
  ]);
const spheron = payloadFor(repoRoot, 'dist/test/bench/activation');
// A hello-world extension alone in the host, measured the same way: what VS Code itself costs here.
const helloWorld = payloadFor(path.join(repoRoot, 'test/bench/baseline'), 'dist/test/bench/baseline');

const browser = await launchBrowser();

async function measureOnce(payload, options = {}) {
  writeFileSync(control, JSON.stringify(options));
  const page = await browser.newPage();
  let result;
  const exited = new Promise((resolve) => {
    void page.exposeFunction('codeAutomationLog', (_type, args) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      if (line.startsWith(MARKER)) {
        result = JSON.parse(line.slice(MARKER.length));
      }
    });
    void page.exposeFunction('codeAutomationExit', (code) => resolve(code));
  });
  const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 180_000));
  await page.goto(workbenchUrl(baseUrl, workspace, { payload }));
  const code = await Promise.race([exited, timeout]);
  await page.close();
  if (code !== 0 || !result) {
    throw new Error(`bench run failed (exit ${code})`);
  }
  if (result.wasActive) {
    throw new Error('the extension was already active before the measurement: not a cold activation');
  }
  return result;
}

const activations = [];
for (let run = 0; run < runs; run++) {
  activations.push(await measureOnce(spheron, { offers: false }));
}
const withOffers = await measureOnce(spheron, { offers: true });
const baseline = [];
for (let run = 0; run < baselineRuns; run++) {
  baseline.push(await measureOnce(helloWorld));
}
await browser.close();
console.log(`${MARKER}${JSON.stringify({ activations, withOffers, baseline })}`);
