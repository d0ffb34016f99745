// Playwright from the tools folder (test/e2e/setup installs it) driving Debian's Chromium.
// The caller's environment comes from test/e2e/lib.sh: an isolated HOME/XDG/TMPDIR per run.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** An environment variable the bash side must set; fails loudly when it is missing. */
export function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set (these scripts run through test/e2e/run-* or scripts/*)`);
  }
  return value;
}

function loadPlaywright() {
  const fromTools = createRequire(path.join(requiredEnv('SPHERON_E2E_PLAYWRIGHT_DIR'), 'package.json'));
  return fromTools('playwright-core');
}

/** Headless Chromium with its own home, so crash reports and caches stay inside the run folder. */
export async function launchBrowser() {
  const browserHome = requiredEnv('SPHERON_E2E_BROWSER_HOME');
  mkdirSync(browserHome, { recursive: true });
  const { chromium } = loadPlaywright();
  return chromium.launch({
    executablePath: process.env.SPHERON_E2E_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    env: {
      ...process.env,
      HOME: browserHome,
      XDG_CONFIG_HOME: path.join(browserHome, '.config'),
      XDG_CACHE_HOME: path.join(browserHome, '.cache'),
    },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** A VS Code web URL for a folder on the code-server machine, with optional extra query parameters. */
export function workbenchUrl(baseUrl, folder, extraParams = {}) {
  const url = new URL(baseUrl);
  url.searchParams.set('folder', folder);
  for (const [key, value] of Object.entries(extraParams)) {
    url.searchParams.set(key, value);
  }
  return url.toString();
}

/** Seconds since `start`, for log lines. */
export function elapsed(start) {
  return `${((Date.now() - start) / 1000).toFixed(1)}s`;
}
