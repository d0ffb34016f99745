// What the views show when the API leaves things out or sends names that are too long or span
// lines: an honest "unknown", one row for the items that could not be read, one capped line.
import * as assert from 'node:assert/strict';
import { buildInstanceNodes, instanceLabel, instanceNode } from '../../../src/core/model/instances';
import { DEFAULT_OFFER_FILTERS, buildOfferTree } from '../../../src/core/model/offers';
import { buildVolumeNodes, volumeNode } from '../../../src/core/model/volumes';
import type { ModelNode } from '../../../src/core/model/nodes';
import { MAX_NAME_LENGTH, singleLine } from '../../../src/core/util/text';
import { NOW, SEED_GROUPS, deployment, group, offer, volume } from './fixtures';

const HOSTILE_NAME = `${'x'.repeat(150)}\n# Heading\n[link](https://evil.example)\u2028tail`;

function firstRow(nodes: readonly ModelNode[]): ModelNode {
  const row = nodes[0];
  assert.ok(row, 'expected a row');
  return row;
}

describe('model: tolerant display', () => {
  describe('items the API sent that could not be read', () => {
    it('puts one "N offers could not be read" row, with Show Logs, above the offers it could read', () => {
      const tree = buildOfferTree(SEED_GROUPS, DEFAULT_OFFER_FILTERS, { rejected: 2 });
      const row = firstRow(tree.nodes);
      assert.equal(row.label, '2 offers could not be read');
      assert.equal(row.description, 'Show Logs');
      assert.equal(row.command?.id, 'spheron.showLogs');
      assert.equal(tree.nodes.filter((node) => node.id === 'unreadable:offers').length, 1);
      assert.equal(tree.groups.length, tree.nodes.length - 1);
    });

    it('says it for instances and volumes too, and adds nothing when every item was read', () => {
      const instances = buildInstanceNodes([deployment({ id: 'd1' })], {
        nowMs: NOW,
        showEnded: false,
        rejected: 1,
      });
      assert.equal(firstRow(instances).label, '1 instance could not be read');
      const volumes = buildVolumeNodes([], { deploymentNames: new Map(), nowMs: NOW, rejected: 3 });
      assert.equal(firstRow(volumes).label, '3 volumes could not be read');
      const none = buildVolumeNodes([volume({ id: 'v1' })], {
        deploymentNames: new Map(),
        nowMs: NOW,
        rejected: 0,
      });
      assert.ok(none.every((node) => node.kind === 'volume'));
    });
  });

  describe('fields the API left out', () => {
    it('shows unknown instance type, provider, GPU count and region instead of blanks or "null"', () => {
      const node = instanceNode(
        deployment({ id: 'd1', instanceType: '', provider: '', gpuCount: null, region: '' }),
        { nowMs: NOW, showEnded: false },
      );
      assert.match(node.tooltip, /- Instance type: unknown · provider unknown/);
      assert.match(node.tooltip, /- GPU: \? × /);
      assert.match(node.tooltip, /- Region: unknown/);
      assert.doesNotMatch(node.tooltip, /null|undefined/);
    });

    it('shows ? for offer sizes the API did not send', () => {
      const tree = buildOfferTree(
        [
          group('H100_SXM5', 'H100 SXM5', [
            offer({
              provider: 'data-crunch',
              offerId: 'no-sizes',
              vcpus: undefined,
              memoryGb: undefined,
              storageGb: undefined,
              vramGbPerGpu: undefined,
            }),
          ]),
        ],
        DEFAULT_OFFER_FILTERS,
      );
      const row = tree.groups[0]?.children[0];
      assert.ok(row);
      assert.match(row.label, /1× \? GB/);
      assert.match(row.tooltip, /CPU \/ RAM \/ disk: \? vCPU · \? GB RAM · \? GB disk/);
      assert.doesNotMatch(row.tooltip, /undefined|NaN/);
    });

    it('does not call a DEDICATED offer’s spot_price its price', () => {
      const tree = buildOfferTree(
        [
          group('A100', 'A100', [
            offer({
              provider: 'sesterce',
              offerId: 'd',
              instanceType: 'DEDICATED',
              pricePerHour: 2,
              spotPricePerHour: 1,
            }),
          ]),
        ],
        DEFAULT_OFFER_FILTERS,
      );
      assert.doesNotMatch(tree.groups[0]?.children[0]?.tooltip ?? '', /Spot price/);
    });
  });

  describe('names from the API', () => {
    it('caps a name at 80 characters on one line', () => {
      const line = singleLine(HOSTILE_NAME);
      assert.equal(line.length, MAX_NAME_LENGTH);
      assert.ok(line.endsWith('…'));
      assert.doesNotMatch(line, /[\n\r\u2028]/);
      assert.equal(singleLine(' short\tname\r\n'), 'short name');
      assert.ok(singleLine('😀'.repeat(100)).length <= MAX_NAME_LENGTH);
      assert.ok(singleLine('😀'.repeat(100)).startsWith('😀'));
    });

    it('keeps instance, volume and GPU-group labels and tooltips to one capped line per name', () => {
      const instance = instanceNode(deployment({ id: 'd1', name: HOSTILE_NAME }), {
        nowMs: NOW,
        showEnded: false,
      });
      const vol = volumeNode(volume({ id: 'v1', name: HOSTILE_NAME }), new Map());
      const tree = buildOfferTree(
        [group('H100_SXM5', HOSTILE_NAME, [offer({ provider: 'data-crunch', offerId: 'o1' })])],
        DEFAULT_OFFER_FILTERS,
      );
      const groupRow = tree.groups[0];
      assert.ok(groupRow);
      for (const node of [instance, vol, groupRow]) {
        assert.ok(node.label.length <= MAX_NAME_LENGTH, node.label);
        assert.doesNotMatch(node.label, /\n/);
        // The name stays inside its bold header line: no heading and no link can start.
        assert.doesNotMatch(node.tooltip, /\n#|\]\(/);
        assert.equal(node.tooltip.split('\n')[0]?.includes('xxxxx'), true);
      }
      assert.equal(instanceLabel({ id: 'abcdef0123456789', name: '\n\t' }), 'instance 23456789');
    });
  });
});

describe('model: offer rows built on first expansion', () => {
  it('gives each offer row the same id whichever group is opened first', () => {
    // The same provider and offer id in two groups: the second one gets a `#2` id.
    const shared = offer({ provider: 'sesterce', offerId: 'shared-1', pricePerHour: 1 });
    const groups = [
      group('A100', 'A100', [shared, offer({ provider: 'sesterce', offerId: 'a-2', pricePerHour: 2 })]),
      group('H100', 'H100', [{ ...shared, pricePerHour: 3 }]),
    ];
    const ids = (order: readonly number[]) => {
      const tree = buildOfferTree(groups, DEFAULT_OFFER_FILTERS);
      const opened = new Map(
        order.map((index) => [index, tree.groups[index]?.children.map((row) => row.id)]),
      );
      return [...opened.entries()].sort(([a], [b]) => a - b).map(([, rows]) => rows);
    };
    assert.deepEqual(ids([0, 1]), ids([1, 0]));
    assert.deepEqual(ids([0, 1]), [
      ['offer:sesterce:shared-1', 'offer:sesterce:a-2'],
      ['offer:sesterce:shared-1#2'],
    ]);
  });
});
