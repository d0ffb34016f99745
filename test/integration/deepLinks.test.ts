// Deep links (`vscode://spheron-community.spheron-vscode/<action>?…`) in the real extension host: the
// handler the URI handler calls, against the simulator and the sshd the seeded instance points at.
// Modal confirmations take scripted answers in test mode (src/vscode/prompts.ts).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SpheronExtensionApi } from '../../src/extension';
import { activateSpheron, EXTENSION_ID, waitFor } from './helpers';
import {
  advanceClock,
  closeForms,
  createDeployment,
  createPosts,
  OFFERS,
  SEED,
  simRequests,
  uniqueName,
} from './lifecycleHelpers';

const GET_DEPLOYMENT = 'GET /api/deployments/:id';
const getDeploymentCount = async () => (await simRequests()).byRoute[GET_DEPLOYMENT] ?? 0;
import { SEED_RUNNING_ID, syncedHost, useSshWorld } from './sshWorld';

function link(pathAndQuery: string): vscode.Uri {
  return vscode.Uri.parse(`${vscode.env.uriScheme}://${EXTENSION_ID}/${pathAndQuery}`);
}

describe('deep links', function () {
  this.timeout(90_000);
  const world = useSshWorld();
  let api: SpheronExtensionApi;
  let opened: vscode.Uri[];
  let restoreBridge: () => void;

  before(async () => {
    api = await activateSpheron<SpheronExtensionApi>();
  });

  beforeEach(() => {
    // Remote-SSH cannot be installed in code-server (see ssh.test.ts): only its entry point, the
    // vscode.openFolder call, and the "is it installed" lookup are replaced.
    const bridge = world().services.remoteSsh;
    const original = { ...bridge };
    opened = [];
    bridge.installedExtensionId = () => 'ms-vscode-remote.remote-ssh';
    bridge.openFolder = (uri) => {
      opened.push(uri);
      return Promise.resolve();
    };
    restoreBridge = () => Object.assign(bridge, original);
  });

  afterEach(() => {
    restoreBridge();
    closeForms(world().services);
  });

  it('a connect link asks first, then opens a Remote-SSH window on the instance', async () => {
    const host = await syncedHost(world(), SEED_RUNNING_ID);
    const outcome = await api.handleUri(link(`connect?deployment=${SEED_RUNNING_ID}&team=${SEED.team}`), {
      answers: ['Connect'],
    });
    assert.equal(outcome, 'done');
    assert.equal(opened.length, 1);
    assert.equal(opened[0]?.authority, `ssh-remote+${host.alias}`);
  });

  it('a connect link the user declines opens nothing', async () => {
    await syncedHost(world(), SEED_RUNNING_ID);
    const outcome = await api.handleUri(link(`connect?deployment=${SEED_RUNNING_ID}`), {
      answers: ['Cancel'],
    });
    assert.equal(outcome, 'declined');
    assert.deepEqual(opened, []);
  });

  it('refuses a link with an unknown parameter before any request', async () => {
    const lookups = await getDeploymentCount();
    const outcome = await api.handleUri(link(`connect?deployment=${SEED_RUNNING_ID}&then=terminate`), {
      answers: ['Connect'],
    });
    assert.equal(outcome, 'failed');
    assert.deepEqual(opened, []);
    assert.equal(await getDeploymentCount(), lookups);
  });

  it('refuses a link to a team the key is not a member of, and keeps the team', async () => {
    const team = world().services.session.selectedTeamId();
    const outcome = await api.handleUri(
      link(`connect?deployment=${SEED_RUNNING_ID}&team=66f1c0ffee00000000000aff`),
      {
        answers: ['Connect'],
      },
    );
    assert.equal(outcome, 'failed');
    assert.deepEqual(opened, []);
    assert.equal(world().services.session.selectedTeamId(), team);
  });

  it('refuses a link to an ended instance', async () => {
    const outcome = await api.handleUri(link(`connect?deployment=${SEED.terminatedDeployment}`), {
      answers: ['Connect'],
    });
    assert.equal(outcome, 'failed');
    assert.deepEqual(opened, []);
  });

  it('a deploy link opens the form for the offer and creates nothing', async () => {
    const { services } = world();
    const creates = await createPosts();
    const outcome = await api.handleUri(
      link(`deploy?offer=${OFFERS.rtx4090.offerId}&provider=${OFFERS.rtx4090.provider}`),
    );
    assert.equal(outcome, 'done');
    const panel = services.deployPanels.get(OFFERS.rtx4090);
    assert.ok(panel, 'the deploy form of the linked offer is open');
    assert.equal(await createPosts(), creates);
  });

  it('a connect link to a deploying instance waits until it runs, then connects', async () => {
    const { services } = world();
    const deployment = await createDeployment(services, OFFERS.rtx4090, uniqueName('link-wait'));
    const lookups = await getDeploymentCount();
    const outcome = api.handleUri(link(`connect?deployment=${deployment.id}`), { answers: ['Connect'] });
    // The handler looked the instance up (deploying) and now polls it; the provider finishes meanwhile.
    await waitFor(async () => (await getDeploymentCount()) > lookups, { message: 'the link lookup' });
    await advanceClock(60);
    assert.equal(await outcome, 'done');
    assert.ok((await getDeploymentCount()) >= lookups + 2, 'looked up, then polled until running');
    assert.equal(opened.length, 1);
    assert.equal(
      await waitFor(() => services.ssh.hostFor(deployment.id)?.alias, { message: 'the new host' }),
      opened[0]?.authority.replace(/^ssh-remote\+/, ''),
    );
  });

  it('Copy Link to This Instance copies a link the handler opens on the same instance', async () => {
    await syncedHost(world(), SEED_RUNNING_ID);
    const copied = await vscode.commands.executeCommand<string>('spheron.instance.copyLink', SEED_RUNNING_ID);
    assert.equal(await vscode.env.clipboard.readText(), copied);
    assert.equal(
      copied,
      `${vscode.env.uriScheme}://${EXTENSION_ID}/connect?deployment=${SEED_RUNNING_ID}&team=${SEED.team}`,
    );
    const outcome = await api.handleUri(vscode.Uri.parse(copied), { answers: ['Connect'] });
    assert.equal(outcome, 'done');
    assert.equal(opened.length, 1);
  });
});
