// Entry point of the extension-host test run (VS Code's extensionTestsPath): exports run().
// esbuild bundles it with every test/integration/**/*.test.ts (the template-literal import below is
// a glob import, each module initialised lazily), and run() finds the test files in the source tree,
// so a new *.test.ts file joins the run without being listed anywhere.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

/** Printed once at the end; test/e2e/ext-host.mjs reads the counts from it. */
export const RESULT_MARKER = 'SPHERON_EXT_HOST_RESULT';

// dist/test/integration/index.js → the repository root.
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const sourceDir = path.join(repoRoot, 'test', 'integration');

function findTestFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        return findTestFiles(full);
      }
      return entry.name.endsWith('.test.ts') ? [full] : [];
    })
    .sort();
}

async function loadTestFile(mocha: Mocha, file: string): Promise<void> {
  const stem = path
    .relative(sourceDir, file)
    .split(path.sep)
    .join('/')
    .replace(/\.test\.ts$/, '');
  // describe/it must be globals while the module body runs.
  mocha.suite.emit('pre-require', globalThis, file, mocha);
  try {
    await import(`./${stem}.test.ts`);
  } catch (error) {
    throw new Error(
      `${file} is not in the test bundle or failed to load; rebuild with \`node esbuild.mjs --tests\``,
      {
        cause: error,
      },
    );
  }
  mocha.suite.emit('post-require', globalThis, file, mocha);
}

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: Number(process.env.SPHERON_EXT_HOST_TEST_TIMEOUT_MS ?? 30_000),
    forbidOnly: true,
    grep: process.env.SPHERON_EXT_HOST_GREP || undefined,
  });
  const files = findTestFiles(sourceDir);
  if (files.length === 0) {
    throw new Error(`no *.test.ts files under ${sourceDir}`);
  }
  for (const file of files) {
    await loadTestFile(mocha, file);
  }
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('end', () => {
      const { passes = 0, failures: failed = 0 } = runner.stats ?? {};
      console.log(`${RESULT_MARKER} ${JSON.stringify({ passed: passes, failed })}`);
    });
  });
  if (failures > 0) {
    throw new Error(`${failures} extension-host test(s) failed`);
  }
}
