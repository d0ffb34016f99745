// Finding the deployment an unanswered create made: the provider may be spelt differently in the
// offer (what the create sends) and in the deployment list (what the check reads).
import * as assert from 'node:assert/strict';
import type { CreateDeploymentRequest } from '../../../src/core/domain/types';
import { deploymentStrategy } from '../../../src/core/deploy/deploySubmission';
import { NOW, deployment } from '../model/fixtures';

const unused = () => Promise.reject(new Error('not called'));
const strategy = deploymentStrategy({ api: { createDeployment: unused, listDeployments: unused } });

function request(provider: string): CreateDeploymentRequest {
  return {
    provider,
    offerId: 'dc-1a100-80g-sxm4',
    gpuType: 'A100_80G_SXM4',
    gpuCount: 1,
    region: 'FIN-02',
    operatingSystem: 'Ubuntu 22.04 CUDA 12.4',
    instanceType: 'DEDICATED',
    teamId: 'team',
    name: 'train-1',
  };
}

function listed(provider: string) {
  return deployment({
    id: 'd1',
    name: 'train-1',
    provider,
    offerId: 'dc-1a100-80g-sxm4',
    region: 'FIN-02',
    createdAtMs: NOW,
  });
}

describe('deploy/deploymentStrategy matches', () => {
  it('finds a create from a `datacrunch` offer listed as `data-crunch`, and the other way round', () => {
    assert.equal(strategy.matches(listed('data-crunch'), request('datacrunch'), NOW), true);
    assert.equal(strategy.matches(listed('datacrunch'), request('data-crunch'), NOW), true);
    assert.equal(strategy.matches(listed('voltage-park'), request('voltagepark'), NOW), true);
  });

  it('still matches the same and an id-suffixed slug, and not another provider', () => {
    assert.equal(strategy.matches(listed('data-crunch'), request('data-crunch'), NOW), true);
    assert.equal(strategy.matches(listed('tensordock-7f3a'), request('tensordock'), NOW), true);
    assert.equal(strategy.matches(listed('sesterce'), request('datacrunch'), NOW), false);
    assert.equal(strategy.matches(listed('data-crunch'), request('voltage-park'), NOW), false);
  });
});
