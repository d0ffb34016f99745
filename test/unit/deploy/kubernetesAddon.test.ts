import * as assert from 'node:assert/strict';
import { createDeploymentBody } from '../../../src/core/api/client';
import type { Offer } from '../../../src/core/domain/types';
import { buildCreateDeploymentRequest } from '../../../src/core/deploy/createRequest';
import { deployCost } from '../../../src/core/deploy/cost';
import { validateDeployForm, type ValidDeployForm } from '../../../src/core/deploy/deployForm';
import {
  KubernetesAddonError,
  kubernetesAddonProblem,
  offerKubernetesAddon,
  pricePerHourWithAddon,
} from '../../../src/core/deploy/kubernetesAddon';
import { kubernetesClusterOffer, offer } from '../webview/fixtures';

const cluster = kubernetesClusterOffer();

/** A cluster offer the API sent without the add-on (another GPU, or Voltage Park left it out). */
const bareCluster: Offer = { ...cluster, offerId: 'vp-a100-8x', name: '8x A100 cluster' };
delete (bareCluster as { kubernetesAddon?: unknown }).kubernetesAddon;
/** A VM offer that claims the add-on: still refused, only Cluster instances support it. */
const vmClaimingAddon: Offer = offer({ kubernetesAddon: { version: '1.35', totalCostPerHour: 0.5 } });

function form(of: Offer): ValidDeployForm {
  const result = validateDeployForm(
    {
      name: 'k8s-train',
      region: of.regions[0] ?? '',
      operatingSystem: of.osOptions[0] ?? '',
      sshKey: { kind: 'registered', keyId: 'key-1' },
      volumeIds: [],
      packages: '',
      commands: '',
    },
    { offer: of, registeredKeyIds: ['key-1'], volumes: [] },
  );
  assert.ok(result.ok, JSON.stringify(result));
  return result.value;
}

describe('deploy: the Kubernetes add-on', () => {
  it('adds kubernetesAddon to the request for a cluster offer that carries it, and sends it as the contract says', () => {
    const request = buildCreateDeploymentRequest(cluster, 'H100_SXM5', form(cluster), 'team-1', {
      version: '1.35',
    });
    assert.deepEqual(request.kubernetesAddon, { version: '1.35' });
    assert.deepEqual(createDeploymentBody(request)['kubernetesAddon'], { version: '1.35' });

    const oidc = buildCreateDeploymentRequest(cluster, 'H100_SXM5', form(cluster), 'team-1', {
      version: '1.34',
      authenticationConfigB64: 'YXBpVmVyc2lvbjogdjE=',
    });
    assert.deepEqual(createDeploymentBody(oidc)['kubernetesAddon'], {
      version: '1.34',
      authentication_config_b64: 'YXBpVmVyc2lvbjogdjE=',
    });
  });

  it('sends no kubernetesAddon without a choice', () => {
    const request = buildCreateDeploymentRequest(cluster, 'H100_SXM5', form(cluster), 'team-1');
    assert.equal('kubernetesAddon' in request, false);
    assert.equal('kubernetesAddon' in createDeploymentBody(request), false);
  });

  const refusals: [string, Offer, { version: string; authenticationConfigB64?: string }, RegExp][] = [
    ['a VM offer', offer(), { version: '1.35' }, /needs a Cluster instance; “.*” is SPOT/],
    ['a VM offer that claims the add-on', vmClaimingAddon, { version: '1.35' }, /needs a Cluster instance/],
    [
      'a cluster offer without it',
      bareCluster,
      { version: '1.35' },
      /“8x A100 cluster” does not offer the Kubernetes add-on\. Only Voltage Park H100 SXM5 clusters do\./,
    ],
    ['a version that is not one', cluster, { version: 'latest' }, /“latest” is not a Kubernetes version/],
    [
      'an authentication configuration that is not base64',
      cluster,
      { version: '1.35', authenticationConfigB64: 'apiVersion: v1' },
      /must be base64 text/,
    ],
    [
      'an empty authentication configuration',
      cluster,
      { version: '1.35', authenticationConfigB64: '' },
      /base64/,
    ],
  ];
  for (const [what, target, choice, message] of refusals) {
    it(`refuses the add-on on ${what} with a typed error`, () => {
      assert.match(kubernetesAddonProblem(target, choice) ?? '', message);
      assert.throws(
        () => buildCreateDeploymentRequest(target, target.gpuType, form(target), 'team-1', choice),
        (error: unknown) => error instanceof KubernetesAddonError && message.test(error.message),
      );
    });
  }

  it('knows the add-on only on cluster offers', () => {
    assert.deepEqual(offerKubernetesAddon(cluster), { version: '1.35', totalCostPerHour: 0.5 });
    assert.equal(offerKubernetesAddon(bareCluster), undefined);
    assert.equal(offerKubernetesAddon(vmClaimingAddon), undefined);
  });

  it('prices the add-on on top of the offer, and nothing where it cannot be had', () => {
    assert.equal(pricePerHourWithAddon(cluster, true), 22.02);
    assert.equal(pricePerHourWithAddon(cluster, false), 21.52);
    assert.equal(pricePerHourWithAddon(bareCluster, true), 21.52);
    assert.equal(pricePerHourWithAddon(vmClaimingAddon, true), 2.91);
    // What the form and the chat tool show: the minimum charge is at the price with the add-on.
    const cost = deployCost({
      pricePerHour: pricePerHourWithAddon(cluster, true),
      minimumRuntimeMinutes: 60,
      balance: 100,
    });
    assert.equal(cost.minimumCharge, 22.02);
    assert.equal(Math.round(cost.perDay * 100) / 100, 528.48);
  });
});
