// The deploy form's SSH key and name helpers, through the form's protocol in the real extension
// host: "Create a key" writes a key pair with the real ssh-keygen into the test home's ~/.ssh and
// registers it with the simulator, and the init carries the team's instances for the name warning.
import assert from 'node:assert/strict';
import type { Services } from '../../src/vscode/services';
import type { CreatedKeyMessage, DeployInit } from '../../src/shared/deployProtocol';
import { simulatorAdmin } from './helpers';
import {
  OFFERS,
  closeForms,
  freshSimulator,
  openDeployForm,
  services as getServices,
} from './lifecycleHelpers';

describe('deploy form: SSH key creation and instance names', function () {
  this.timeout(120_000);
  let services: Services;
  let restore: () => Promise<void>;

  before(async () => {
    services = await getServices();
    restore = await freshSimulator(services);
  });

  after(async () => {
    closeForms(services);
    await simulatorAdmin('reset', {});
    await restore();
  });

  it('creates a key, registers it with Spheron and answers it by name, never only a path', async () => {
    const { talk, init } = await openDeployForm(OFFERS.rtx4090);
    const keysBefore = init.keys.length;
    const created = await talk.request<CreatedKeyMessage>('createLocalKey', {});
    assert.equal(created.registrationError, null);
    assert.ok(created.registered, JSON.stringify(created));
    assert.equal(created.local.registeredKeyId, created.registered.id);
    assert.equal(created.registered.fingerprint, created.local.fingerprint);
    assert.match(created.local.path, /[\\/]\.ssh[\\/]id_ed25519[^\\/]*\.pub$/);
    await services.sshKeys.refresh();
    const listed = services.sshKeys.state.value ?? [];
    assert.ok(
      listed.some((key) => key.id === created.registered?.id),
      'Spheron lists the new key',
    );
    assert.equal(listed.length, keysBefore + 1);
  });

  it('gives the form the team’s instances with their status', async () => {
    await services.explorer.refresh('instances');
    const { talk } = await openDeployForm(OFFERS.rtx4090);
    // The whole init as the webview receives it (the helper's type names only what others need).
    const init = await talk.ready<DeployInit>();
    const deployments = services.data.deployments.state.value ?? [];
    assert.ok(deployments.length > 0, 'the seed has instances');
    assert.deepEqual(
      init.instances.map((instance) => instance.id).sort(),
      deployments.map((deployment) => deployment.id).sort(),
    );
    const running = deployments.find((deployment) => deployment.status === 'running');
    assert.ok(running);
    assert.equal(init.instances.find((instance) => instance.id === running.id)?.status, 'running');
  });
});
