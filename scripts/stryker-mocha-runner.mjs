// A StrykerJS test runner for mocha 12, loaded by stryker.config.mjs as a local plugin
// ("mocha12"). No @stryker-mutator/mocha-runner release can load mocha 12 (it requires
// mocha/lib/cli/*.js by their pre-12 names), and the built-in command runner starts mocha once
// per mutant and cannot tell which test covers a mutant. This one loads the spec files once per
// worker process (tsx comes from `testRunnerNodeArgs: ['--import', 'tsx']`), records per-test
// coverage in the dry run, and re-runs only the covering tests with the mutant switched on.
// Files are loaded with import(), which cannot be undone, so it reports reloadEnvironment: false
// and Stryker starts a fresh worker for mutants that act at load time.
import { resolve } from 'node:path';
import Mocha from 'mocha';

const NAMESPACE = '__stryker__';

/** Mocha reporter that only records what Stryker needs. */
class ResultRecorder {
  static last;

  constructor(runner) {
    this.tests = [];
    ResultRecorder.last = this;
    const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
    const started = new Map();
    runner.on('test', (test) => started.set(test, Date.now()));
    const record = (test, status, failureMessage) => {
      const id = test.fullTitle();
      this.tests.push({
        id,
        name: id,
        status,
        timeSpentMs: started.has(test) ? Date.now() - started.get(test) : 0,
        fileName: test.file,
        ...(failureMessage === undefined ? {} : { failureMessage }),
      });
    };
    runner.on(EVENT_TEST_PASS, (test) => record(test, 'success'));
    runner.on(EVENT_TEST_PENDING, (test) => record(test, 'skipped'));
    // A failing hook arrives here too, as a hook object; it counts as a failed test.
    runner.on(EVENT_TEST_FAIL, (test, err) => record(test, 'failed', String(err?.stack ?? err)));
  }
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

class Mocha12TestRunner {
  static inject = ['options', 'logger'];

  constructor(options, logger) {
    this.specs = options.mocha12?.spec ?? [];
    this.log = logger;
    this.context = globalThis[NAMESPACE] ?? (globalThis[NAMESPACE] = {});
  }

  capabilities() {
    return { reloadEnvironment: false };
  }

  async init() {
    if (this.specs.length === 0) {
      throw new Error('mocha12 runner: no spec files (options.mocha12.spec)');
    }
    this.mocha = new Mocha({ reporter: ResultRecorder, timeout: 60000, bail: true });
    this.mocha.cleanReferencesAfterRun(false);
    // Coverage seen outside a test (module load, before/after hooks) is "static": Stryker then runs
    // every test for that mutant. Unsetting the id after each test keeps hooks out of a test's share.
    const context = this.context;
    this.mocha.suite.beforeEach(function strykerTestId() {
      context.currentTestId = this.currentTest?.fullTitle();
    });
    this.mocha.suite.afterEach(function strykerTestIdReset() {
      context.currentTestId = undefined;
    });
    for (const spec of this.specs) {
      this.mocha.addFile(resolve(spec));
    }
    await this.mocha.loadFilesAsync();
  }

  async dryRun(options) {
    this.mocha.options.grep = undefined;
    const result = await this.run(options.disableBail);
    if (result.status === 'complete' && options.coverageAnalysis !== 'off') {
      result.mutantCoverage = this.context.mutantCoverage;
    }
    return result;
  }

  async mutantRun(options) {
    this.context.activeMutant = options.activeMutant.id;
    this.context.hitLimit = options.hitLimit;
    this.context.hitCount = options.hitLimit === undefined ? undefined : 0;
    this.mocha.options.grep = options.testFilter
      ? new RegExp(`^(?:${options.testFilter.map(escapeRegExp).join('|')})$`)
      : undefined;
    try {
      const result = await this.run(options.disableBail);
      if (this.context.hitLimit !== undefined && this.context.hitCount > this.context.hitLimit) {
        return {
          status: 'timeout',
          reason: `hit limit reached (${this.context.hitCount}/${this.context.hitLimit})`,
        };
      }
      if (result.status !== 'complete') {
        return result;
      }
      const failed = result.tests.filter((t) => t.status === 'failed');
      if (failed.length > 0) {
        return {
          status: 'killed',
          killedBy: failed.map((t) => t.id),
          failureMessage: failed[0].failureMessage,
          nrOfTests: result.tests.length,
        };
      }
      return { status: 'survived', nrOfTests: result.tests.length };
    } finally {
      this.context.activeMutant = undefined;
      this.context.hitLimit = undefined;
      this.context.hitCount = undefined;
    }
  }

  run(disableBail) {
    this.mocha.bail(!disableBail);
    return new Promise((resolve) => {
      try {
        this.mocha.run(() => resolve({ status: 'complete', tests: ResultRecorder.last.tests }));
      } catch (e) {
        resolve({ status: 'error', errorMessage: String(e?.stack ?? e) });
      }
    });
  }
}

export const strykerPlugins = [{ kind: 'TestRunner', name: 'mocha12', injectableClass: Mocha12TestRunner }];
