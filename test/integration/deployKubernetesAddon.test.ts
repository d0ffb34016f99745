// The deploy form's Kubernetes add-on in the real extension host against the simulator: an
// eligible offer's form offers the versions and sends the chosen one with the create; any other
// offer's form has nothing about it. Driven through the form's protocol, as deploy.test.ts.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DeployInit } from '../../src/shared/deployProtocol';
import type { Services } from '../../src/vscode/services';
import { outputChannelText, simulatorAdmin, waitFor } from './helpers';
import {
  OFFERS,
  closeForms,
  createPosts,
  formFor,
  freshSimulator,
  newDeployments,
  openDeployForm,
  services as getServices,
  simState,
  submitDeploy,
  type DeployInitData,
} from './lifecycleHelpers';

/** The whole init message, add-on fields included (DeployInitData names only what most tests read). */
function fullInit(init: DeployInitData): DeployInit {
  return init as unknown as DeployInit;
}

/** An OIDC AuthenticationConfiguration as Voltage Park's docs show one (CRLF, as from Windows). */
const OIDC_CONFIG = [
  '# Sign in to the cluster with our identity provider',
  'apiVersion: apiserver.config.k8s.io/v1beta1',
  'kind: AuthenticationConfiguration',
  'jwt:',
  '  - issuer:',
  '      url: https://idp.oidc-test.example',
  '      audiences: ["kubernetes"]',
  '    claimMappings:',
  '      username: { claim: email, prefix: "" }',
  '',
].join('\r\n');

describe('the deploy form’s Kubernetes add-on', function () {
  this.timeout(120_000);
  let services: Services;
  let restore: () => Promise<void>;

  before(async () => {
    services = await getServices();
    restore = await freshSimulator(services);
  });

  beforeEach(async () => {
    await simulatorAdmin('requests', undefined, 'DELETE');
  });

  afterEach(() => {
    closeForms(services);
  });

  after(async () => {
    closeForms(services);
    await simulatorAdmin('reset', {});
    await restore();
    await services.explorer.refresh('instances');
  });

  it('deploys a Voltage Park H100 SXM5 cluster with the add-on at the chosen version', async () => {
    const before = (await simState()).deployments;
    const { talk, init } = await openDeployForm(OFFERS.vpCluster);
    assert.equal(init.offer.instanceType, 'CLUSTER');
    // The versions come from GET /api/kubernetes/versions, the offer's own first.
    const addon = fullInit(init).kubernetesAddon;
    assert.deepEqual(addon?.versions, ['1.35', '1.34']);
    assert.equal(addon?.costPerHour, 0.5);
    assert.equal(addon?.versionsNote, undefined);
    assert.deepEqual(fullInit(init).offer.kubernetesAddon, { version: '1.35', totalCostPerHour: 0.5 });

    const form = formFor(init, { kubernetesAddon: { enabled: true, version: '1.34' } });
    const state = await submitDeploy(talk, init.sessionId, form);
    assert.equal(state.kind, 'created', JSON.stringify(state));
    assert.equal(await createPosts(), 1);
    const [deployment, ...others] = await newDeployments(before);
    assert.deepEqual(others, []);
    assert.ok(deployment);
    assert.equal(deployment.offerId, OFFERS.vpCluster.offerId);
    assert.equal(deployment.kubernetesAddon?.version, '1.34');
    assert.ok(deployment.kubernetesAddon?.clusterId, 'the simulator minted a cluster id');
  });

  it('sends the OIDC configuration as base64 with the one create, and logs only its size', async () => {
    const before = (await simState()).deployments;
    const { talk, init } = await openDeployForm(OFFERS.vpCluster);
    const form = formFor(init, {
      kubernetesAddon: { enabled: true, version: '1.35', authenticationConfig: OIDC_CONFIG },
    });
    const state = await submitDeploy(talk, init.sessionId, form);
    assert.equal(state.kind, 'created', JSON.stringify(state));
    assert.equal(await createPosts(), 1);
    const [deployment, ...others] = await newDeployments(before);
    assert.deepEqual(others, []);
    assert.equal(deployment?.kubernetesAddon?.version, '1.35');
    const sent = deployment?.kubernetesAuthenticationConfigB64;
    assert.equal(typeof sent, 'string');
    assert.equal(Buffer.from(sent ?? '', 'base64').toString('utf8'), OIDC_CONFIG);

    await vscode.commands.executeCommand('spheron.showLogs');
    const bytes = Buffer.byteLength(OIDC_CONFIG);
    const log = await waitFor(
      () => {
        const text = outputChannelText('Spheron') ?? '';
        return text.includes(`Kubernetes 1.35 add-on with OIDC authentication (${bytes} bytes)`)
          ? text
          : undefined;
      },
      { timeoutMs: 15_000, message: 'the log line about the OIDC configuration' },
    );
    assert.doesNotMatch(log, /idp\.oidc-test\.example/);
    assert.ok(!log.includes(sent ?? ''), 'the base64 is not logged either');
  });

  it('an invalid or over-long OIDC configuration from the webview is refused without a create', async () => {
    const { panel, talk, init } = await openDeployForm(OFFERS.vpCluster);
    const invalid = await submitDeploy(
      talk,
      init.sessionId,
      formFor(init, {
        kubernetesAddon: {
          enabled: true,
          version: '1.35',
          authenticationConfig: 'apiVersion: v1\nkind: Config\n',
        },
      }),
    );
    assert.equal(invalid.kind, 'failed');
    assert.match(
      invalid.kind === 'failed' ? (invalid.fieldErrors.kubernetesAuthentication ?? '') : '',
      /This is a Kubernetes Config, not an AuthenticationConfiguration/,
    );
    // Past the protocol's cap the message is dropped before the form sees it: no answer at all.
    const requestId = 'oidc-over-long';
    const overLong = `${OIDC_CONFIG}#${'x'.repeat(64 * 1024)}`;
    await panel.deliver({
      type: 'request',
      requestId,
      method: 'submitDeploy',
      params: {
        sessionId: init.sessionId,
        form: formFor(init, {
          kubernetesAddon: { enabled: true, version: '1.35', authenticationConfig: overLong },
        }),
      },
    });
    assert.equal(
      talk.posted.some((message) => message.type === 'response' && message.requestId === requestId),
      false,
    );
    assert.equal(await createPosts(), 0);
  });

  it('an unticked add-on sends no kubernetesAddon', async () => {
    const before = (await simState()).deployments;
    const { talk, init } = await openDeployForm(OFFERS.vpCluster);
    const form = formFor(init, { kubernetesAddon: { enabled: false, version: '1.35' } });
    assert.equal((await submitDeploy(talk, init.sessionId, form)).kind, 'created');
    const [deployment] = await newDeployments(before);
    assert.ok(deployment);
    assert.equal(deployment.kubernetesAddon ?? undefined, undefined);
  });

  it('another offer’s form has no add-on, and a forged choice is refused before anything is sent', async () => {
    const { talk, init } = await openDeployForm(OFFERS.rtx4090);
    assert.equal(fullInit(init).kubernetesAddon, null);
    assert.equal(fullInit(init).offer.kubernetesAddon, undefined);
    const state = await submitDeploy(
      talk,
      init.sessionId,
      formFor(init, { kubernetesAddon: { enabled: true, version: '1.35' } }),
    );
    assert.equal(state.kind, 'failed');
    assert.match(
      state.kind === 'failed' ? (state.fieldErrors?.kubernetesAddon ?? '') : '',
      /needs a Cluster instance/,
    );
    assert.equal(await createPosts(), 0);
  });
});
