// "Terminate when allowed" against the real simulator; our timers and the simulator's clock move together.
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { SpheronClient } from '../../../src/core/api/client';
import type { Offer, OfferGroup } from '../../../src/core/domain/types';
import { DEFAULT_STORAGE_KEY, TerminationScheduler } from '../../../src/core/deploy/terminationScheduler';
import type {
  ScheduleStore,
  TerminationEvent,
  TerminationSchedulerOptions,
} from '../../../src/core/deploy/terminationScheduler';
import { SEED_IDS } from '../../simulator';
import { FakeTime, MemoryStore } from './fakeTime';
import { createRequestFor, findOffer, makeClient, useSimulator, waitFor } from './simHarness';
import type { Sim } from './simHarness';

const MINUTE = 60_000;
const MARGIN = 5_000;

// A vscode.Memento can be the store.
const mementoFits: (memento: vscode.Memento) => ScheduleStore = (memento) => memento;
void mementoFits;

describe('terminate when allowed (simulator)', function () {
  this.timeout(30_000);
  const sim = useSimulator({ minimumRuntimeMinutes: 20 });
  let client: SpheronClient;
  let offer: Offer;
  let group: OfferGroup;
  let time: FakeTime;
  let store: MemoryStore;
  let events: TerminationEvent[];
  const schedulers: TerminationScheduler[] = [];

  before(async () => {
    client = makeClient(sim());
    ({ offer, group } = await findOffer(client, 'dc-1a100-80g-sxm4'));
  });

  beforeEach(() => {
    time = new FakeTime(sim().nowMs());
    store = new MemoryStore();
    events = [];
  });

  afterEach(() => {
    for (const scheduler of schedulers.splice(0)) {
      scheduler.dispose();
    }
  });

  function scheduler(overrides: Partial<TerminationSchedulerOptions> = {}): TerminationScheduler {
    const created = new TerminationScheduler({
      api: client,
      store,
      timers: time,
      clock: time,
      retryDelaysMs: [10_000, 20_000],
      marginMs: MARGIN,
      ...overrides,
    });
    created.onDidChange((event) => events.push(event));
    schedulers.push(created);
    return created;
  }

  /** Moves both clocks. */
  function advance(s: Sim, ms: number): void {
    s.advanceClock(ms / 1000);
    time.advance(ms);
  }

  async function nextEvent(type: TerminationEvent['type']): Promise<TerminationEvent> {
    const seen = events.length;
    await waitFor(() => events.slice(seen).some((e) => e.type === type), `a "${type}" event`);
    return events.slice(seen).find((e) => e.type === type) as TerminationEvent;
  }

  async function runningDeployment(name: string): Promise<string> {
    const created = await client.createDeployment(createRequestFor(offer, group, { name }));
    sim().setDeploymentStatus(created.id, 'running');
    return created.id;
  }

  function statusOf(id: string): string | undefined {
    return sim().state.deployments.find((d) => (d.id ?? d._id) === id)?.status;
  }

  it('is refused inside the window, reschedules by the time remaining, and terminates after it', async () => {
    const id = await runningDeployment('wait-for-it');
    const terminations = scheduler();
    const rescheduled = nextEvent('rescheduled');
    await terminations.schedule(id, time.now(), 'wait-for-it');
    assert.equal(events[0]?.type, 'scheduled');
    time.advance(0);
    const event = await rescheduled;
    assert.ok(event.type === 'rescheduled');
    assert.equal(event.reason, 'Minimum runtime not met');
    assert.equal(event.entry.dueAtMs, time.now() + 20 * MINUTE + MARGIN);
    assert.equal(statusOf(id), 'running');
    assert.deepEqual(
      terminations.scheduled().map((e) => e.deploymentId),
      [id],
    );

    advance(sim(), 10 * MINUTE);
    assert.equal(
      sim().requestLog().byRoute['GET /api/deployments/:id/can-terminate'],
      1,
      'nothing is asked before it is due',
    );

    const done = nextEvent('done');
    advance(sim(), 10 * MINUTE + MARGIN);
    const finished = await done;
    assert.deepEqual(finished, {
      type: 'done',
      deploymentId: id,
      name: 'wait-for-it',
      alreadyTerminated: false,
    });
    assert.equal(statusOf(id), 'terminated');
    assert.deepEqual(terminations.scheduled(), []);
    await terminations.flush();
    assert.deepEqual(store.get(DEFAULT_STORAGE_KEY), { version: 1, entries: [] });
  });

  it('persists the schedule: a new scheduler over the same store resumes it', async () => {
    const id = await runningDeployment('survives-reload');
    const before = scheduler();
    await before.schedule(id, time.now() + 25 * MINUTE, 'survives-reload');
    assert.deepEqual(store.get(DEFAULT_STORAGE_KEY), {
      version: 1,
      entries: [
        { deploymentId: id, name: 'survives-reload', dueAtMs: time.now() + 25 * MINUTE, attempts: 0 },
      ],
    });
    before.dispose();
    assert.deepEqual(time.pending(), [], 'disposing stops the timers');

    const after = scheduler();
    assert.deepEqual(
      after.scheduled().map((e) => [e.deploymentId, e.name, e.dueAtMs]),
      [[id, 'survives-reload', time.now() + 25 * MINUTE]],
    );
    const done = nextEvent('done');
    advance(sim(), 25 * MINUTE);
    await done;
    assert.equal(statusOf(id), 'terminated');
  });

  it('cancel stops it: no request is made and the store forgets it', async () => {
    const id = await runningDeployment('cancelled');
    const terminations = scheduler();
    await terminations.schedule(id, time.now() + MINUTE);
    assert.equal(await terminations.cancel(id), true);
    assert.equal(await terminations.cancel(id), false);
    assert.equal(events.at(-1)?.type, 'cancelled');
    sim().resetRequestLog();
    advance(sim(), 30 * MINUTE);
    assert.equal(sim().requestLog().total, 0);
    assert.equal(statusOf(id), 'running');
    assert.deepEqual(store.get(DEFAULT_STORAGE_KEY), { version: 1, entries: [] });
    assert.equal(terminations.isScheduled(id), false);
  });

  it('treats an already terminated deployment as done', async () => {
    const terminations = scheduler();
    const done = nextEvent('done');
    await terminations.schedule(SEED_IDS.terminatedDeployment, time.now());
    time.advance(0);
    assert.deepEqual(await done, {
      type: 'done',
      deploymentId: SEED_IDS.terminatedDeployment,
      name: undefined,
      alreadyTerminated: true,
    });
  });

  it('reschedules when DELETE is refused for the minimum runtime despite can-terminate', async () => {
    const id = await runningDeployment('race');
    sim().injectFault({
      route: 'GET /api/deployments/:id/can-terminate',
      status: 200,
      body: { canTerminate: true, minimumRuntime: 20, timeRemaining: 0 },
      times: 1,
    });
    const terminations = scheduler();
    const rescheduled = nextEvent('rescheduled');
    await terminations.schedule(id, time.now());
    time.advance(0);
    const event = await rescheduled;
    assert.ok(event.type === 'rescheduled');
    assert.match(event.reason, /allows terminating this instance in 20 minutes/);
    assert.equal(event.entry.dueAtMs, time.now() + 20 * MINUTE + MARGIN);
    assert.equal(statusOf(id), 'running');
  });

  it('runs a schedule that fell due while an earlier run for the same instance was still out', async () => {
    const id = await runningDeployment('again');
    // The first run's can-terminate is answered a moment late.
    sim().injectFault({
      route: 'GET /api/deployments/:id/can-terminate',
      afterHandler: true,
      latencyMs: 300,
      times: 1,
    });
    const terminations = scheduler();
    await terminations.schedule(id, time.now(), 'again');
    time.advance(0);
    // While it is out, the window passes and the user picks "Terminate When Allowed" again, due now.
    advance(sim(), 21 * MINUTE);
    await terminations.schedule(id, time.now(), 'again');
    time.advance(0);
    // Once the first run is back, the new entry gets its turn and terminates the instance.
    await waitFor(() => {
      time.advance(0);
      return events.some((event) => event.type === 'done' || event.type === 'failed');
    }, 'the new schedule to run');
    assert.deepEqual(events.at(-1), {
      type: 'done',
      deploymentId: id,
      name: 'again',
      alreadyTerminated: false,
    });
    assert.equal(statusOf(id), 'terminated');
    assert.equal(terminations.isScheduled(id), false);
    assert.deepEqual(store.get(DEFAULT_STORAGE_KEY), { version: 1, entries: [] });
  });

  it('retries other errors with backoff, then reports failure', async () => {
    const id = await runningDeployment('broken');
    sim().injectFault({ route: 'GET /api/deployments/:id/can-terminate', status: 500 });
    const terminations = scheduler();
    const first = nextEvent('rescheduled');
    await terminations.schedule(id, time.now(), 'broken');
    time.advance(0);
    const retry1 = await first;
    assert.ok(retry1.type === 'rescheduled');
    assert.equal(retry1.entry.attempts, 1);
    assert.equal(retry1.entry.dueAtMs, time.now() + 10_000);

    const second = nextEvent('rescheduled');
    time.advance(10_000);
    const retry2 = await second;
    assert.ok(retry2.type === 'rescheduled');
    assert.equal(retry2.entry.attempts, 2);
    assert.equal(retry2.entry.dueAtMs, time.now() + 20_000);

    const failed = nextEvent('failed');
    time.advance(20_000);
    const failure = await failed;
    assert.ok(failure.type === 'failed');
    assert.match(
      failure.message,
      /^Could not terminate "broken": Spheron answered with an error \(HTTP 500\)/,
    );
    assert.deepEqual(terminations.scheduled(), []);
    assert.equal(statusOf(id), 'running');
  });

  it('reports an unknown deployment at once', async () => {
    const terminations = scheduler();
    const failed = nextEvent('failed');
    await terminations.schedule('66f1c0ffee0000000000dead', time.now());
    time.advance(0);
    const failure = await failed;
    assert.ok(failure.type === 'failed');
    assert.match(failure.message, /Not found|could not find/);
    assert.equal(events.filter((e) => e.type === 'rescheduled').length, 0);
  });

  describe('two windows over the same store', () => {
    it("keeps both windows' entries: each write merges into what the store holds", async () => {
      const first = scheduler();
      const second = scheduler();
      await first.schedule('a', time.now() + 2 * MINUTE, 'from-first');
      await second.schedule('b', time.now() + MINUTE, 'from-second');
      await first.cancel('a');
      await first.schedule('c', time.now() + 3 * MINUTE);
      assert.deepEqual(
        (store.get(DEFAULT_STORAGE_KEY) as { entries: { deploymentId: string }[] }).entries.map(
          (entry) => entry.deploymentId,
        ),
        ['b', 'c'],
      );
      const reloaded = scheduler();
      assert.deepEqual(
        reloaded.scheduled().map((entry) => entry.deploymentId),
        ['b', 'c'],
      );
    });

    it('a cancel in one window stops the termination in the other: no request, still running', async () => {
      const id = await runningDeployment('cancelled-elsewhere');
      const first = scheduler();
      await first.schedule(id, time.now() + 25 * MINUTE, 'cancelled-elsewhere');
      const second = scheduler();
      assert.equal(second.isScheduled(id), true, 'the second window loaded it from the store');
      assert.equal(await second.cancel(id), true);
      sim().resetRequestLog();
      advance(sim(), 30 * MINUTE);
      await waitFor(
        () => events.some((event) => event.type === 'cancelled' && event.elsewhere === true),
        'the first window to drop it',
      );
      assert.equal(first.isScheduled(id), false);
      assert.equal(sim().requestLog().total, 0, 'nothing was asked of Spheron');
      assert.equal(statusOf(id), 'running');
    });

    it('a window follows a later time set by the other window instead of terminating early', async () => {
      const id = await runningDeployment('moved-later');
      const first = scheduler();
      await first.schedule(id, time.now() + 25 * MINUTE);
      const second = scheduler();
      await second.schedule(id, time.now() + 40 * MINUTE);
      sim().resetRequestLog();
      advance(sim(), 30 * MINUTE);
      await first.flush();
      await waitFor(
        () => first.scheduled()[0]?.dueAtMs === time.now() + 10 * MINUTE,
        'the first window to take the later time',
      );
      assert.equal(sim().requestLog().total, 0);
      assert.equal(statusOf(id), 'running');
      const done = nextEvent('done');
      advance(sim(), 10 * MINUTE);
      await done;
      assert.equal(statusOf(id), 'terminated');
    });
  });

  it('ignores a corrupt stored schedule and replaces an earlier schedule for the same id', async () => {
    await store.update(DEFAULT_STORAGE_KEY, { version: 7, entries: 'nope' });
    const terminations = scheduler();
    assert.deepEqual(terminations.scheduled(), []);
    await terminations.schedule('a', time.now() + 2 * MINUTE);
    await terminations.schedule('b', time.now() + MINUTE);
    await terminations.schedule('a', time.now() + 3 * MINUTE);
    assert.deepEqual(
      terminations.scheduled().map((e) => [e.deploymentId, e.dueAtMs - time.now()]),
      [
        ['b', MINUTE],
        ['a', 3 * MINUTE],
      ],
    );
    assert.equal(time.pending().length, 2);
    terminations.dispose();
    await assert.rejects(terminations.schedule('c', 0), /disposed/);
  });
});
