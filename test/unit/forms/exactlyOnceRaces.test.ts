// The races of issue 12, driven through the host's submitDeployForm against the simulator: a
// reload while the create is out, two forms or windows with the same name, a 429 after commit.
// Every scenario ends with exactly one deployment.
import * as assert from 'node:assert/strict';
import type { SpheronClient } from '../../../src/core/api/client';
import type { Offer, OfferGroup } from '../../../src/core/domain/types';
import { CreateIntentLedger } from '../../../src/core/forms/createIntents';
import type { DeployFormValues } from '../../../src/core/deploy/deployForm';
import { createDeploySubmissionRegistry, submitDeployForm } from '../../../src/core/deploy/deploySubmission';
import type { DeployFormSubmit, DeploySubmissionRegistry } from '../../../src/core/deploy/deploySubmission';
import type { SubmitState } from '../../../src/core/forms/exactlyOnce';
import { SEED_IDS } from '../../simulator';
import { FakeTime, MemoryStore } from '../deploy/fakeTime';
import { deploymentsNamed, findOffer, makeClient, postCount, useSimulator } from '../deploy/simHarness';

function messageOf(state: SubmitState): string {
  return state.kind === 'failed' || state.kind === 'unconfirmed' ? state.message : '';
}

describe('exactly once under reloads, windows and rate limits (simulator)', function () {
  this.timeout(30_000);
  const sim = useSimulator({ deployDelaySeconds: 45 });
  let client: SpheronClient;
  let offer: Offer;
  let group: OfferGroup;
  let time: FakeTime;
  /** globalState: what every window of the machine shares. */
  let shared: MemoryStore;
  let sleeps: number[];
  const windows: DeploySubmissionRegistry[] = [];

  before(async () => {
    client = makeClient(sim());
    ({ offer, group } = await findOffer(client, 'dc-1a100-80g-sxm4'));
  });

  beforeEach(() => {
    time = new FakeTime(Date.now());
    shared = new MemoryStore();
    sleeps = [];
    sim().resetRequestLog();
  });

  afterEach(() => {
    for (const registry of windows.splice(0)) {
      registry.dispose();
    }
  });

  /** One VS Code window: its own registry, the machine's shared store. */
  function openWindow(): DeploySubmissionRegistry {
    const registry = createDeploySubmissionRegistry({
      api: client,
      clock: time,
      timers: time,
      intents: new CreateIntentLedger(shared, { clock: time }),
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    });
    windows.push(registry);
    return registry;
  }

  function form(name: string): DeployFormValues {
    return {
      name,
      region: offer.regions[0] ?? '',
      operatingSystem: offer.osOptions[0] ?? '',
      sshKey: { kind: 'registered', keyId: SEED_IDS.sshKey },
      volumeIds: [],
      packages: '',
      commands: '',
    };
  }

  function deploy(
    registry: DeploySubmissionRegistry,
    sessionId: string,
    name: string,
    mode?: 'submit' | 'retry',
  ) {
    const input: DeployFormSubmit = {
      registry,
      api: client,
      sessionId,
      form: form(name),
      offer,
      groupGpuType: group.gpuType,
      teamId: SEED_IDS.team,
      registeredKeyIds: [SEED_IDS.sshKey],
      volumes: [],
    };
    return submitDeployForm(input, mode);
  }

  /** Lets the recheck timers that fall due run, and waits for the check they start. */
  async function advance(
    registry: DeploySubmissionRegistry,
    sessionId: string,
    ms: number,
  ): Promise<SubmitState> {
    time.advance(ms);
    return registry.session(sessionId).settled();
  }

  describe('a reload while the create is unanswered', () => {
    it('commit 4 s late, form restored before it: unconfirmed, Deploy refused everywhere, then found', async () => {
      sim().injectFault({ route: 'POST /api/deployments', drop: true, commitDelaySeconds: 4, times: 1 });
      const before = openWindow();
      await deploy(before, 'form-1', 'late-commit');
      before.dispose(); // the window reloads

      const after = openWindow();
      const restored = await after.resume('form-1');
      assert.equal(restored?.kind, 'unconfirmed');
      assert.equal(restored?.kind === 'unconfirmed' && restored.retryAllowed, false);
      assert.match(
        messageOf(restored ?? { kind: 'idle' }),
        /window reloaded.*not confirmed deployment "late-commit"/,
      );

      // Deploy in the restored form, in another form and in another window: nothing is sent.
      assert.equal((await deploy(after, 'form-1', 'late-commit')).kind, 'unconfirmed');
      assert.match(
        messageOf(await deploy(after, 'form-2', 'late-commit')),
        /already creating deployment "late-commit"/,
      );
      assert.match(messageOf(await deploy(openWindow(), 'form-3', 'late-commit')), /already creating/);
      assert.equal(postCount(sim()), 1);

      sim().advanceClock(4);
      const found = await advance(after, 'form-1', 10_000);
      assert.equal(found.kind, 'created');
      assert.equal(deploymentsNamed(sim(), 'late-commit').length, 1);
      assert.equal(postCount(sim()), 1);
    });

    it('nothing committed: looks for 60 s, then lets the user send again, once', async () => {
      sim().injectFault({ route: 'POST /api/deployments', drop: true, times: 1 });
      const before = openWindow();
      await deploy(before, 'form-1', 'never-committed');
      before.dispose();

      const after = openWindow();
      assert.equal((await after.resume('form-1'))?.kind, 'unconfirmed');
      for (let waited = 10_000; waited < 60_000; waited += 10_000) {
        const waiting = await advance(after, 'form-1', 10_000);
        assert.equal(
          waiting.kind === 'unconfirmed' && waiting.retryAllowed,
          false,
          `still waiting at ${waited} ms`,
        );
      }
      const state = await advance(after, 'form-1', 10_000);
      assert.equal(state.kind === 'unconfirmed' && state.retryAllowed, true);
      assert.deepEqual(time.pending(), [], 'no more checks once settled');
      assert.equal((await deploy(after, 'form-1', 'never-committed', 'retry')).kind, 'created');
      assert.equal(deploymentsNamed(sim(), 'never-committed').length, 1);
      assert.equal(postCount(sim()), 2);
    });

    it('leaves nothing to resume when the create was answered', async () => {
      const before = openWindow();
      assert.equal((await deploy(before, 'form-1', 'answered')).kind, 'created');
      before.dispose();
      assert.equal(openWindow().resume('form-1'), undefined);
    });
  });

  describe('two forms with the same name', () => {
    it('submitted together in one window: one create, the other form says why', async () => {
      const window = openWindow();
      const [a, b] = await Promise.all([deploy(window, 'form-1', 'twin'), deploy(window, 'form-2', 'twin')]);
      assert.deepEqual([a.kind, b.kind].sort(), ['created', 'failed']);
      assert.match(messageOf(a.kind === 'failed' ? a : b), /Another Spheron form or window/);
      assert.equal(deploymentsNamed(sim(), 'twin').length, 1);
      assert.equal(postCount(sim()), 1);
    });

    it('submitted together from two windows: one create', async () => {
      const [a, b] = await Promise.all([
        deploy(openWindow(), 'form-1', 'twin-windows'),
        deploy(openWindow(), 'form-2', 'twin-windows'),
      ]);
      assert.deepEqual([a.kind, b.kind].sort(), ['created', 'failed']);
      assert.equal(deploymentsNamed(sim(), 'twin-windows').length, 1);
    });

    it('the second one just after the first was created: refused, another name goes through', async () => {
      const window = openWindow();
      assert.equal((await deploy(window, 'form-1', 'just-made')).kind, 'created');
      assert.match(
        messageOf(await deploy(window, 'form-2', 'just-made')),
        /has just created deployment "just-made"/,
      );
      assert.equal((await deploy(window, 'form-2', 'just-made-2')).kind, 'created');
      assert.equal(deploymentsNamed(sim(), 'just-made').length, 1);
    });
  });

  describe('429 on the create', () => {
    for (const [label, headers, body] of [
      ['with a short wait', { 'Retry-After': '3' }, { retryAfter: 3 }],
      ['with a long wait', { 'Retry-After': '600' }, { retryAfter: 600 }],
      ['without a wait', {}, {}],
    ] as const) {
      it(`answered after the commit, ${label}: the list finds it, nothing is resent`, async () => {
        sim().injectFault({
          route: 'POST /api/deployments',
          status: 429,
          afterHandler: true,
          headers,
          body,
          times: 1,
        });
        const state = await deploy(openWindow(), 'form-1', 'after-commit');
        assert.equal(state.kind, 'created');
        assert.equal(postCount(sim()), 1);
        assert.deepEqual(sleeps, []);
        assert.equal(deploymentsNamed(sim(), 'after-commit').length, 1);
      });
    }

    it('before the commit with a wait of at most 10 s: one resend after that wait', async () => {
      sim().injectFault({
        route: 'POST /api/deployments',
        status: 429,
        headers: { 'Retry-After': '3' },
        times: 1,
      });
      assert.equal((await deploy(openWindow(), 'form-1', 'resent')).kind, 'created');
      assert.deepEqual(sleeps, [3_000]);
      assert.equal(postCount(sim()), 2);
      assert.equal(deploymentsNamed(sim(), 'resent').length, 1);
    });

    it('resends at most once, then says when to try again', async () => {
      sim().injectFault({
        route: 'POST /api/deployments',
        status: 429,
        headers: { 'Retry-After': '3' },
        times: 2,
      });
      const window = openWindow();
      const state = await deploy(window, 'form-1', 'twice-limited');
      assert.equal(state.kind, 'failed');
      assert.match(
        messageOf(state),
        /rate limit was reached, and deployment "twice-limited" was not created\. Try again in 3 s\./,
      );
      assert.equal(postCount(sim()), 2);
      assert.equal(deploymentsNamed(sim(), 'twice-limited').length, 0);
      // The refusal resolved the intent: the user may deploy again.
      assert.equal((await deploy(window, 'form-1', 'twice-limited')).kind, 'created');
    });

    it('never waits a long or a guessed wait: says when instead', async () => {
      sim().injectFault({
        route: 'POST /api/deployments',
        status: 429,
        headers: { 'Retry-After': '600' },
        times: 1,
      });
      const long = await deploy(openWindow(), 'form-1', 'long-wait');
      assert.match(messageOf(long), /Try again in 10 min\./);
      sim().injectFault({ route: 'POST /api/deployments', status: 429, headers: {}, body: {}, times: 1 });
      const unhinted = await deploy(openWindow(), 'form-2', 'no-hint');
      assert.match(messageOf(unhinted), /Wait a minute, then try again\./);
      assert.doesNotMatch(messageOf(unhinted), /\b0 s\b/);
      assert.deepEqual(sleeps, []);
      assert.equal(postCount(sim()), 2);
      assert.equal(
        sim().state.deployments.filter((d) => d.name === 'long-wait' || d.name === 'no-hint').length,
        0,
      );
    });
  });
});
