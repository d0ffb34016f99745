// Add to kubeconfig in the real extension host: the kubeconfig is fetched over SSH from the "node"
// (the sshd every simulated instance points at, whose session HOME holds a k3s-style kubeconfig) of
// a cluster deployed with the Kubernetes add-on, merged into the extension host's ~/.kube/config,
// and removed once the instance is listed as ended. When the API reports the cluster's kubeconfig,
// that one is used. An instance without the add-on is refused.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { API_KUBECONFIG_SOURCE } from '../../src/core/kube/fetchKubeconfig';
import type { AddToKubeconfigResult } from '../../src/vscode/commands/addToKubeconfig';
import { K3S_KUBECONFIG } from '../support/kubeconfigFixtures';
import { simulatorAdmin, waitFor } from './helpers';
import { OFFERS, createDeployment, uniqueName } from './lifecycleHelpers';
import { SEED_RUNNING_ID, syncedHost, useSshWorld } from './sshWorld';

const USERS_OWN = `apiVersion: v1
clusters:
  - cluster:
      server: https://10.0.0.1:6443
    name: prod
contexts:
  - context: {cluster: prod, user: prod}
    name: prod
current-context: prod
kind: Config
users:
  - name: prod
    user: {token: abc}
`;

describe('Add to kubeconfig', function () {
  this.timeout(90_000);
  let nodeHome = '';
  before(() => {
    nodeHome = mkdtempSync(join(tmpdir(), 'spheron-node-home-'));
    mkdirSync(join(nodeHome, '.kube'));
    writeFileSync(join(nodeHome, '.kube', 'config'), K3S_KUBECONFIG);
  });
  const world = useSshWorld({ instanceHome: () => nodeHome });

  it('adds the node’s cluster as its own context, and removes it when the instance ends', async () => {
    const { services } = world();
    const kubeconfig = join(homedir(), '.kube', 'config');
    await mkdir(join(homedir(), '.kube'), { recursive: true });
    await writeFile(kubeconfig, USERS_OWN);
    const cluster = await createDeployment(services, OFFERS.vpCluster, uniqueName('k8s'), {
      version: '1.35',
    });
    await simulatorAdmin('clock/advance', { seconds: 60 });
    await syncedHost(world(), cluster.id);
    const result = await vscode.commands.executeCommand<AddToKubeconfigResult>(
      'spheron.instance.addToKubeconfig',
      cluster.id,
    );
    assert.equal(result.source, `${nodeHome}/.kube/config`);
    assert.equal(result.context, `spheron-${cluster.id}`);
    assert.equal(result.kubeconfig, kubeconfig);
    const merged = await readFile(kubeconfig, 'utf8');
    assert.match(merged, new RegExp(`^ {4}name: spheron-${cluster.id}$`, 'm'));
    assert.match(merged, /^ {6}client-key-data: S0VZ$/m);
    assert.match(merged, /^current-context: prod$/m);
    assert.equal(await readFile(`${kubeconfig}.spheron-backup`, 'utf8'), USERS_OWN);

    await simulatorAdmin(`deployments/${cluster.id}/status`, { status: 'terminated' });
    await services.explorer.refresh('instances');
    assert.equal(
      await waitFor(
        async () => {
          const text = await readFile(kubeconfig, 'utf8');
          return text.includes('spheron-vscode') ? undefined : text;
        },
        { timeoutMs: 20_000, message: 'our context to leave the kubeconfig' },
      ),
      USERS_OWN,
    );
  });

  it('uses the kubeconfig the API reports for the cluster, without asking the node', async () => {
    const { services } = world();
    const kubeconfig = join(homedir(), '.kube', 'config');
    await mkdir(join(homedir(), '.kube'), { recursive: true });
    await writeFile(kubeconfig, USERS_OWN);
    const cluster = await createDeployment(services, OFFERS.vpCluster, uniqueName('k8s-api'), {
      version: '1.35',
    });
    await simulatorAdmin('clock/advance', { seconds: 60 });
    // The node's own file has client-key-data S0VZ; the API's has QVBJ, base64-encoded as a whole.
    const fromApi = K3S_KUBECONFIG.replace('client-key-data: S0VZ', 'client-key-data: QVBJ');
    await simulatorAdmin(`kubernetes/${cluster.kubernetesAddon?.clusterId ?? 'none'}/kubeconfig`, {
      kubeconfig: Buffer.from(fromApi).toString('base64'),
    });
    const result = await vscode.commands.executeCommand<AddToKubeconfigResult>(
      'spheron.instance.addToKubeconfig',
      cluster.id,
    );
    assert.equal(result.source, API_KUBECONFIG_SOURCE);
    const merged = await readFile(kubeconfig, 'utf8');
    assert.match(merged, new RegExp(`^ {4}name: spheron-${cluster.id}$`, 'm'));
    assert.match(merged, /^ {6}client-key-data: QVBJ$/m);
    assert.doesNotMatch(merged, /S0VZ/);
    assert.match(merged, /^current-context: prod$/m);
    await simulatorAdmin(`deployments/${cluster.id}/status`, { status: 'terminated' });
    await services.explorer.refresh('instances');
  });

  it('refuses an instance without the Kubernetes add-on, touching nothing', async () => {
    const kubeconfig = join(homedir(), '.kube', 'config');
    await mkdir(join(homedir(), '.kube'), { recursive: true });
    await writeFile(kubeconfig, USERS_OWN);
    await syncedHost(world(), SEED_RUNNING_ID);
    const result = await vscode.commands.executeCommand<AddToKubeconfigResult | undefined>(
      'spheron.instance.addToKubeconfig',
      SEED_RUNNING_ID,
    );
    assert.equal(result, undefined);
    assert.equal(await readFile(kubeconfig, 'utf8'), USERS_OWN);
  });
});
