// The Kubernetes add-on in the Instances view of a real extension host: a cluster deployed with the
// add-on shows its cluster's health (fetched in the background after each instance list), a failed
// health call reads "health unknown" without hiding the instance, and only such a cluster carries
// the flag that shows "Add to kubeconfig".
import assert from 'node:assert/strict';
import manifest from '../../package.json';
import type { Services } from '../../src/vscode/services';
import { describeRows, resetExplorer, shownRows, type ShownRow } from './explorerHelpers';
import { simulatorAdmin, spheronApi, waitFor } from './helpers';
import { OFFERS, createDeployment, resetRequestBudget, uniqueName } from './lifecycleHelpers';

interface MenuEntry {
  readonly command?: string;
  readonly when?: string;
}

/** The `viewItem` regex package.json gives "Add to kubeconfig" in the Instances view. */
function addToKubeconfigViewItem(): RegExp {
  const menus = manifest.contributes.menus as Record<string, readonly MenuEntry[] | undefined>;
  const entry = menus['view/item/context']?.find(
    (candidate) => candidate.command === 'spheron.instance.addToKubeconfig',
  );
  const match = /viewItem =~ \/(.*)\/$/.exec(entry?.when ?? '');
  assert.ok(match?.[1], `no viewItem clause for Add to kubeconfig: ${entry?.when}`);
  return new RegExp(match[1]);
}

describe('the Kubernetes add-on in the Instances view', function () {
  this.timeout(90_000);
  let services: Services;

  before(async () => {
    services = (await spheronApi()).services;
  });
  beforeEach(async () => {
    await resetExplorer(services);
    // The health checks are background work and wait for the shared request budget; the suites
    // before this one spent it (a wall-clock window), so start this test with it unspent.
    await resetRequestBudget(services);
  });
  after(async () => {
    await resetExplorer(services);
  });

  async function row(name: string, test: (shown: ShownRow) => boolean, message: string): Promise<ShownRow> {
    return waitFor(
      () => {
        const shown = shownRows(services.explorer.instancesTree).find(
          (candidate) => candidate.label === name,
        );
        return shown && test(shown) ? shown : undefined;
      },
      {
        timeoutMs: 20_000,
        message: `${message} (rows: ${describeRows(shownRows(services.explorer.instancesTree))})`,
      },
    );
  }

  it('shows the cluster’s health as it provisions and becomes healthy; a failed check says “health unknown”', async () => {
    const withAddon = await createDeployment(services, OFFERS.vpCluster, uniqueName('k8s'), {
      version: '1.35',
    });
    const plain = await createDeployment(services, OFFERS.vpCluster, uniqueName('bare'));
    assert.ok(withAddon.kubernetesAddon?.clusterId);
    await services.explorer.refresh('instances');

    const provisioning = await row(
      withAddon.name ?? '',
      (shown) => shown.description.endsWith(' · k8s provisioning'),
      'the add-on cluster to show provisioning',
    );
    assert.match(provisioning.tooltip, /Kubernetes add-on 1\.35: provisioning · control plane 0\/1/);
    const bare = await row(plain.name ?? '', () => true, 'the cluster without the add-on');
    assert.doesNotMatch(bare.description, /k8s/);
    assert.doesNotMatch(bare.tooltip, /Kubernetes add-on/);

    // Running (45 s) and its control plane up (120 s later), on the simulator's clock.
    await simulatorAdmin('clock/advance', { seconds: 10 * 60 });
    await services.explorer.refresh('instances');
    const healthy = await row(
      withAddon.name ?? '',
      (shown) => / · running /.test(shown.description) && shown.description.endsWith(' · k8s healthy'),
      'the add-on cluster to show healthy',
    );
    assert.match(healthy.tooltip, /Kubernetes add-on 1\.35: healthy · control plane 1\/1 · workers 8\/8/);

    // Only the running cluster with the add-on gets “Add to kubeconfig”.
    const viewItem = addToKubeconfigViewItem();
    assert.match(String(healthy.item.contextValue), viewItem);
    const bareRunning = await row(
      plain.name ?? '',
      (shown) => / · running /.test(shown.description),
      'the bare cluster to run',
    );
    assert.doesNotMatch(String(bareRunning.item.contextValue), viewItem);

    await simulatorAdmin('faults', {
      route: 'GET /api/kubernetes/:id/health',
      status: 503,
      body: { error: 'Service Unavailable', message: 'control plane unreachable' },
    });
    await services.explorer.refresh('instances');
    const unknown = await row(
      withAddon.name ?? '',
      (shown) => shown.description.endsWith(' · k8s health unknown'),
      'the add-on cluster to show health unknown',
    );
    assert.match(unknown.tooltip, /Kubernetes add-on 1\.35: health unknown — /);
    assert.match(unknown.description, /^\$[\d.]+ · \$[\d.]+\/h · running /);

    await simulatorAdmin('faults', undefined, 'DELETE');
    await simulatorAdmin(`kubernetes/${withAddon.kubernetesAddon?.clusterId ?? ''}/fault`, {
      fault: 'degraded',
    });
    await services.explorer.refresh('instances');
    const degraded = await row(
      withAddon.name ?? '',
      (shown) => shown.description.endsWith(' · k8s degraded'),
      'the add-on cluster to show degraded',
    );
    assert.match(degraded.tooltip, /workers 7\/8/);
  });
});
