import * as assert from 'node:assert/strict';
import {
  gpuTypeDisplayName,
  instanceTypeDisplayName,
  shortGpuName,
} from '../../../src/core/model/displayNames';

describe('model/displayNames', () => {
  const gpuTypes: [string, string][] = [
    ['H100_SXM5', 'H100 SXM5'],
    ['RTX4090_PCIE', 'RTX 4090 PCIe'],
    ['RTXPRO6000_PCIE', 'RTX PRO 6000 PCIe'],
    ['L40S_PCIE', 'L40S PCIe'],
    ['A100_80G_SXM4', 'A100 80G SXM4'],
    ['GH200', 'GH200'],
    ['CPU', 'CPU'],
    ['H100 SXM5', 'H100 SXM5'],
    ['NVIDIA GeForce RTX 4090', 'NVIDIA GeForce RTX 4090'],
    ['', ''],
  ];
  for (const [raw, shown] of gpuTypes) {
    it(`GPU type ${JSON.stringify(raw)} reads “${shown}”`, () => {
      assert.equal(gpuTypeDisplayName(raw), shown);
    });
  }

  it('instance types read as words; an unknown one as the API sent it', () => {
    assert.equal(instanceTypeDisplayName('DEDICATED'), 'Dedicated');
    assert.equal(instanceTypeDisplayName('spot'), 'Spot');
    assert.equal(instanceTypeDisplayName('CLUSTER'), 'Cluster');
    assert.equal(instanceTypeDisplayName('RESERVED'), 'RESERVED');
  });

  it('a narrow row drops the vendor and brand, and keeps a name that is nothing else', () => {
    assert.equal(shortGpuName('NVIDIA GeForce RTX 4090'), 'RTX 4090');
    assert.equal(shortGpuName('NVIDIA H100 SXM5'), 'H100 SXM5');
    assert.equal(shortGpuName('RTX PRO 6000 Blackwell'), 'RTX PRO 6000 Blackwell');
    assert.equal(shortGpuName('NVIDIA'), 'NVIDIA');
  });
});
