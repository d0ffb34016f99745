// The Offers, Instances and Volumes trees and the status bar item, built from what the simulator
// serves over HTTP, read back through the tree providers VS Code uses (getChildren, getTreeItem).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEFAULT_OFFER_FILTERS, parseOfferFilters } from '../../src/core/model/offers';
import type { Services } from '../../src/vscode/services';
import {
  SEED,
  describeRows,
  findRow,
  requestLog,
  resetExplorer,
  rowLabels,
  rowsOfKind,
  shownRows,
} from './explorerHelpers';
import { simulatorAdmin, simulatorApi, simulatorUrl, spheronApi, waitFor } from './helpers';
import { sameProvider } from '../simulator/realWorld';

interface WireOffer {
  readonly provider: string;
  readonly offerId: string;
  readonly price: number;
  readonly maintenance: boolean;
  readonly instanceType: string;
}
interface WireGroup {
  readonly displayName: string;
  readonly gpuType: string;
  readonly offers: readonly WireOffer[];
}
interface WireDeployment {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly startedAt: string | null;
  readonly totalCost: number;
  readonly hourlyRate: number;
}
interface WireVolume {
  readonly id: string;
  readonly name: string;
  readonly sizeInGb: number;
  readonly hourlyRate: number;
  readonly status?: string;
  readonly providerId: string;
  readonly region: string;
}

/** Volumes the list still shows after a delete (the real-world profile serves two). */
const isGone = (volume: WireVolume) => volume.status === 'deleting' || volume.status === 'deleted';

async function simulatorCatalogue(): Promise<WireGroup[]> {
  const { status, body } = await simulatorApi('gpu-offers?limit=100');
  assert.equal(status, 200);
  return (body as { data: WireGroup[] }).data;
}

const money = (amount: number) => `$${amount.toFixed(2)}`;

/**
 * A provider as the catalogue spells it: `data-crunch`, or `datacrunch` under the real-world
 * profile, which serves offers with the old slugs.
 */
async function servedProvider(provider: string): Promise<string> {
  const served = (await simulatorCatalogue())
    .flatMap((group) => group.offers)
    .find((offer) => sameProvider(offer.provider, provider));
  assert.ok(served, `no offer of ${provider} in the catalogue`);
  return served.provider;
}

describe('the explorer views against the simulator', function () {
  this.timeout(60_000);
  let services: Services;

  before(async () => {
    services = (await spheronApi()).services;
  });

  beforeEach(async () => {
    await resetExplorer(services);
  });

  after(async () => {
    await resetExplorer(services);
  });

  describe('Offers', () => {
    it('groups the catalogue by GPU model, sorted by lowest price, with count and price range', async () => {
      const catalogue = await simulatorCatalogue();
      const groups = rowsOfKind(shownRows(services.explorer.offersTree), 'offerGroup');
      // What the simulator serves, minus offers in maintenance (hidden by default).
      const expected = catalogue
        .map((group) => {
          const prices = group.offers
            .filter((offer) => !offer.maintenance)
            .map((offer) => offer.price)
            .sort((a, b) => a - b);
          // The row drops the vendor and brand (`NVIDIA GeForce RTX 4090` reads `RTX 4090`).
          return { name: group.displayName.replace(/^NVIDIA (GeForce )?/, ''), prices };
        })
        .filter((group) => group.prices.length > 0)
        .sort((a, b) => (a.prices[0] ?? 0) - (b.prices[0] ?? 0));
      assert.deepEqual(
        rowLabels(groups),
        expected.map((group) => group.name),
      );
      for (const [index, group] of groups.entries()) {
        const prices = expected[index]?.prices ?? [];
        const low = money(prices[0] ?? 0);
        const high = money(prices[prices.length - 1] ?? 0);
        const price = low === high ? `${low}/h` : `from ${low}/h`;
        const count = `${prices.length} offer${prices.length === 1 ? '' : 's'}`;
        assert.equal(group.description, `${price} · ${count}`, group.label);
        assert.equal(group.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
        assert.equal(group.children.length, prices.length, group.label);
      }
      const lowest = groups[0];
      assert.equal(lowest?.label, 'CPU only');
      // Nothing shown is in maintenance.
      const offers = groups.flatMap((group) => group.children);
      assert.ok(
        offers.every((row) => !row.description.includes('maintenance')),
        describeRows(offers),
      );
      const totalOffers = catalogue.reduce((sum, group) => sum + group.offers.length, 0);
      const maintenance = catalogue.reduce(
        (sum, group) => sum + group.offers.filter((offer) => offer.maintenance).length,
        0,
      );
      assert.ok(maintenance > 0, 'the seed has an offer in maintenance');
      // The count explains itself with no filter set: what is left out, and why.
      assert.equal(
        services.explorer.offersView.description,
        `${offers.length} of ${totalOffers} offers · ${maintenance} in maintenance hidden`,
      );
    });

    it('shows price per hour, GPU count × VRAM, provider, region and SPOT / CLUSTER on each offer', async () => {
      const dataCrunch = await servedProvider('data-crunch');
      const voltagePark = await servedProvider('voltage-park');
      const groups = shownRows(services.explorer.offersTree);
      const h100 = findRow(groups, 'H100 SXM5');
      assert.ok(h100, describeRows(groups));
      assert.equal(h100.description, 'from $2.91/h · 2 offers');
      // Cheapest first inside the group.
      assert.deepEqual(
        h100.children.map((row) => `${row.label} | ${row.description}`),
        [
          `$2.91/h · 1× 80 GB | ${dataCrunch} · FIN-01 · Spot`,
          `$21.52/h · 8× 80 GB | ${voltagePark} · Dallas, TX · Cluster`,
        ],
      );
      const [spot, cluster] = h100.children;
      assert.equal(spot?.icon, 'zap');
      assert.match(spot?.tooltip ?? '', /Spot: can be reclaimed by the provider at any time\./);
      assert.match(spot?.tooltip ?? '', /30 vCPU · 120 GB RAM · 500 GB disk/);
      assert.equal(spot?.item.contextValue, 'spheron.offer+deployable+spot');
      assert.equal(cluster?.icon, 'server-environment');
      assert.match(cluster?.tooltip ?? '', /Cluster: 8-GPU bare metal, InfiniBand\./);
      assert.match(cluster?.tooltip ?? '', /208 vCPU · 1\.8 TB RAM · 19\.5 TB disk/);
      assert.match(cluster?.tooltip ?? '', /Minimum runtime: 60 min/);

      // A dedicated offer says nothing about its type in the row; routing prefixes are stripped.
      const l40s = findRow(groups, 'L40S PCIe');
      assert.deepEqual(
        l40s?.children.map((row) => `${row.label} | ${row.description}`),
        ['$0.88/h · 1× 48 GB | sesterce · kansascity-usa-1, culpeper-usa-1'],
      );
      assert.match(l40s?.children[0]?.tooltip ?? '', /Dedicated: not reclaimed by the provider\./);
      const cpu = findRow(groups, 'CPU only');
      assert.equal(cpu?.children[0]?.label, '$0.12/h · CPU only');
    });

    it('hides offers in maintenance by default and shows them marked, not deployable, on request', async () => {
      const dataCrunch = await servedProvider('data-crunch');
      const a100 = () => findRow(shownRows(services.explorer.offersTree), 'A100 80GB SXM4');
      assert.equal(a100()?.description, '$1.69/h · 1 offer');
      assert.deepEqual(
        a100()?.children.map((row) => row.description),
        [`${dataCrunch} · FIN-02`],
      );

      await services.explorer.setOfferFilters({ ...DEFAULT_OFFER_FILTERS, showMaintenance: true });
      const shown = a100();
      assert.equal(shown?.description, '$1.69/h · 2 offers');
      const maintenance = shown?.children.find((row) => row.description.includes('FIN-03'));
      assert.ok(maintenance, describeRows(shown?.children ?? []));
      assert.equal(maintenance.description, `⚠ maintenance · ${dataCrunch} · FIN-03`);
      assert.equal(maintenance.icon, 'warning');
      assert.equal(maintenance.item.contextValue, 'spheron.offer+dedicated+maintenance');
      assert.match(
        maintenance.tooltip,
        /Maintenance\*\*: the provider flagged this capacity; it cannot be deployed/,
      );
      assert.match(services.explorer.offersView.description ?? '', /^incl\. maintenance · 10 of 10 offers$/);
    });
  });

  describe('Instances', () => {
    it('shows the running instance with uptime, cost so far and rate; ended ones only on request', async () => {
      const { body } = await simulatorApi(`deployments/${SEED.runningDeployment}`);
      const running = body as WireDeployment;
      // Ended instances start hidden; an earlier suite may have shown them in this window.
      await vscode.commands.executeCommand('spheron.instances.hideEnded');
      const rows = shownRows(services.explorer.instancesTree);
      assert.deepEqual(rowLabels(rows), ['pro6000-dev', '1 ended instance hidden'], describeRows(rows));
      const row = rows[0];
      const match = /^\$(\d+\.\d\d) · \$2\.39\/h · running (?:(\d+)h )?(\d+)m$/.exec(row.description);
      assert.ok(match, row.description);
      // The same sums from the simulator's own record (uptime from startedAt, billing per second).
      const startedAtMs = Date.parse(running.startedAt ?? '');
      const uptimeMinutes = Number(match[2] ?? 0) * 60 + Number(match[3]);
      const expectedMinutes = (Date.now() - startedAtMs) / 60_000;
      assert.ok(Math.abs(uptimeMinutes - expectedMinutes) <= 1.5, `${uptimeMinutes} vs ${expectedMinutes}`);
      const expectedCost = Math.max(running.totalCost, (running.hourlyRate * expectedMinutes) / 60);
      assert.ok(Math.abs(Number(match[1]) - expectedCost) <= 0.06, `${match[1]} vs ${expectedCost}`);
      assert.equal(row.icon, 'vm-running');
      assert.match(row.tooltip, /IP: 198\.51\.100\.42/);
      assert.match(row.tooltip, /SSH user: ubuntu · port 22/);
      assert.match(row.tooltip, /Region: us-central-9/);
      assert.match(row.tooltip, /OS: Ubuntu Server 22\.04/);
      assert.match(row.tooltip, /past the 20-minute minimum/);
      assert.match(row.item.contextValue ?? '', /^spheron\.instance\b.*\+connectable\b/);
      assert.equal(services.explorer.instancesView.description, 'team research · 1 running');

      // The hidden-ended row shows the terminated instance when clicked.
      const hidden = rows[1];
      assert.equal(hidden.item.command?.command, 'spheron.instances.showEnded');
      await vscode.commands.executeCommand(hidden.item.command.command);
      assert.equal(services.contextKeys.get('spheron.showEndedInstances'), true);
      const withEnded = shownRows(services.explorer.instancesTree);
      assert.deepEqual(rowLabels(withEnded), ['pro6000-dev', 'a100-finetune'], describeRows(withEnded));
      const ended = withEnded[1];
      assert.match(ended.description, /^\$\d+\.\d\d total · terminated · ran 3h$/);
      assert.equal(ended.icon, 'circle-slash');

      await vscode.commands.executeCommand('spheron.instances.hideEnded');
      assert.deepEqual(rowLabels(shownRows(services.explorer.instancesTree)), [
        'pro6000-dev',
        '1 ended instance hidden',
      ]);
    });
  });

  describe('Volumes', () => {
    it('shows size, provider, region, attachment, and warns about unattached volumes that bill', async () => {
      const rows = shownRows(services.explorer.volumesTree);
      const { body } = await simulatorApi('volumes');
      const volumes = (body as { volumes: WireVolume[] }).volumes;
      // Volumes on their way out (the real-world profile serves a deleting and a deleted one) are
      // listed with their status, without the unattached-but-billing warning.
      const gone = volumes.filter(isGone).sort((a, b) => a.name.localeCompare(b.name));
      assert.deepEqual(
        rows.map((row) => `${row.label} | ${row.description}`),
        [
          'checkpoints | 500 GB · data-crunch · FIN-01 · unattached',
          'datasets-01 | 1 TB · voltage-park · Dallas, TX · unattached',
          ...gone.map(
            (volume) =>
              `${volume.name} | ${volume.sizeInGb} GB · ${volume.providerId} · ${volume.region} · ${
                volume.status === 'deleting' ? 'deleting…' : volume.status
              }`,
          ),
        ],
      );
      for (const volume of gone) {
        const row = rows.find((candidate) => candidate.label === volume.name);
        assert.ok(row);
        assert.doesNotMatch(row.tooltip, /still billing/, `${row.label}: ${row.tooltip}`);
        assert.doesNotMatch(row.item.contextValue ?? '', /\+billing\b/);
      }
      for (const row of rows.filter((candidate) => !gone.some((volume) => volume.name === candidate.label))) {
        const volume = volumes.find((candidate) => candidate.name === row.label);
        assert.ok(volume);
        const monthly = money(volume.sizeInGb * volume.hourlyRate * 730);
        assert.equal(row.icon, 'warning', row.label);
        assert.ok(
          row.tooltip.includes(`Unattached but still billing: ${monthly}/month`),
          `${row.label}: ${row.tooltip}`,
        );
        assert.match(row.item.contextValue ?? '', /\+billing\b/);
        assert.match(row.item.contextValue ?? '', /\+detached\b/);
      }
    });

    it('names the instance a volume is attached to', async () => {
      // A running data-crunch instance in FIN-01, where the `checkpoints` volume lives, created
      // from the offer as the catalogue serves it (provider spelling and gpuType).
      const group = (await simulatorCatalogue()).find((candidate) =>
        candidate.offers.some(
          (offer) => offer.offerId === 'dc-1h100-sxm5-spot' && sameProvider(offer.provider, 'data-crunch'),
        ),
      );
      const offer = group?.offers.find((candidate) => candidate.offerId === 'dc-1h100-sxm5-spot');
      assert.ok(group && offer);
      await simulatorAdmin('config', { deployDelaySeconds: 0 });
      try {
        const created = await postApi('deployments', {
          teamId: SEED.team,
          provider: offer.provider,
          offerId: offer.offerId,
          gpuType: group.gpuType,
          gpuCount: 1,
          instanceType: 'SPOT',
          region: 'FIN-01',
          operatingSystem: 'Ubuntu 22.04 CUDA 12.4',
          sshKeyId: '66f1c0ffee00000000000b01',
          name: 'h100-spot-train',
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        // `id`, or `deploymentId` as the real-world profile names it.
        const wire = created.body as { id?: string; deploymentId?: string };
        const deploymentId = wire.id ?? wire.deploymentId;
        assert.ok(deploymentId, JSON.stringify(created.body));
        await waitFor(
          async () =>
            ((await simulatorApi(`deployments/${deploymentId}`)).body as WireDeployment).status === 'running',
          { message: 'the new deployment running' },
        );
        const attached = await postApi(`volumes/${SEED.dataCrunchVolume}/attach`, { deploymentId });
        assert.equal(attached.status, 200, JSON.stringify(attached.body));

        await services.explorer.refresh();
        const rows = shownRows(services.explorer.volumesTree);
        const checkpoints = findRow(rows, 'checkpoints');
        assert.equal(
          checkpoints?.description,
          '500 GB · data-crunch · FIN-01 · attached to h100-spot-train',
          describeRows(rows),
        );
        assert.equal(checkpoints.icon, 'database');
        assert.match(checkpoints.item.contextValue ?? '', /\+attached\b/);
        assert.doesNotMatch(checkpoints.tooltip, /Unattached but still billing/);
        // The new spot instance is in the Instances view too, and says it can be reclaimed.
        const instances = shownRows(services.explorer.instancesTree);
        const spot = findRow(instances, 'h100-spot-train');
        assert.ok(spot, describeRows(instances));
        assert.match(spot.description, /^\$\d+\.\d\d · \$2\.91\/h · running \d+s$/);
        assert.match(spot.tooltip, /Spot: can be reclaimed/);
      } finally {
        await simulatorAdmin('config', { deployDelaySeconds: 45 });
      }
    });
  });

  describe('status bar', () => {
    it('shows the team balance and the burn rate of the running instance and the volumes', async () => {
      const { body } = await simulatorApi('balance');
      const team = (body as { teams: { teamId: string; balance: number }[] }).teams.find(
        (candidate) => candidate.teamId === SEED.team,
      );
      assert.ok(team);
      const text = services.explorer.statusBar.text;
      const match = /^\$\(credit-card\) \$(\d+\.\d\d) · \$(\d+\.\d\d)\/h$/.exec(text);
      assert.ok(match, text);
      // The balance the simulator reports now (it bills per second: allow a few cents of drift).
      assert.ok(Math.abs(Number(match[1]) - team.balance) < 0.05, `${match[1]} vs ${team.balance}`);
      // The running instance's rate plus the volumes (size × $/GB/h): storage bills until the volume
      // is deleted, so a deleting one counts and a deleted one does not.
      const running = (await simulatorApi(`deployments/${SEED.runningDeployment}`)).body as WireDeployment;
      assert.equal(running.status, 'running');
      const volumes = ((await simulatorApi('volumes')).body as { volumes: WireVolume[] }).volumes;
      const burn =
        running.hourlyRate +
        volumes
          .filter((volume) => volume.status !== 'deleted')
          .reduce((sum, volume) => sum + volume.sizeInGb * volume.hourlyRate, 0);
      assert.equal(`$${match[2]}/h`, `${money(burn)}/h`);
      const tooltip = (services.explorer.statusBar.tooltip as vscode.MarkdownString).value;
      assert.match(tooltip, /team research \(owner\)/);
      assert.match(tooltip, /Lasts about \d+ days? \d+ h at this rate\./);
      assert.match(tooltip, /Other teams: staging \$12\.50/);
      assert.equal(services.explorer.statusBar.command, 'spheron.instances.focus');
    });
  });

  describe('offer filters', () => {
    it('narrow the Offers view, show in its description, persist, and clear in one action', async () => {
      const dataCrunch = await servedProvider('data-crunch');
      const before = rowsOfKind(shownRows(services.explorer.offersTree), 'offerGroup');
      assert.ok(before.length > 1);

      await services.explorer.setOfferFilters({ ...DEFAULT_OFFER_FILTERS, instanceTypes: ['SPOT'] });
      const spotOnly = shownRows(services.explorer.offersTree);
      assert.deepEqual(rowLabels(spotOnly), ['H100 SXM5']);
      assert.deepEqual(
        spotOnly[0]?.children.map((row) => row.description),
        [`${dataCrunch} · FIN-01 · Spot`],
      );
      assert.equal(services.explorer.offersView.description, 'SPOT · 1 of 10 offers');
      assert.equal(services.contextKeys.get('spheron.offerFiltersActive'), true);

      // Several filters at once, as a new window would read them back from globalState.
      const combined = {
        ...DEFAULT_OFFER_FILTERS,
        providers: [dataCrunch, 'sesterce'],
        minVramGb: 48,
        maxPricePerHour: 2,
      };
      await services.explorer.setOfferFilters(combined);
      assert.deepEqual(parseOfferFilters(services.context.globalState.get('spheron.offerFilters')), combined);
      const narrowed = shownRows(services.explorer.offersTree);
      assert.deepEqual(rowLabels(narrowed), ['L40S PCIe', 'A100 80GB SXM4'], describeRows(narrowed));
      assert.equal(
        services.explorer.offersView.description,
        '2 providers · ≥ 48 GB · ≤ $2/h · 2 of 10 offers · 1 in maintenance hidden',
      );

      // Filters that match nothing say so, and the row clears them.
      await services.explorer.setOfferFilters({ ...DEFAULT_OFFER_FILTERS, maxPricePerHour: 0.01 });
      const none = shownRows(services.explorer.offersTree);
      assert.deepEqual(rowLabels(none), ['No offers match the filters']);
      assert.equal(none[0]?.item.command?.command, 'spheron.offers.clearFilters');

      await vscode.commands.executeCommand('spheron.offers.clearFilters');
      assert.deepEqual(
        rowLabels(rowsOfKind(shownRows(services.explorer.offersTree), 'offerGroup')),
        rowLabels(before),
      );
      assert.equal(services.explorer.offersView.description, '9 of 10 offers · 1 in maintenance hidden');
      assert.deepEqual(
        parseOfferFilters(services.context.globalState.get('spheron.offerFilters')),
        DEFAULT_OFFER_FILTERS,
      );
      assert.equal(services.contextKeys.get('spheron.offerFiltersActive'), false);
    });

    it('send text search to the API as `search`', async () => {
      await simulatorAdmin('requests', undefined, 'DELETE');
      await services.explorer.setOfferFilters({ ...DEFAULT_OFFER_FILTERS, search: 'rtx-4090' });
      const rows = shownRows(services.explorer.offersTree);
      assert.deepEqual(rowLabels(rows), ['RTX 4090'], describeRows(rows));
      assert.match(services.explorer.offersView.description ?? '', /^“rtx-4090” · 1 of 1 offer$/);
      const searches = (await requestLog()).filter((entry) => entry.route === 'GET /api/gpu-offers');
      assert.ok(
        searches.some((entry) => new URL(entry.path, 'http://x').searchParams.get('search') === 'rtx-4090'),
        searches.map((entry) => entry.path).join(', '),
      );
    });
  });
});

async function postApi(apiPath: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${simulatorUrl()}/api/${apiPath}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${SEED.apiKey}`,
      'content-type': 'application/json',
      'user-agent': 'spheron-vscode-tests',
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}
