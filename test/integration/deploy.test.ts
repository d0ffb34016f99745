// Deploying from the deploy form, in the real extension host against the simulator. The form's
// webview cannot be clicked from here, so the tests speak its protocol: `panel.deliver()` handles a
// message exactly as if the webview had posted it (zod-checked), and the host's answers are read
// from `panel.host.onDidPostMessage`. What was created is read from the simulator.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Services } from '../../src/vscode/services';
import { buildCreateDeploymentRequest } from '../../src/core/deploy/createRequest';
import { CreateIntentLedger } from '../../src/core/forms/createIntents';
import { MIN_WATCH_INTERVAL_MS, WATCH_LIST_MAX_AGE_MS } from '../../src/core/deploy/watchDeployment';
import { simulatorAdmin, waitFor } from './helpers';
import {
  OFFERS,
  SEED,
  advanceClock,
  FormConversation,
  closeForms,
  createPosts,
  formFor,
  freshSimulator,
  instanceRow,
  newDeployments,
  openDeployForm,
  resetRequestBudget,
  servedOffer,
  services as getServices,
  simState,
  submitDeploy,
  type DeployInitData,
  type SubmitStateMessage,
  uniqueName,
  within,
} from './lifecycleHelpers';

describe('deploying from the deploy form', function () {
  this.timeout(120_000);
  let services: Services;
  let restore: () => Promise<void>;

  before(async () => {
    services = await getServices();
    restore = await freshSimulator(services);
  });

  beforeEach(async () => {
    await simulatorAdmin('requests', undefined, 'DELETE');
    await resetRequestBudget(services);
  });

  afterEach(async () => {
    closeForms(services);
    await simulatorAdmin('faults', undefined, 'DELETE');
  });

  after(async () => {
    closeForms(services);
    await simulatorAdmin('reset', {});
    await restore();
    await services.explorer.refresh('instances');
  });

  it('sends one create with the six fields of the offer and the team, then follows deploying → running', async () => {
    const before = (await simState()).deployments;
    const { talk, init } = await openDeployForm(OFFERS.rtx4090);
    assert.equal(init.offer.offerId, OFFERS.rtx4090.offerId);
    assert.equal(init.team.id, SEED.team);
    assert.equal(init.submitState.kind, 'idle');
    assert.ok(
      init.keys.some((key) => key.id === SEED.sshKey),
      'the seed key is offered',
    );
    const form = formFor(init, { packages: 'htop git-lfs', commands: 'nvidia-smi\necho ready' });

    const state = await submitDeploy(talk, init.sessionId, form);
    assert.equal(state.kind, 'created', JSON.stringify(state));
    assert.equal(await createPosts(), 1);
    const created = await newDeployments(before);
    assert.equal(created.length, 1);
    const [deployment] = created;
    assert.ok(deployment);
    assert.equal(state.kind === 'created' && state.id, deployment.id);
    // The six offer-coupled fields, verbatim from the one offer entry, and the team.
    assert.deepEqual(
      {
        provider: deployment.providerId,
        offerId: deployment.offerId,
        gpuType: deployment.gpuType,
        gpuCount: deployment.gpuCount,
        region: deployment.region,
        operatingSystem: deployment.operatingSystem,
        instanceType: deployment.instanceType,
        teamId: deployment.teamId,
      },
      {
        provider: init.offer.provider,
        offerId: init.offer.offerId,
        gpuType: init.group.gpuType,
        gpuCount: init.offer.gpuCount,
        region: init.offer.regions[0],
        operatingSystem: init.offer.osOptions[0],
        instanceType: init.offer.instanceType,
        teamId: SEED.team,
      },
    );
    assert.equal(deployment.name, form.name);
    assert.equal(deployment.sshKeyId, SEED.sshKey);
    assert.equal(deployment.status, 'deploying');
    // The form heard the same outcome.
    assert.deepEqual(talk.submitStates().at(-1), state);

    // The watcher follows it; the simulator starts it 45 simulated seconds after the create.
    // (Wrapped: waitFor would wait for the outcome itself.)
    const { watch } = await waitFor(
      () => {
        const started = services.deploymentWatcher.outcome(deployment.id);
        return started ? { watch: started } : undefined;
      },
      { message: 'the deployment watch' },
    );
    const settled = { done: false };
    void watch.then(() => (settled.done = true));
    // Still deploying while the simulated clock stands (well inside the 45 s).
    assert.equal((await simState()).deployments.find((d) => d.id === deployment.id)?.status, 'deploying');
    assert.equal(settled.done, false);
    await advanceClock(60);
    // The watch polls every 10 s and uses the Instances list as it is while it is under 20 s old
    // (the view is hidden here, so nothing else refreshes it): it sees the change within that age
    // plus two polls, with the request budget unspent (beforeEach): a spent one slows it down.
    const watchBoundMs = 2 * MIN_WATCH_INTERVAL_MS + WATCH_LIST_MAX_AGE_MS;
    const outcome = await within(watch, watchBoundMs, 'the watch to see it running');
    assert.equal(outcome.kind, 'running', `watch ended ${outcome.kind}`);
    const row = await waitFor(
      () => {
        const item = instanceRow(services, deployment.id);
        // Money leads the row: `$0.00 · $2.39/h · running 0s`.
        return typeof item?.description === 'string' && / · running\b/.test(item.description)
          ? item
          : undefined;
      },
      { timeoutMs: 20_000, message: `the Instances row of ${form.name} saying running` },
    );
    assert.equal(row.label, form.name);
    assert.match(String(row.contextValue), /\+connectable\b/);
    assert.equal((await simState()).deployments.find((d) => d.id === deployment.id)?.status, 'running');
  });

  it('a double submit, Enter twice, and a resubmit after the webview reloads create one deployment', async () => {
    const before = (await simState()).deployments;
    const { panel, talk, init } = await openDeployForm(OFFERS.rtx4090);
    const form = formFor(init);

    // Two presses before the first answer (a double click, or Enter pressed twice).
    const [first, second] = await Promise.all([
      submitDeploy(talk, init.sessionId, form),
      submitDeploy(talk, init.sessionId, form),
    ]);
    assert.equal(first.kind, 'created', JSON.stringify(first));
    assert.deepEqual(second, first);
    assert.equal(await createPosts(), 1);

    // The webview is torn down when hidden and says `ready` with its saved session when shown again.
    const reopened = await talk.ready<DeployInitData>(init.sessionId);
    assert.equal(reopened.sessionId, init.sessionId);
    assert.deepEqual(reopened.submitState, first);
    assert.equal(reopened.submittedForm?.name, form.name);
    const again = await submitDeploy(talk, init.sessionId, { ...form, name: `${form.name}-again` });
    assert.deepEqual(again, first);

    // The same, with the panel really hidden and shown again.
    const postedBefore = talk.posted.length;
    const editor = await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument({ content: 'hides the deploy form' }),
      { viewColumn: panel.host.panel.viewColumn ?? vscode.ViewColumn.Active, preview: false },
    );
    await waitFor(() => !panel.host.panel.visible, { message: 'the deploy form to be hidden' });
    panel.reveal();
    await waitFor(() => panel.host.panel.visible, { message: 'the deploy form to be shown again' });
    const reinit = await waitFor(
      () => talk.posted.slice(postedBefore).find((message) => message.type === 'init'),
      { timeoutMs: 30_000, message: 'the reloaded webview to get init again' },
    );
    assert.deepEqual((reinit.data as DeployInitData).submitState, first);
    assert.equal((reinit.data as DeployInitData).sessionId, init.sessionId);
    assert.deepEqual(await submitDeploy(talk, init.sessionId, form), first);
    await vscode.window
      .showTextDocument(editor.document)
      .then(() => vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'));

    assert.equal(await createPosts(), 1);
    assert.equal((await newDeployments(before)).length, 1);
  });

  it('closing the form while it creates and opening it again from the offer does not create a second', async () => {
    const before = (await simState()).deployments;
    // The create takes a few seconds to answer; the user closes the tab in the meantime.
    await simulatorAdmin('faults', { route: 'POST /api/deployments', latencyMs: 4_000, times: 1 });
    const opened = await openDeployForm(OFFERS.rtx4090);
    const form = formFor(opened.init);
    // Handled by the host even after its panel is gone (no answer can reach a closed webview).
    const pending = opened.panel.deliver({
      type: 'request',
      requestId: 'closed-form-submit',
      method: 'submitDeploy',
      params: { sessionId: opened.init.sessionId, form },
    });
    await waitFor(() => opened.talk.submitStates().some((state) => state.kind === 'submitting'), {
      message: 'the create to be sent',
    });
    opened.panel.dispose();
    try {
      // The same offer's "Deploy…" again: the form shows the create it sent, and Deploy sends nothing.
      const reopened = await openDeployForm(OFFERS.rtx4090);
      assert.equal(reopened.init.sessionId, opened.init.sessionId);
      assert.notEqual(reopened.init.submitState.kind, 'idle', 'the reopened form knows about the create');
      assert.equal(reopened.init.submittedForm?.name, form.name);
      const state = await submitDeploy(reopened.talk, reopened.init.sessionId, formFor(reopened.init));
      await pending;
      const firstOutcome = services.deployPanels.registry.stateOf(opened.init.sessionId);
      assert.equal(firstOutcome.kind, 'created', JSON.stringify(firstOutcome));
      assert.deepEqual(state, firstOutcome);
      assert.equal(await createPosts(), 1);
      assert.equal((await newDeployments(before)).length, 1);
      reopened.panel.dispose();

      // Closed after it finished, the offer's form is a new one again.
      const fresh = await openDeployForm(OFFERS.rtx4090);
      assert.notEqual(fresh.init.sessionId, opened.init.sessionId);
      assert.equal(fresh.init.submitState.kind, 'idle');
    } finally {
      // Never leave a create running into the next test.
      await pending.catch(() => undefined);
    }
  });

  it('a reload while the create is unanswered, committed 4 s later: unconfirmed, nothing resent, then found', async () => {
    const before = (await simState()).deployments;
    const { globalState } = services.context;
    const name = uniqueName('reload');
    const sessionId = `reload-${name}`;
    const served = await servedOffer(services, OFFERS.rtx4090);
    const ref = { provider: served.provider, offerId: served.offerId };
    const catalogue = await services.session.api.listAllGpuOffers({});
    const group = catalogue.groups.find((g) => g.gpuType === served.gpuType);
    const offer = group?.offers.find((o) => o.offerId === served.offerId && o.provider === served.provider);
    assert.ok(group && offer);
    // The window before the reload: it recorded its intent and form, sent the create, and was
    // gone before the answer; the server commits it 4 s after receipt.
    const startedAtMs = Date.now();
    await services.formSessions.update(sessionId, {
      form: 'deploy',
      offer: ref,
      pending: { name, startedAtMs },
    });
    const claim = new CreateIntentLedger(globalState).claim({
      noun: 'deployment',
      teamId: SEED.team,
      name,
      sessionId,
      startedAtMs,
    });
    assert.equal(claim.kind, 'claimed');
    await (claim.kind === 'claimed' ? claim.written : undefined);
    await simulatorAdmin('faults', {
      route: 'POST /api/deployments',
      drop: true,
      commitDelaySeconds: 4,
      times: 1,
    });
    const request = buildCreateDeploymentRequest(
      offer,
      group.gpuType,
      {
        name,
        region: offer.regions[0] ?? '',
        operatingSystem: offer.osOptions[0] ?? '',
        sshKey: { kind: 'registered', keyId: SEED.sshKey },
        volumeIds: [],
        startup: undefined,
      },
      SEED.team,
    );
    await assert.rejects(services.session.api.createDeployment(request));

    // The window comes back and VS Code restores the form from its saved state.
    const webviewPanel = vscode.window.createWebviewPanel(
      'spheron.deploy',
      'Deploy',
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
      },
    );
    await services.deployPanels.restore(webviewPanel, { sessionId });
    const restored = services.deployPanels.get(ref);
    assert.ok(restored, 'the form is restored');
    const talk = new FormConversation(restored);
    const init = await talk.ready<DeployInitData>(sessionId);
    assert.ok(
      ['submitting', 'unconfirmed'].includes(init.submitState.kind),
      JSON.stringify(init.submitState),
    );
    const waiting = await waitFor(
      () => {
        const state = services.deployPanels.registry.stateOf(sessionId);
        return state.kind === 'unconfirmed' ? state : undefined;
      },
      { message: 'the restored create to be unconfirmed' },
    );
    assert.equal(waiting.retryAllowed, false);

    // Deploy in the restored form, and in another form with the same name: nothing is sent.
    assert.equal((await submitDeploy(talk, sessionId, formFor(init, { name }))).kind, 'unconfirmed');
    const other = await openDeployForm(OFFERS.dcA100Fin02);
    const refused = await submitDeploy(other.talk, other.init.sessionId, formFor(other.init, { name }));
    assert.equal(refused.kind, 'failed');
    assert.match(refused.kind === 'failed' ? refused.message : '', /already creating deployment/);
    assert.equal(await createPosts(), 1);

    await advanceClock(4);
    const found = await talk.request<SubmitStateMessage>('checkAgain', { sessionId });
    assert.equal(found.kind, 'created', JSON.stringify(found));
    assert.equal(await createPosts(), 1);
    assert.equal((await newDeployments(before)).filter((d) => d.name === name).length, 1);
  });

  for (const fault of [
    { what: 'the answer is lost (connection dropped)', fault: { drop: true } },
    { what: 'the gateway answers 502', fault: { status: 502 } },
  ]) {
    it(`a create that succeeded on the server but ${fault.what} ends in exactly one deployment`, async () => {
      const before = (await simState()).deployments;
      await simulatorAdmin('faults', {
        route: 'POST /api/deployments',
        afterHandler: true,
        times: 1,
        ...fault.fault,
      });
      const { talk, init } = await openDeployForm(OFFERS.rtx4090);
      const form = formFor(init);
      const state = await submitDeploy(talk, init.sessionId, form);
      const created = await newDeployments(before);
      assert.equal(created.length, 1);
      assert.deepEqual(state, { kind: 'created', id: created[0]?.id, name: form.name });
      assert.ok(
        talk.submitStates().some((s) => s.kind === 'submitting' && s.phase === 'checking'),
        'it listed the deployments to find the create',
      );
      // Pressing Deploy again sends nothing.
      assert.deepEqual(await submitDeploy(talk, init.sessionId, form), state);
      assert.equal(await createPosts(), 1);
    });
  }

  it('a create that times out but succeeded on the server ends in exactly one deployment', async function () {
    this.timeout(180_000);
    const before = (await simState()).deployments;
    // The server creates it, then answers after the client's 30 s timeout.
    await simulatorAdmin('faults', {
      route: 'POST /api/deployments',
      afterHandler: true,
      latencyMs: 33_000,
      times: 1,
    });
    const { talk, init } = await openDeployForm(OFFERS.rtx4090);
    const form = formFor(init);
    const state = await submitDeploy(talk, init.sessionId, form);
    const created = await newDeployments(before);
    assert.equal(created.length, 1);
    assert.deepEqual(state, { kind: 'created', id: created[0]?.id, name: form.name });
    assert.deepEqual(await submitDeploy(talk, init.sessionId, form), state);
    // The simulator logs the slow create once it has answered (after the client gave up on it).
    await waitFor(async () => (await createPosts()) >= 1, {
      timeoutMs: 30_000,
      message: 'the simulator to log the slow create',
    });
    assert.equal(await createPosts(), 1);
    assert.equal((await newDeployments(before)).length, 1);
  });

  it('after an ambiguous create whose check fails too, “Try again” sends nothing and “Check again” finds it', async () => {
    const before = (await simState()).deployments;
    await simulatorAdmin('faults', {
      route: 'POST /api/deployments',
      afterHandler: true,
      latencyMs: 1_500,
      drop: true,
      times: 1,
    });
    const { talk, init } = await openDeployForm(OFFERS.rtx4090);
    const form = formFor(init);
    const pending = submitDeploy(talk, init.sessionId, form);
    await waitFor(
      () => talk.submitStates().some((state) => state.kind === 'submitting' && state.phase === 'creating'),
      { message: 'the create to be sent' },
    );
    // The list that would find it fails as well.
    await simulatorAdmin('faults', { route: 'GET /api/deployments', status: 503 });
    const state = await pending;
    assert.equal(state.kind, 'unconfirmed', JSON.stringify(state));
    assert.equal(state.kind === 'unconfirmed' && state.retryAllowed, false);
    assert.equal((await newDeployments(before)).length, 1, 'the server did create it');

    const retried = await talk.request<SubmitStateMessage>('retryAfterUnconfirmed', {
      sessionId: init.sessionId,
      form,
    });
    assert.equal(retried.kind, 'unconfirmed');
    assert.equal(await createPosts(), 1);

    await simulatorAdmin('faults', undefined, 'DELETE');
    const checked = await talk.request<SubmitStateMessage>('checkAgain', { sessionId: init.sessionId });
    const created = await newDeployments(before);
    assert.equal(created.length, 1);
    assert.deepEqual(checked, { kind: 'created', id: created[0]?.id, name: form.name });
    assert.equal(await createPosts(), 1);
  });

  describe('with too little balance', () => {
    afterEach(async () => {
      await simulatorAdmin('balance', { teamId: SEED.team, balance: 250 });
      await services.data.balance.refresh();
    });

    it('the form knows the balance: it refuses before sending, in plain words', async () => {
      await simulatorAdmin('balance', { teamId: SEED.team, balance: 2 });
      await services.data.balance.refresh();
      const before = (await simState()).deployments;
      const { talk, init } = await openDeployForm(OFFERS.rtx4090);
      assert.ok(init.balance !== null && Math.abs(init.balance - 2) < 0.05, `balance ${init.balance}`);
      const state = await submitDeploy(talk, init.sessionId, formFor(init));
      assert.equal(state.kind, 'failed', JSON.stringify(state));
      const message = state.kind === 'failed' ? state.message : '';
      assert.match(message, /balance/i);
      assert.match(message, /\$2\.00/);
      assert.match(message, /\$3\.00/);
      assert.match(message, /add credit/i);
      assert.doesNotMatch(message, /\b40[02]\b|HTTP|error code|undefined|NaN/i);
      assert.equal(await createPosts(), 0);
      assert.equal((await newDeployments(before)).length, 0);
    });

    it('the balance dropped since the form loaded: Spheron refuses the create and the form says why', async () => {
      await services.data.balance.refresh();
      const { talk, init } = await openDeployForm(OFFERS.vpCluster);
      assert.ok(init.balance !== null && init.balance > 240, `balance ${init.balance}`);
      // Spent elsewhere in the meantime; the extension has not seen it yet.
      await simulatorAdmin('balance', { teamId: SEED.team, balance: 10 });
      const before = (await simState()).deployments;
      const state = await submitDeploy(talk, init.sessionId, formFor(init));
      assert.equal(state.kind, 'failed', JSON.stringify(state));
      const message = state.kind === 'failed' ? state.message : '';
      assert.match(message, /insufficient balance/i);
      assert.match(message, /\$10\.00/);
      assert.match(message, /add credit/i);
      assert.doesNotMatch(message, /\b40[02]\b|HTTP|error code|undefined|NaN/i);
      assert.equal((await newDeployments(before)).length, 0);
      assert.equal((await simState()).deployments.length, before.length);
    });
  });
});
