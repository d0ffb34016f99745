// StrykerJS settings shared by every target of `npm run mutation` (scripts/mutation.ts adds the
// file to mutate and the mocha command with the spec files that reach it).
// Mocha 12 ships its CLI helpers as .cjs/.mjs, which no @stryker-mutator/mocha-runner release can
// load yet, so mocha runs either in scripts/stryker-mocha-runner.mjs (a local plugin: specs loaded
// once, per-test coverage; the default) or under the built-in "command" runner (one mocha start per
// mutant, `--command-runner`). Stryker 9.6 is the newest core that runs on this project's Node 20
// (10.x requires Node 22).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'command',
  // The TypeScript checker re-checks every file that imports the mutant's file: over 10 minutes for
  // validate.ts alone on 2 cores. Off by default; `npm run mutation -- --typecheck` turns it on.
  checkers: [],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  concurrency: 1,
  timeoutMS: 60000,
  reporters: ['json', 'html', 'clear-text', 'progress-append-only'],
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  ignorePatterns: ['dist', 'out', 'reports', 'test/e2e/artifacts', '.tools', '*.vsix'],
  incremental: false,
  warnings: { unknownOptions: true },
};
