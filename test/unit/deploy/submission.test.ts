// Exactly-once deployment creation against the real simulator and the real client.
import * as assert from 'node:assert/strict';
import type { SpheronClient } from '../../../src/core/api/client';
import type { CreateDeploymentRequest, Deployment, Offer, OfferGroup } from '../../../src/core/domain/types';
import {
  createDeploySubmissionRegistry,
  DeploySubmission,
  submitDeployForm,
} from '../../../src/core/deploy/deploySubmission';
import type { DeployApi, DeployFormSubmit } from '../../../src/core/deploy/deploySubmission';
import type { DeployFormValues } from '../../../src/core/deploy/deployForm';
import type { SubmitState } from '../../../src/core/forms/exactlyOnce';
import { SEED_IDS } from '../../simulator';
import {
  TestClock,
  createRequestFor,
  deploymentsNamed,
  findOffer,
  makeClient,
  postCount,
  useSimulator,
  waitFor,
} from './simHarness';

const SETTLE_MS = 15_000;

function kindOf(state: SubmitState): string {
  return state.kind;
}

describe('exactly-once deploy submission (simulator)', function () {
  this.timeout(30_000);
  const sim = useSimulator({ deployDelaySeconds: 45 });
  let client: SpheronClient;
  let offer: Offer;
  let group: OfferGroup;
  let clock: TestClock;

  before(async () => {
    client = makeClient(sim());
    ({ offer, group } = await findOffer(client, 'dc-1a100-80g-sxm4'));
  });

  beforeEach(() => {
    clock = new TestClock();
    sim().resetRequestLog();
  });

  async function knownIds(): Promise<string[]> {
    return (await client.listDeployments({ teamId: SEED_IDS.team })).map((d) => d.id);
  }

  function submission(api: DeployApi = client): DeploySubmission {
    return new DeploySubmission({ api, clock, settleMs: SETTLE_MS });
  }

  it('sends one POST for a double click, Enter twice and a late third press', async () => {
    const known = await knownIds();
    const request = createRequestFor(offer, group, { name: 'double-click' });
    const once = submission();
    const first = once.submit(request, known);
    const second = once.submit(request, known);
    assert.equal(first, second, 'a second submit while in flight returns the same promise');
    assert.equal(once.busy, true);
    const state = await first;
    assert.equal(state.kind, 'created');
    const third = await once.submit(request, known);
    assert.deepEqual(third, state);
    assert.equal(postCount(sim()), 1);
    assert.equal(once.createCount, 1);
    const created = deploymentsNamed(sim(), 'double-click');
    assert.equal(created.length, 1);
    assert.equal(state.kind === 'created' && state.id, created[0]);
  });

  it('is not disturbed by a listener that throws', async () => {
    const once = submission();
    const seen: string[] = [];
    once.onDidChange(() => {
      throw new Error('UI bug');
    });
    const subscription = once.onDidChange((state) => seen.push(state.kind));
    const state = await once.submit(
      createRequestFor(offer, group, { name: 'noisy-listener' }),
      await knownIds(),
    );
    assert.equal(state.kind, 'created');
    assert.deepEqual(seen, ['submitting', 'created']);
    subscription.dispose();
    assert.equal(postCount(sim()), 1);
  });

  it('finds the deployment when the create timed out but succeeded on the server', async () => {
    const timeoutMs = 300;
    const slowClient = makeClient(sim(), { timeoutMs });
    sim().injectFault({
      route: 'POST /api/deployments',
      afterHandler: true,
      latencyMs: timeoutMs * 4,
      times: 1,
    });
    const request = createRequestFor(offer, group, { name: 'timed-out-but-made' });
    const states: string[] = [];
    const once = submission(slowClient);
    once.onDidChange((s) => states.push(s.kind === 'submitting' ? `${s.kind}:${s.phase}` : s.kind));
    const state = await once.submit(request, await knownIds());
    assert.equal(state.kind, 'created');
    assert.deepEqual(states, ['submitting:creating', 'submitting:checking', 'created']);
    const made = deploymentsNamed(sim(), 'timed-out-but-made');
    assert.equal(made.length, 1);
    assert.equal(state.kind === 'created' && state.id, made[0]);
    // The server logs the POST when its delayed answer is finally written.
    await waitFor(() => postCount(sim()) === 1, 'the delayed POST to finish');
    assert.equal(sim().state.deployments.filter((d) => d.name === 'timed-out-but-made').length, 1);
  });

  it('finds the deployment after a 502 that came after the server created it', async () => {
    sim().injectFault({ route: 'POST /api/deployments', afterHandler: true, status: 502, times: 1 });
    const request = createRequestFor(offer, group, { name: 'bad-gateway-but-made' });
    const state = await submission().submit(request, await knownIds());
    assert.equal(kindOf(state), 'created');
    assert.equal(deploymentsNamed(sim(), 'bad-gateway-but-made').length, 1);
    assert.equal(postCount(sim()), 1);
  });

  it('finds the deployment after the connection dropped once the server had created it', async () => {
    sim().injectFault({ route: 'POST /api/deployments', afterHandler: true, drop: true, times: 1 });
    const request = createRequestFor(offer, group, { name: 'dropped-but-made' });
    const state = await submission().submit(request, await knownIds());
    assert.equal(kindOf(state), 'created');
    assert.equal(deploymentsNamed(sim(), 'dropped-but-made').length, 1);
  });

  it('does not mistake an older deployment with the same name for the new one', async () => {
    const request = createRequestFor(offer, group, { name: 'same-name' });
    await client.createDeployment(request);
    sim().injectFault({ route: 'POST /api/deployments', status: 502, times: 1 });
    const state = await submission().submit(request, await knownIds());
    assert.equal(state.kind, 'unconfirmed');
    assert.equal(deploymentsNamed(sim(), 'same-name').length, 1);
  });

  it('5xx without a server-side create: unconfirmed, checks, then "Try again" creates exactly one', async () => {
    sim().injectFault({ route: 'POST /api/deployments', status: 503, times: 1 });
    const request = createRequestFor(offer, group, { name: 'try-again' });
    const once = submission();
    const known = await knownIds();

    const first = await once.submit(request, known);
    assert.equal(first.kind, 'unconfirmed');
    assert.equal(first.kind === 'unconfirmed' && first.retryAllowed, false);
    assert.match(first.kind === 'unconfirmed' ? first.message : '', /HTTP 503.*Check again/);

    // Submitting again (a reopened panel, Enter) sends nothing while unconfirmed.
    assert.equal((await once.submit(request, known)).kind, 'unconfirmed');
    // "Try again" is refused until a check made late enough finds nothing.
    assert.equal((await once.retryAfterUnconfirmed(request, known)).kind, 'unconfirmed');
    const early = await once.checkAgain();
    assert.equal(
      early.kind === 'unconfirmed' && early.retryAllowed,
      false,
      'a check right away is not enough',
    );
    assert.equal(postCount(sim()), 1);

    clock.advance(SETTLE_MS);
    const settled = await once.checkAgain();
    assert.equal(settled.kind === 'unconfirmed' && settled.retryAllowed, true);
    assert.match(
      settled.kind === 'unconfirmed' ? settled.message : '',
      /most likely not created\. You can try again/,
    );

    const retry = once.retryAfterUnconfirmed(request, known);
    assert.equal(
      once.retryAfterUnconfirmed(request, known),
      retry,
      'a double click on "Try again" is one retry',
    );
    const done = await retry;
    assert.equal(done.kind, 'created');
    assert.equal(postCount(sim()), 2);
    assert.equal(deploymentsNamed(sim(), 'try-again').length, 1);
    assert.equal((await once.retryAfterUnconfirmed(request, known)).kind, 'created');
    assert.equal(postCount(sim()), 2);
  });

  it('"Check again" finds a deployment that appeared late', async () => {
    sim().injectFault({ route: 'POST /api/deployments', status: 504, times: 1 });
    const request = createRequestFor(offer, group, { name: 'appeared-late' });
    const once = submission();
    assert.equal((await once.submit(request, await knownIds())).kind, 'unconfirmed');
    // Spheron finishes the create after all (here: another client sends the same body).
    const late: Deployment = await client.createDeployment(request);
    const state = await once.checkAgain();
    assert.deepEqual(state, { kind: 'created', id: late.id, name: 'appeared-late' });
  });

  it('stays unconfirmed, without offering a retry, when the check fails too', async () => {
    const known = await knownIds();
    sim().injectFault({ route: 'POST /api/deployments', afterHandler: true, status: 500, times: 1 });
    // The client tries a GET three times.
    sim().injectFault({ route: 'GET /api/deployments', status: 500, times: 3 });
    const request = createRequestFor(offer, group, { name: 'check-failed' });
    const once = submission();
    const state = await once.submit(request, known);
    assert.equal(state.kind, 'unconfirmed');
    assert.equal(state.kind === 'unconfirmed' && state.retryAllowed, false);
    assert.match(state.kind === 'unconfirmed' ? state.message : '', /check failed too/);
    clock.advance(SETTLE_MS);
    const found = await once.checkAgain();
    assert.equal(found.kind, 'created');
    assert.equal(deploymentsNamed(sim(), 'check-failed').length, 1);
  });

  it('a definitive 400 fails with the server words, editable and resubmittable', async () => {
    sim().setBalance(2);
    const request = createRequestFor(offer, group, { name: 'no-money' });
    const once = submission();
    const failed = await once.submit(request, await knownIds());
    assert.equal(failed.kind, 'failed');
    assert.match(
      failed.kind === 'failed' ? failed.message : '',
      /^Spheron refused the deployment: Insufficient balance: .*Add credit to your team/,
    );
    assert.equal(
      sim().requestLog().byRoute['GET /api/deployments'] ?? 0,
      1,
      'only the snapshot list: no re-list after a definitive answer',
    );

    sim().setBalance(250);
    const retried = await once.submit({ ...request, name: 'no-money-2' }, await knownIds());
    assert.equal(retried.kind, 'created');
    assert.equal(deploymentsNamed(sim(), 'no-money-2').length, 1);
    assert.equal(postCount(sim()), 2);
  });

  it('puts a 400 about a field next to that field', async () => {
    const request: CreateDeploymentRequest = {
      ...createRequestFor(offer, group, { name: 'bad-region' }),
      region: 'FIN-09',
    };
    const state = await submission().submit(request, await knownIds());
    assert.equal(state.kind, 'failed');
    assert.ok(state.kind === 'failed' && state.fieldErrors['region'], JSON.stringify(state));
    assert.equal(deploymentsNamed(sim(), 'bad-region').length, 0);
  });

  it('fails definitively on a rejected key and on a rate limit', async () => {
    const badKey = makeClient(sim(), { getApiKey: () => Promise.resolve('wrong-key') });
    const auth = await submission(badKey).submit(createRequestFor(offer, group, { name: 'auth' }), []);
    assert.equal(auth.kind, 'failed');
    assert.match(auth.kind === 'failed' ? auth.message : '', /rejected the API key/);

    sim().injectFault({
      route: 'POST /api/deployments',
      status: 429,
      body: { error: 'Too many requests', code: 'RATE_LIMIT_EXCEEDED', retryAfter: 600 },
      headers: { 'Retry-After': '600' },
      times: 1,
    });
    const limited = await submission().submit(
      createRequestFor(offer, group, { name: 'limited' }),
      await knownIds(),
    );
    assert.equal(limited.kind, 'failed');
    assert.match(limited.kind === 'failed' ? limited.message : '', /rate limit/);
    assert.equal(deploymentsNamed(sim(), 'limited').length, 0);
  });

  describe('registry', () => {
    it('gives a reopened panel (same session id) the earlier outcome, with no second create', async () => {
      const registry = createDeploySubmissionRegistry({ api: client, clock, settleMs: SETTLE_MS });
      const request = createRequestFor(offer, group, { name: 'reopened' });
      const known = await knownIds();
      const created = await registry.submit('session-a', request, known);
      assert.equal(created.kind, 'created');
      // The panel is closed and reopened: the webview restores session-a and submits again.
      assert.deepEqual(registry.stateOf('session-a'), created);
      assert.deepEqual(await registry.submit('session-a', request, await knownIds()), created);
      assert.equal(postCount(sim()), 1);
      assert.equal(deploymentsNamed(sim(), 'reopened').length, 1);
      assert.deepEqual(registry.stateOf('unknown-session'), { kind: 'idle' });
    });

    it('refuses a second in-flight create of the same name and offer from another panel', async () => {
      sim().injectFault({ route: 'POST /api/deployments', latencyMs: 400, times: 1 });
      const registry = createDeploySubmissionRegistry({ api: client, clock, settleMs: SETTLE_MS });
      const request = createRequestFor(offer, group, { name: 'two-panels' });
      const known = await knownIds();
      const first = registry.submit('panel-1', request, known);
      const second = await registry.submit('panel-2', request, known);
      assert.equal(second.kind, 'failed');
      assert.match(
        second.kind === 'failed' ? second.message : '',
        /Another Spheron form or window is already creating deployment "two-panels"/,
      );
      assert.equal((await first).kind, 'created');
      assert.equal(postCount(sim()), 1);
      assert.equal(deploymentsNamed(sim(), 'two-panels').length, 1);
      // A different name from the other panel is its own deployment.
      const other = await registry.submit('panel-2', { ...request, name: 'two-panels-b' }, await knownIds());
      assert.equal(other.kind, 'created');
      assert.equal(registry.forget('panel-2'), true);
      assert.equal(registry.has('panel-2'), false);
    });

    it('keeps an unconfirmed session until it is resolved', async () => {
      sim().injectFault({ route: 'POST /api/deployments', status: 503, times: 1 });
      const registry = createDeploySubmissionRegistry({ api: client, clock, settleMs: SETTLE_MS });
      const request = createRequestFor(offer, group, { name: 'pending' });
      assert.equal((await registry.submit('s', request, await knownIds())).kind, 'unconfirmed');
      assert.equal(registry.forget('s'), false);
      const blocked = await registry.submit('other', request, await knownIds());
      assert.equal(
        blocked.kind,
        'failed',
        'another panel cannot create the same thing while it is unconfirmed',
      );
      assert.equal(postCount(sim()), 1);
      clock.advance(SETTLE_MS);
      assert.equal((await registry.checkAgain('s')).kind, 'unconfirmed');
      assert.equal((await registry.retryAfterUnconfirmed('s', request, await knownIds())).kind, 'created');
      assert.equal(deploymentsNamed(sim(), 'pending').length, 1);
    });
  });

  describe('submitDeployForm (the host handler)', () => {
    function formValues(name: string): DeployFormValues {
      return {
        name,
        region: offer.regions[0] ?? '',
        operatingSystem: offer.osOptions[0] ?? '',
        sshKey: { kind: 'registered', keyId: SEED_IDS.sshKey },
        volumeIds: [],
        packages: 'htop',
        commands: 'nvidia-smi',
      };
    }

    function input(
      registry: DeployFormSubmit['registry'],
      form: DeployFormValues,
      sessionId = 'form-1',
    ): DeployFormSubmit {
      return {
        registry,
        api: client,
        sessionId,
        form,
        offer,
        groupGpuType: group.gpuType,
        teamId: SEED_IDS.team,
        registeredKeyIds: [SEED_IDS.sshKey],
        volumes: [],
      };
    }

    it('turns two submits that arrive together into one create, with the cloud-init sent', async () => {
      const registry = createDeploySubmissionRegistry({ api: client, clock, settleMs: SETTLE_MS });
      const form = formValues('handler-double');
      const [a, b] = await Promise.all([
        submitDeployForm(input(registry, form)),
        submitDeployForm(input(registry, form)),
      ]);
      assert.equal(a.kind, 'created');
      assert.deepEqual(b, a);
      assert.equal(postCount(sim()), 1);
      assert.deepEqual(registry.formOf('form-1'), form);
      const [made] = sim().state.deployments.filter((d) => d.name === 'handler-double');
      assert.equal(made?.offerId, offer.offerId);
      // A reopened panel submitting the same session again gets the same answer.
      assert.deepEqual(await submitDeployForm(input(registry, form)), a);
      assert.equal(postCount(sim()), 1);
    });

    it('answers invalid input with field errors and sends nothing', async () => {
      const registry = createDeploySubmissionRegistry({ api: client, clock, settleMs: SETTLE_MS });
      const state = await submitDeployForm(input(registry, { ...formValues('9-bad'), region: 'nowhere' }));
      assert.equal(state.kind, 'failed');
      assert.deepEqual(Object.keys(state.kind === 'failed' ? state.fieldErrors : {}).sort(), [
        'name',
        'region',
      ]);
      assert.equal(sim().requestLog().total, 0);
    });

    it('retries only when allowed, through the same checks', async () => {
      sim().injectFault({ route: 'POST /api/deployments', status: 502, times: 1 });
      const registry = createDeploySubmissionRegistry({ api: client, clock, settleMs: SETTLE_MS });
      const form = formValues('handler-retry');
      assert.equal((await submitDeployForm(input(registry, form))).kind, 'unconfirmed');
      assert.equal((await submitDeployForm(input(registry, form), 'retry')).kind, 'unconfirmed');
      assert.equal(postCount(sim()), 1);
      clock.advance(SETTLE_MS);
      await registry.checkAgain('form-1');
      assert.equal((await submitDeployForm(input(registry, form), 'retry')).kind, 'created');
      assert.equal(postCount(sim()), 2);
      assert.equal(deploymentsNamed(sim(), 'handler-retry').length, 1);
    });
  });
});
