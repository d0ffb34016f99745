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

/** Coverage ids for code run by a suite's before/after-all hooks: `\0suite:<n>`. */
const SUITE_ID_PREFIX = '\0suite:';

/**
 * Mocha reporter that records what Stryker needs, and points coverage seen in a suite's
 * before/after-all hooks at that suite (merged into its tests after the dry run), so a mutant that
 * only setup code reaches re-runs that suite, not every spec file in a fresh process.
 */
class ResultRecorder {
  static last;
  /** Set by the test runner: Stryker's instrumenter context and the suites seen so far. */
  static context;
  static suites = [];

  constructor(runner) {
    this.tests = [];
    ResultRecorder.last = this;
    const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_HOOK_BEGIN, EVENT_HOOK_END } =
      Mocha.Runner.constants;
    const isAllHook = (hook) => /^"(before|after) all" hook/.test(hook.originalTitle ?? hook.title);
    runner.on(EVENT_HOOK_BEGIN, (hook) => {
      if (isAllHook(hook) && hook.parent) {
        let index = ResultRecorder.suites.indexOf(hook.parent);
        if (index < 0) {
          index = ResultRecorder.suites.push(hook.parent) - 1;
        }
        ResultRecorder.context.currentTestId = `${SUITE_ID_PREFIX}${index}`;
      }
    });
    runner.on(EVENT_HOOK_END, (hook) => {
      if (isAllHook(hook)) {
        ResultRecorder.context.currentTestId = undefined;
      }
    });
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

/** Hands coverage seen in a suite's all-hooks to every test of that suite (nested ones too). */
function spreadSuiteCoverage(coverage) {
  if (!coverage) {
    return coverage;
  }
  const perTest = { ...coverage.perTest };
  const statics = { ...coverage.static };
  const add = (into, hits) => {
    for (const [mutant, count] of Object.entries(hits)) {
      into[mutant] = (into[mutant] ?? 0) + count;
    }
  };
  for (const [id, hits] of Object.entries(coverage.perTest)) {
    if (!id.startsWith(SUITE_ID_PREFIX)) {
      continue;
    }
    delete perTest[id];
    const suite = ResultRecorder.suites[Number(id.slice(SUITE_ID_PREFIX.length))];
    const tests = [];
    suite?.eachTest((test) => {
      if (!test.isPending()) {
        tests.push(test.fullTitle());
      }
    });
    if (tests.length === 0) {
      add(statics, hits);
    }
    for (const test of tests) {
      add((perTest[test] ??= {}), hits);
    }
  }
  return { static: statics, perTest };
}

class Mocha12TestRunner {
  static inject = ['options', 'logger'];

  constructor(options, logger) {
    this.specs = options.mocha12?.spec ?? [];
    this.log = logger;
    this.context = globalThis[NAMESPACE] ?? (globalThis[NAMESPACE] = {});
    ResultRecorder.context = this.context;
  }

  capabilities() {
    return { reloadEnvironment: false };
  }

  async init() {
    if (this.specs.length === 0) {
      throw new Error('mocha12 runner: no spec files (options.mocha12.spec)');
    }
    this.mocha = new Mocha({ reporter: ResultRecorder, timeout: 20000, bail: true });
    this.mocha.cleanReferencesAfterRun(false);
    // Coverage seen outside a test and its hooks (module load) is "static": Stryker then runs every
    // test for that mutant in a fresh process. The id is unset after each test, so a later suite's
    // setup is not put down to the last test that ran.
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
    this.loaded = false;
  }

  /** Spec files load on the first run, so that a static mutant can be switched on before. */
  async load() {
    if (!this.loaded) {
      await this.mocha.loadFilesAsync();
      this.loaded = true;
    }
  }

  async dryRun(options) {
    await this.load();
    this.mocha.options.grep = undefined;
    const result = await this.run(options.disableBail);
    if (result.status === 'complete' && options.coverageAnalysis !== 'off') {
      result.mutantCoverage = spreadSuiteCoverage(this.context.mutantCoverage);
    }
    return result;
  }

  async mutantRun(options) {
    // A static mutant acts while modules load (Stryker gives it a fresh process); a runtime one
    // only once they have.
    if (options.mutantActivation === 'static') {
      this.context.activeMutant = options.activeMutant.id;
    }
    try {
      await this.load();
    } catch (e) {
      // The spec files do not even load with this mutant: mocha would fail, so it is detected.
      this.context.activeMutant = undefined;
      return { status: 'killed', killedBy: [], failureMessage: String(e?.stack ?? e), nrOfTests: 0 };
    }
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
    const grep = this.mocha.options.grep;
    let expected = 0;
    this.mocha.suite.eachTest((test) => {
      if (!grep || grep.test(test.fullTitle())) {
        expected += 1;
      }
    });
    return new Promise((resolve) => {
      try {
        this.mocha.run(() => {
          const tests = ResultRecorder.last.tests;
          // A run that ends early without a failure (seen once with the sshd suites under heavy
          // load) would read as "survived": report it as an error instead.
          if (tests.length < expected && !tests.some((t) => t.status === 'failed')) {
            resolve({
              status: 'error',
              errorMessage: `mocha ended after ${tests.length} of ${expected} tests`,
            });
          } else {
            resolve({ status: 'complete', tests });
          }
        });
      } catch (e) {
        resolve({ status: 'error', errorMessage: String(e?.stack ?? e) });
      }
    });
  }
}

export const strykerPlugins = [{ kind: 'TestRunner', name: 'mocha12', injectableClass: Mocha12TestRunner }];

/** Lets Stryker validate `mocha12` instead of warning about an unknown option. */
export const strykerValidationSchema = {
  properties: {
    mocha12: {
      type: 'object',
      properties: { spec: { type: 'array', items: { type: 'string' } } },
      additionalProperties: false,
    },
  },
};
