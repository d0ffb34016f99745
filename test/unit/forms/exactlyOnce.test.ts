// ExactlyOnceSubmission and SubmissionRegistry against a scripted in-memory API, for the states and
// timings the simulator tests reach only slowly: a failed panel submitting again, fail() during a
// create, the settle wait and the ids a "Try again" must not mistake for its own.
import * as assert from 'node:assert/strict';
import { RateLimitError, ServerError, ValidationError } from '../../../src/core/api/errors';
import { CreateIntentLedger } from '../../../src/core/forms/createIntents';
import {
  DEFAULT_SETTLE_MS,
  ExactlyOnceSubmission,
  SubmissionRegistry,
  isDefinitiveFailure,
  tryAgainIn,
} from '../../../src/core/forms/exactlyOnce';
import type { CreateStrategy, SubmitState, Timers } from '../../../src/core/forms/exactlyOnce';
import { MemoryKeyValueStore } from '../../../src/core/util/keyValueStore';

interface Req {
  readonly name: string;
  readonly team?: string;
}
interface Res {
  readonly id: string;
  readonly name: string;
  readonly createdAtMs: number | null;
}

/** A fake API: `create` runs the next scripted answer; `list` shows `listed`. */
class FakeApi implements CreateStrategy<Req, Res> {
  readonly noun = 'deployment';
  listed: Res[] = [];
  answers: (() => Promise<Res>)[] = [];
  listError: Error | undefined;
  creates = 0;
  lists = 0;
  constructor(readonly clock: { now(): number }) {}
  create(request: Req): Promise<Res> {
    this.creates += 1;
    const next = this.answers.shift();
    if (next) {
      return next();
    }
    const made = { id: `d${this.creates}`, name: request.name, createdAtMs: this.clock.now() };
    this.listed.push(made);
    return Promise.resolve(made);
  }
  list(): Promise<readonly Res[]> {
    this.lists += 1;
    return this.listError === undefined ? Promise.resolve([...this.listed]) : Promise.reject(this.listError);
  }
  listTeam(): Promise<readonly Res[]> {
    return this.list();
  }
  idOf(resource: Res): string {
    return resource.id;
  }
  nameOf(resource: Res): string {
    return resource.name;
  }
  listedOf(resource: Res) {
    return { name: resource.name, createdAtMs: resource.createdAtMs };
  }
  matches(resource: Res, request: Req): boolean {
    return resource.name === request.name;
  }
  teamOf(request: Req): string {
    return request.team ?? 't1';
  }
  requestName(request: Req): string {
    return request.name;
  }
  fieldErrorsFor(serverMessage: string): Readonly<Record<string, string>> {
    return /name/.test(serverMessage) ? { name: serverMessage } : {};
  }
}

function testClock(start = 1_000_000) {
  const clock = { ms: start, now: () => clock.ms };
  return clock;
}

/** Timers that fire only when the test says so. */
class ManualTimers implements Timers {
  pending: { callback: () => void; ms: number; handle: number }[] = [];
  #next = 0;
  setTimeout(callback: () => void, ms: number): unknown {
    this.#next += 1;
    this.pending.push({ callback, ms, handle: this.#next });
    return this.#next;
  }
  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.handle !== handle);
  }
  fire(): number {
    const first = this.pending.shift();
    assert.ok(first, 'a timer is pending');
    first.callback();
    return first.ms;
  }
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const bad502 = () => Promise.reject(new ServerError(502, 'POST /api/deployments', undefined));

describe('exactly-once submission (scripted API)', () => {
  it('lets a panel whose last attempt failed submit again', async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    const once = new ExactlyOnceSubmission(api, { clock });
    once.fail('Name is required', { name: 'required' });
    assert.deepEqual(once.state, {
      kind: 'failed',
      message: 'Name is required',
      fieldErrors: { name: 'required' },
    });
    const state = await once.submit({ name: 'box' }, []);
    assert.deepEqual(state, { kind: 'created', id: 'd1', name: 'box' });
    assert.equal(api.creates, 1);
  });

  it('still refuses a failed panel while another panel is creating the same name', async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    const slow = deferred<Res>();
    api.answers.push(() => slow.promise);
    const registry = new SubmissionRegistry(api, { clock });
    const first = registry.submit('p1', { name: 'box' }, []);
    registry.session('p2').fail('Pick a region');
    const second = await registry.submit('p2', { name: 'box' }, []);
    assert.equal(second.kind, 'failed');
    assert.match(second.kind === 'failed' ? second.message : '', /already creating deployment "box"/);
    assert.equal(api.creates, 1);
    // Another name is not blocked by the pending one.
    const other = await registry.submit('p2', { name: 'other' }, []);
    assert.equal(other.kind, 'created');
    slow.resolve({ id: 'd9', name: 'box', createdAtMs: clock.now() });
    assert.deepEqual(await first, { kind: 'created', id: 'd9', name: 'box' });
    assert.equal(api.creates, 2);
  });

  it('fail() changes nothing while a create is out, unconfirmed or created', async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    const slow = deferred<Res>();
    api.answers.push(() => slow.promise);
    const once = new ExactlyOnceSubmission(api, { clock });
    const pending = once.submit({ name: 'box' }, []);
    const submitting = once.state;
    assert.equal(once.fail('late refusal'), submitting);
    assert.equal(once.state.kind, 'submitting');
    slow.reject(new ServerError(503, 'POST /api/deployments', undefined));
    const unconfirmed = await pending;
    assert.equal(unconfirmed.kind, 'unconfirmed');
    assert.equal(once.fail('late refusal'), unconfirmed);
    assert.equal(once.state, unconfirmed);

    const done = new ExactlyOnceSubmission(api, { clock });
    const created = await done.submit({ name: 'made' }, []);
    assert.equal(created.kind, 'created');
    assert.equal(done.fail('late refusal'), created);
    assert.equal(done.state, created);
  });

  it('does not offer "Try again" on the check that follows the failure, even with no wait at all', async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    api.answers.push(bad502);
    const once = new ExactlyOnceSubmission(api, { clock, settleMs: 0 });
    const state = await once.submit({ name: 'box' }, []);
    assert.equal(state.kind, 'unconfirmed');
    assert.equal(state.kind === 'unconfirmed' && state.retryAllowed, false);
    assert.match(
      state.kind === 'unconfirmed' ? state.message : '',
      /^Spheron answered with an error \(HTTP 502\)\. Spheron has not confirmed deployment "box" yet/,
    );
    // A later check, made with the (zero) wait over, does.
    const again = await once.checkAgain();
    assert.equal(again.kind === 'unconfirmed' && again.retryAllowed, true);
  });

  it('waits 60 s by default after an ambiguous failure before offering "Try again"', async () => {
    assert.equal(DEFAULT_SETTLE_MS, 60_000);
    const clock = testClock();
    const api = new FakeApi(clock);
    api.answers.push(bad502);
    const once = new ExactlyOnceSubmission(api, { clock });
    const first = await once.submit({ name: 'box' }, []);
    assert.equal(first.kind === 'unconfirmed' && first.retryAllowed, false);
    clock.ms += DEFAULT_SETTLE_MS - 1;
    const early = await once.checkAgain();
    assert.equal(early.kind === 'unconfirmed' && early.retryAllowed, false);
    assert.equal(early.kind === 'unconfirmed' && early.checkedAtMs, clock.ms);
    assert.equal((await once.retryAfterUnconfirmed({ name: 'box' }, [])).kind, 'unconfirmed');
    assert.equal(api.creates, 1);
    clock.ms += 1;
    const settled = await once.checkAgain();
    assert.equal(settled.kind === 'unconfirmed' && settled.retryAllowed, true);
    assert.match(
      settled.kind === 'unconfirmed' ? settled.message : '',
      /most likely not created\. You can try again\.$/,
    );
  });

  it('"Try again" never takes a resource the last check listed for its own', async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    api.answers.push(bad502, bad502);
    // Someone else's deployment, listed by the check; the user then renames the form to its name.
    api.listed.push({ id: 'theirs', name: 'renamed', createdAtMs: clock.now() });
    const once = new ExactlyOnceSubmission(api, { clock, settleMs: 1_000 });
    await once.submit({ name: 'box' }, []);
    clock.ms += 1_000;
    const settled = await once.checkAgain();
    assert.equal(settled.kind === 'unconfirmed' && settled.retryAllowed, true);
    const retried = await once.retryAfterUnconfirmed({ name: 'renamed' }, []);
    assert.equal(api.creates, 2);
    assert.equal(retried.kind, 'unconfirmed', 'the listed deployment is not the retry');
  });

  it('finds a create that landed although it failed, and says which name', async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    api.answers.push(() => {
      api.listed.push({ id: 'landed', name: 'box', createdAtMs: clock.now() });
      return bad502();
    });
    const once = new ExactlyOnceSubmission(api, { clock });
    assert.deepEqual(await once.submit({ name: 'box' }, ['older']), {
      kind: 'created',
      id: 'landed',
      name: 'box',
    });
  });

  it('a restored create is looked for by name and by a creation time at most 2 min early', async () => {
    const clock = testClock(10_000_000);
    const api = new FakeApi(clock);
    const startedAtMs = clock.now() - 30_000;
    api.listed.push(
      { id: 'too-old', name: 'box', createdAtMs: startedAtMs - 2 * 60_000 - 1 },
      { id: 'other-name', name: 'boxy', createdAtMs: startedAtMs },
    );
    const once = new ExactlyOnceSubmission(api, { clock, settleMs: 5_000 });
    const state = await once.resume({ name: 'box', teamId: 't1', startedAtMs });
    assert.equal(state.kind, 'unconfirmed');
    assert.equal(state.kind === 'unconfirmed' && state.retryAllowed, false);
    assert.match(
      state.kind === 'unconfirmed' ? state.message : '',
      /^The window reloaded before Spheron answered the create\. /,
    );
    assert.equal(api.creates, 0);
    api.listed.push({ id: 'edge', name: 'box', createdAtMs: startedAtMs - 2 * 60_000 });
    assert.deepEqual(await once.checkAgain(), { kind: 'created', id: 'edge', name: 'box' });
    const api2 = new FakeApi(clock);
    api2.listed.push({ id: 'no-time', name: 'box', createdAtMs: null });
    const withNull = new ExactlyOnceSubmission(api2, { clock });
    assert.deepEqual(await withNull.resume({ name: 'box', teamId: 't1', startedAtMs }), {
      kind: 'created',
      id: 'no-time',
      name: 'box',
    });
  });

  it('rechecks an unconfirmed create on its own until the wait is over, then stops', async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    api.answers.push(bad502);
    const timers = new ManualTimers();
    const once = new ExactlyOnceSubmission(api, { clock, timers, settleMs: 25_000, recheckMs: 10_000 });
    const first = await once.submit({ name: 'box' }, []);
    assert.match(
      first.kind === 'unconfirmed' ? first.message : '',
      /Looking again every 10 s for up to 25 s;/,
    );
    assert.equal(timers.pending.length, 1);
    assert.equal(timers.pending[0]?.ms, 10_000);
    clock.ms += 10_000;
    timers.fire();
    await once.settled();
    assert.equal(api.lists, 2);
    clock.ms += 10_000;
    assert.equal(timers.fire(), 10_000);
    await once.settled();
    // 5 s of the wait are left: the next look is then, not 10 s later.
    assert.equal(timers.pending[0]?.ms, 5_000);
    clock.ms += 5_000;
    timers.fire();
    const settled = await once.settled();
    assert.equal(settled.kind === 'unconfirmed' && settled.retryAllowed, true);
    assert.equal(timers.pending.length, 0, 'no more rechecks once "Try again" is offered');
  });

  it('never schedules a recheck sooner than 1 s', async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    api.answers.push(bad502);
    const timers = new ManualTimers();
    const once = new ExactlyOnceSubmission(api, { clock, timers, settleMs: 10_500, recheckMs: 10_000 });
    await once.submit({ name: 'box' }, []);
    clock.ms += 10_000;
    timers.fire();
    await once.settled();
    assert.equal(timers.pending[0]?.ms, 1_000);
  });

  it('keeps looking while the list fails, for the wait plus 5 min, honouring a 429 wait', async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    api.answers.push(bad502);
    api.listError = new RateLimitError('GET /api/deployments', 30_000);
    const timers = new ManualTimers();
    const once = new ExactlyOnceSubmission(api, { clock, timers, settleMs: 60_000, recheckMs: 10_000 });
    const state = await once.submit({ name: 'box' }, []);
    assert.equal(state.kind === 'unconfirmed' && state.retryAllowed, false);
    assert.equal(state.kind === 'unconfirmed' && state.checkedAtMs, undefined);
    assert.match(
      state.kind === 'unconfirmed' ? state.message : '',
      /the check failed too \(Spheron's rate limit was reached\. Try again in 30 s\)\. Check again before trying again\.$/,
    );
    assert.equal(timers.pending[0]?.ms, 30_000);
    api.listError = new ServerError(500, 'GET /api/deployments', undefined);
    clock.ms += 6 * 60_000 - 1;
    timers.fire();
    await once.settled();
    assert.equal(timers.pending[0]?.ms, 10_000, 'still inside wait + 5 min');
    clock.ms += 1;
    timers.fire();
    await once.settled();
    assert.equal(timers.pending.length, 0, 'given up; "Check again" remains');
    api.listError = undefined;
    const checked = await once.checkAgain();
    assert.equal(checked.kind, 'unconfirmed');
  });

  it('a disposed submission schedules no rechecks', async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    const slow = deferred<Res>();
    api.answers.push(() => slow.promise);
    const timers = new ManualTimers();
    const once = new ExactlyOnceSubmission(api, { clock, timers });
    const pending = once.submit({ name: 'box' }, []);
    once.dispose();
    slow.reject(new ServerError(502, 'POST /api/deployments', undefined));
    assert.equal((await pending).kind, 'unconfirmed');
    assert.equal(timers.pending.length, 0);
  });

  it('explains a definitive refusal, with the credit hint only when money is the reason', async () => {
    const clock = testClock();
    const cases: [string, RegExp, Record<string, string>][] = [
      [
        'Insufficient balance',
        /^Spheron refused the deployment: Insufficient balance\. Add credit to your team and try again\.$/,
        {},
      ],
      ['name taken!', /^Spheron refused the deployment: name taken!$/, { name: 'name taken!' }],
      ['   ', /^Spheron refused the deployment: the request was not accepted\.$/, {}],
    ];
    for (const [server, expected, fieldErrors] of cases) {
      const api = new FakeApi(clock);
      api.answers.push(() => Promise.reject(new ValidationError('POST /api/deployments', server)));
      const state = await new ExactlyOnceSubmission(api, { clock }).submit({ name: 'box' }, []);
      assert.equal(state.kind, 'failed');
      assert.match(state.kind === 'failed' ? state.message : '', expected);
      assert.deepEqual(state.kind === 'failed' && state.fieldErrors, fieldErrors);
    }
  });

  it('says when to try again after a rate limit', () => {
    assert.equal(tryAgainIn(0), 'Wait a minute, then try again.');
    assert.equal(tryAgainIn(1), 'Try again in 1 s.');
    assert.equal(tryAgainIn(89_000), 'Try again in 89 s.');
    assert.equal(tryAgainIn(89_001), 'Try again in 2 min.');
    assert.equal(tryAgainIn(90_000), 'Try again in 2 min.');
    assert.equal(tryAgainIn(12 * 60_000), 'Try again in 12 min.');
    assert.equal(isDefinitiveFailure(new ServerError(500, 'x', undefined)), false);
    assert.equal(isDefinitiveFailure(new RateLimitError('x', 0)), true);
  });

  it('nothing is sent when the intent cannot be recorded', async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    const store = new MemoryKeyValueStore();
    store.update = () => Promise.reject(new Error('disk full'));
    const once = new ExactlyOnceSubmission(api, { clock, intents: new CreateIntentLedger(store, { clock }) });
    const state: SubmitState = await once.submit({ name: 'box' }, []);
    assert.deepEqual(state, {
      kind: 'failed',
      message: 'Nothing was sent: the deployment could not be recorded before sending (disk full).',
      fieldErrors: {},
    });
    assert.equal(api.creates, 0);
  });

  it('a registry forgets only settled sessions', async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    api.answers.push(bad502);
    const registry = new SubmissionRegistry<Req, Res>(api, { clock });
    assert.equal(registry.forget('never'), true);
    assert.equal((await registry.submit('p1', { name: 'box' }, [])).kind, 'unconfirmed');
    assert.equal(registry.forget('p1'), false);
    assert.equal(registry.has('p1'), true);
    registry.rememberForm('p2', { name: 'x' });
    assert.equal((await registry.submit('p2', { name: 'y' }, [])).kind, 'created');
    assert.equal(registry.forget('p2'), true);
    assert.equal(registry.has('p2'), false);
    assert.equal(registry.formOf('p2'), undefined);
    assert.deepEqual(registry.stateOf('p2'), { kind: 'idle' });
  });

  describe('a 429 on the create', () => {
    const limited = (waitMs: number) => () =>
      Promise.reject(new RateLimitError('POST /api/deployments', waitMs));

    it('resends once after a short wait, and only after the list shows nothing', async () => {
      const clock = testClock();
      const api = new FakeApi(clock);
      api.answers.push(limited(10_000));
      const slept: number[] = [];
      const once = new ExactlyOnceSubmission(api, {
        clock,
        sleep: (ms) => {
          slept.push(ms);
          return Promise.resolve();
        },
      });
      const phases: string[] = [];
      once.onDidChange((state) => phases.push(state.kind === 'submitting' ? state.phase : state.kind));
      assert.deepEqual(await once.submit({ name: 'box' }, []), { kind: 'created', id: 'd2', name: 'box' });
      assert.deepEqual(slept, [10_000]);
      assert.equal(once.createCount, 2);
      assert.deepEqual(phases, ['creating', 'checking', 'creating', 'created']);
    });

    it('never resends twice, nor after a long or a missing wait: says when instead', async () => {
      const cases: [number[], string][] = [
        [[5_000, 5_000], 'Try again in 5 s.'],
        [[10_001], 'Try again in 11 s.'],
        [[0], 'Wait a minute, then try again.'],
      ];
      for (const [waits, when] of cases) {
        const clock = testClock();
        const api = new FakeApi(clock);
        api.answers.push(...waits.map(limited));
        const once = new ExactlyOnceSubmission(api, { clock, sleep: () => Promise.resolve() });
        const state = await once.submit({ name: 'box' }, []);
        assert.deepEqual(state, {
          kind: 'failed',
          message: `Spheron's rate limit was reached, and deployment "box" was not created. ${when}`,
          fieldErrors: {},
        });
        assert.equal(api.creates, waits.length);
      }
    });

    it('takes what the list shows instead of resending', async () => {
      const clock = testClock();
      const api = new FakeApi(clock);
      api.answers.push(() => {
        api.listed.push({ id: 'landed', name: 'box', createdAtMs: clock.now() });
        return limited(1_000)();
      });
      const once = new ExactlyOnceSubmission(api, { clock, sleep: () => Promise.resolve() });
      assert.deepEqual(await once.submit({ name: 'box' }, []), {
        kind: 'created',
        id: 'landed',
        name: 'box',
      });
      assert.equal(api.creates, 1);
    });

    it('stays unconfirmed when the list fails too', async () => {
      const clock = testClock();
      const api = new FakeApi(clock);
      api.answers.push(limited(1_000));
      api.listError = new ServerError(500, 'GET /api/deployments', undefined);
      const once = new ExactlyOnceSubmission(api, { clock, sleep: () => Promise.resolve() });
      const state = await once.submit({ name: 'box' }, []);
      assert.equal(state.kind, 'unconfirmed');
      assert.equal(api.creates, 1);
    });
  });

  it('tells what it is doing: busy, the request and its name, listeners until disposed', async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    const slow = deferred<Res>();
    api.answers.push(() => slow.promise);
    const once = new ExactlyOnceSubmission(api, { clock });
    assert.equal(once.busy, false);
    assert.equal(once.request, undefined);
    assert.equal(once.requestName, undefined);
    const seen: string[] = [];
    const listener = once.onDidChange((state) => seen.push(state.kind));
    const request = { name: 'box' };
    const pending = once.submit(request, []);
    assert.equal(once.busy, true);
    assert.equal(once.request, request);
    assert.equal(once.requestName, 'box');
    assert.equal(once.submit(request, []), pending);
    assert.equal(once.checkAgain(), pending);
    assert.equal(once.retryAfterUnconfirmed(request, []), pending);
    assert.equal(once.settled(), pending);
    listener.dispose();
    slow.resolve({ id: 'd1', name: 'box', createdAtMs: clock.now() });
    await pending;
    assert.equal(once.busy, false);
    assert.deepEqual(seen, ['submitting']);
    assert.deepEqual(await once.checkAgain(), { kind: 'created', id: 'd1', name: 'box' });
  });
});

/** FakeApi with a list that can be held open, and a team list and names of its own. */
class ObservedApi extends FakeApi {
  teamLists = 0;
  listGate: Promise<void> | undefined;
  matchesRequest = true;
  /** Counted by FakeApi.list once the gate opens. */
  override async list(): Promise<readonly Res[]> {
    const gate = this.listGate;
    if (gate) {
      await gate;
    }
    return super.list();
  }
  override listTeam(): Promise<readonly Res[]> {
    this.teamLists += 1;
    return super.list();
  }
  /** The name the create answer or the request gives, not the list's. */
  override nameOf(resource: Res): string {
    return `${resource.name} (as created)`;
  }
  override matches(resource: Res, request: Req): boolean {
    return this.matchesRequest && super.matches(resource, request);
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('exactly-once submission: what each guard keeps from happening', () => {
  it("does not resend a rate-limited create before the server's wait is over", async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    api.answers.push(() => Promise.reject(new RateLimitError('POST /api/deployments', 40)));
    // No `sleep` option: the real one waits the 40 ms.
    const once = new ExactlyOnceSubmission(api, { clock });
    const pending = once.submit({ name: 'box' }, []);
    for (let turn = 0; turn < 5; turn++) {
      await nextTurn();
    }
    assert.equal(api.creates, 1, 'still waiting');
    assert.deepEqual(once.state, { kind: 'submitting', phase: 'creating', startedAtMs: clock.ms });
    assert.deepEqual(await pending, { kind: 'created', id: 'd2', name: 'box' });
  });

  it('says the request failed before Spheron answered when the failure is not an API error', async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    api.answers.push(() => Promise.reject(new Error('socket hang up')));
    const once = new ExactlyOnceSubmission(api, { clock });
    const state = await once.submit({ name: 'box' }, []);
    assert.equal(
      state.kind === 'unconfirmed' ? state.message : '',
      'The request failed before Spheron answered. Spheron has not confirmed deployment "box" yet; it may still appear. Check again in a few seconds before trying again.',
    );
    const failing = new FakeApi(clock);
    failing.answers.push(() => Promise.reject(new Error('socket hang up')));
    failing.listError = new ServerError(500, 'GET /api/deployments', undefined);
    const unlisted = await new ExactlyOnceSubmission(failing, { clock }).submit({ name: 'box' }, []);
    assert.match(
      unlisted.kind === 'unconfirmed' ? unlisted.message : '',
      /^The request failed before Spheron answered\. Spheron may still have created deployment "box", and the check failed too \(/,
    );
  });

  it('ends a refusal with a full stop unless it already ends a sentence', async () => {
    const clock = testClock();
    const refuse = async (serverMessage: string) => {
      const api = new FakeApi(clock);
      api.answers.push(() => Promise.reject(new ValidationError('POST /api/deployments', serverMessage)));
      const state = await new ExactlyOnceSubmission(api, { clock }).submit({ name: 'box' }, []);
      return state.kind === 'failed' ? state.message : '';
    };
    assert.equal(
      await refuse('Use e.g. box-1 as name'),
      'Spheron refused the deployment: Use e.g. box-1 as name.',
    );
    assert.equal(await refuse('Name taken!'), 'Spheron refused the deployment: Name taken!');
  });

  it('resume() after a created or failed outcome, or while a create is out, looks nothing up', async () => {
    const clock = testClock();
    const api = new ObservedApi(clock);
    const restored = { name: 'box', teamId: 't1', startedAtMs: clock.ms, intentId: undefined };
    const done = new ExactlyOnceSubmission(api, { clock });
    const created = await done.submit({ name: 'box' }, []);
    assert.deepEqual(await done.resume(restored), created);
    const refused = new ExactlyOnceSubmission(api, { clock });
    const failed = refused.fail('Pick a region');
    assert.deepEqual(await refused.resume(restored), failed);
    const slow = deferred<Res>();
    api.answers.push(() => slow.promise);
    const busy = new ExactlyOnceSubmission(api, { clock });
    const pending = busy.submit({ name: 'other' }, []);
    const resumed = busy.resume(restored);
    slow.resolve({ id: 'd7', name: 'other', createdAtMs: clock.ms });
    assert.deepEqual(await resumed, { kind: 'created', id: 'd7', name: 'other (as created)' });
    await pending;
    assert.equal(api.lists + api.teamLists, 0);
    assert.equal(api.creates, 2);
  });

  it('"Try again" sends nothing unless the outcome is unconfirmed and retry was offered', async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    const idle = new ExactlyOnceSubmission(api, { clock });
    assert.deepEqual(await idle.retryAfterUnconfirmed({ name: 'box' }, []), { kind: 'idle' });
    const refused = new ExactlyOnceSubmission(api, { clock });
    refused.fail('Pick a region');
    assert.equal((await refused.retryAfterUnconfirmed({ name: 'box' }, [])).kind, 'failed');
    const done = new ExactlyOnceSubmission(api, { clock });
    await done.submit({ name: 'box' }, []);
    assert.deepEqual(await done.retryAfterUnconfirmed({ name: 'box' }, []), {
      kind: 'created',
      id: 'd1',
      name: 'box',
    });
    assert.equal(api.creates, 1);
  });

  it('a failed panel can fail again with a new reason', () => {
    const once = new ExactlyOnceSubmission(new FakeApi(testClock()), { clock: testClock() });
    once.fail('Pick a region');
    assert.deepEqual(once.fail('Pick a GPU', { gpu: 'required' }), {
      kind: 'failed',
      message: 'Pick a GPU',
      fieldErrors: { gpu: 'required' },
    });
  });

  it('a live attempt is looked for with its own request and match rule, a restored one by team and name', async () => {
    const clock = testClock();
    const api = new ObservedApi(clock);
    api.answers.push(bad502);
    api.listed.push({ id: 'x1', name: 'box', createdAtMs: clock.ms + 1 });
    api.matchesRequest = false;
    const live = new ExactlyOnceSubmission(api, { clock });
    const state = await live.submit({ name: 'box' }, []);
    assert.equal(state.kind, 'unconfirmed', 'same name, but the match rule says it is not ours');
    assert.equal(api.teamLists, 0);
    api.matchesRequest = true;
    assert.deepEqual(await live.checkAgain(), { kind: 'created', id: 'x1', name: 'box (as created)' });
    const restored = new ExactlyOnceSubmission(api, { clock });
    assert.deepEqual(
      await restored.resume({ name: 'box', teamId: 't1', startedAtMs: clock.ms, intentId: undefined }),
      { kind: 'created', id: 'x1', name: 'box' },
      'a restored create takes the listed name',
    );
    assert.equal(api.teamLists, 1);
  });

  it('counts the settle wait from the failure, not from the start of a slow create', async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    const slow = deferred<Res>();
    api.answers.push(() => slow.promise);
    const once = new ExactlyOnceSubmission(api, { clock, settleMs: 1_000 });
    const pending = once.submit({ name: 'box' }, []);
    clock.ms += 5_000;
    slow.reject(new ServerError(504, 'POST /api/deployments', undefined));
    assert.equal(await pending.then((s) => s.kind), 'unconfirmed');
    clock.ms += 500;
    const early = await once.checkAgain();
    assert.equal(early.kind === 'unconfirmed' && early.retryAllowed, false, '0.5 s after the failure');
    clock.ms += 500;
    const late = await once.checkAgain();
    assert.equal(late.kind === 'unconfirmed' && late.retryAllowed, true, '1 s after the failure');
  });

  it('a refused create frees its name for another panel at once', async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    api.answers.push(() => Promise.reject(new ValidationError('POST /api/deployments', 'region full')));
    const registry = new SubmissionRegistry(api, { clock });
    assert.equal((await registry.submit('p1', { name: 'box' }, [])).kind, 'failed');
    assert.deepEqual(await registry.submit('p2', { name: 'box' }, []), {
      kind: 'created',
      id: 'd2',
      name: 'box',
    });
  });

  it("two panels without a session id still refuse each other's duplicate", async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    const slow = deferred<Res>();
    api.answers.push(() => slow.promise);
    const intents = new CreateIntentLedger(new MemoryKeyValueStore(), { clock });
    const first = new ExactlyOnceSubmission(api, { clock, intents });
    const pending = first.submit({ name: 'box' }, []);
    const second = await new ExactlyOnceSubmission(api, { clock, intents }).submit({ name: 'box' }, []);
    assert.equal(second.kind, 'failed');
    slow.resolve({ id: 'd1', name: 'box', createdAtMs: clock.ms });
    await pending;
    assert.equal(api.creates, 1);
  });

  it('"Check again" words its answer without a reason in front', async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    api.answers.push(bad502);
    const once = new ExactlyOnceSubmission(api, { clock });
    await once.submit({ name: 'box' }, []);
    const again = await once.checkAgain();
    assert.equal(
      again.kind === 'unconfirmed' ? again.message : '',
      'Spheron has not confirmed deployment "box" yet; it may still appear. Check again in a few seconds before trying again.',
    );
    api.listError = new ServerError(500, 'GET /api/deployments', undefined);
    const failedList = await once.checkAgain();
    assert.match(
      failedList.kind === 'unconfirmed' ? failedList.message : '',
      /^Spheron may still have created deployment "box", and the check failed too \(/,
    );
  });

  it('keeps rechecking a failing list for 5 min past the wait counted from the failure, not from a slow create', async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    const slow = deferred<Res>();
    api.answers.push(() => slow.promise);
    api.listError = new ServerError(500, 'GET /api/deployments', undefined);
    const timers = new ManualTimers();
    const once = new ExactlyOnceSubmission(api, { clock, timers, settleMs: 60_000, recheckMs: 10_000 });
    const pending = once.submit({ name: 'box' }, []);
    clock.ms += 5 * 60_000;
    slow.reject(new ServerError(504, 'POST /api/deployments', undefined));
    await pending;
    clock.ms += 2 * 60_000;
    timers.fire();
    await once.settled();
    assert.equal(timers.pending.length, 1, '2 min after the failure: still inside 1 min + 5 min');
  });

  it('a recheck that falls due while a check is running does not list a second time', async () => {
    const clock = testClock();
    const api = new ObservedApi(clock);
    api.answers.push(bad502);
    const timers = new ManualTimers();
    const once = new ExactlyOnceSubmission(api, { clock, timers, settleMs: 60_000, recheckMs: 10_000 });
    await once.submit({ name: 'box' }, []);
    assert.equal(api.lists, 1);
    const gate = deferred<void>();
    api.listGate = gate.promise;
    const checking = once.checkAgain();
    clock.ms += 10_000;
    timers.fire();
    gate.resolve();
    await checking;
    await once.settled();
    assert.equal(api.lists, 2);
  });

  it('a create found by "Check again" leaves no recheck behind', async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    api.answers.push(bad502);
    const timers = new ManualTimers();
    const once = new ExactlyOnceSubmission(api, { clock, timers, settleMs: 60_000, recheckMs: 10_000 });
    await once.submit({ name: 'box' }, []);
    assert.equal(timers.pending.length, 1);
    api.listed.push({ id: 'late', name: 'box', createdAtMs: clock.ms });
    assert.equal((await once.checkAgain()).kind, 'created');
    assert.equal(timers.pending.length, 0);
  });

  it("disposing the registry stops every session's rechecks", async () => {
    const clock = testClock();
    const api = new FakeApi(clock);
    api.answers.push(bad502);
    const timers = new ManualTimers();
    const registry = new SubmissionRegistry(api, { clock, timers, settleMs: 60_000, recheckMs: 10_000 });
    assert.equal((await registry.submit('p1', { name: 'box' }, [])).kind, 'unconfirmed');
    assert.equal(timers.pending.length, 1);
    registry.dispose();
    assert.equal(timers.pending.length, 0);
  });
});
