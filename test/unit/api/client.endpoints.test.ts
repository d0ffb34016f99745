import * as assert from 'node:assert/strict';
import { NotFoundError } from '../../../src/core/api/errors';
import { KNOWN_DEPLOYMENT_STATUSES } from '../../../src/core/domain/types';
import {
  USER_AGENT,
  createRequestFor,
  currentTeamId,
  findOffer,
  makeClient,
  newPublicKey,
  useSimulator,
} from './harness';
import type { ClientHarness } from './harness';

describe('SpheronClient endpoints (against the simulator)', () => {
  const sim = useSimulator();
  let harness: ClientHarness;

  beforeEach(() => {
    harness = makeClient(sim());
  });
  afterEach(async () => {
    await harness.client.dispose();
  });

  describe('providers and offers', () => {
    it('lists providers', async () => {
      const providers = await harness.client.listProviders();
      assert.ok(providers.length > 0);
      assert.ok(
        providers.every((slug) => /^[a-z0-9-]+$/.test(slug)),
        providers.join(','),
      );
    });

    it('reads one page of offers with the query it was given', async () => {
      const page = await harness.client.listGpuOffers({
        page: 1,
        limit: 3,
        sortBy: 'lowestPrice',
        sortOrder: 'asc',
      });
      assert.equal(page.page, 1);
      assert.equal(page.limit, 3);
      assert.ok(page.groups.length <= 3 && page.groups.length > 0);
      assert.ok(page.totalGroups >= page.groups.length);
      const lowest = page.groups.map((group) => group.lowestPrice);
      assert.deepEqual(
        lowest,
        [...lowest].sort((a, b) => a - b),
      );
      const offer = page.groups[0].offers[0];
      assert.ok(offer.regions.length > 0, 'regions come from clusters');
      assert.equal(offer.gpuType, page.groups[0].gpuType);
      const url = new URL(harness.sent[0].url);
      assert.equal(url.pathname, '/api/gpu-offers');
      assert.equal(url.searchParams.get('limit'), '3');
      assert.equal(url.searchParams.get('sortBy'), 'lowestPrice');
    });

    it('filters offers by search and instance type', async () => {
      const page = await harness.client.listGpuOffers({
        page: 1,
        limit: 50,
        search: 'h100',
        instanceType: 'SPOT',
      });
      assert.ok(page.groups.length > 0);
      for (const group of page.groups) {
        assert.match(`${group.gpuType} ${group.displayName}`, /h100/i);
        assert.ok(group.offers.some((offer) => offer.instanceType === 'SPOT'));
      }
    });

    it('sends the standard headers, and the key on public endpoints only when there is one', async () => {
      await harness.client.listGpuOffers({ page: 1, limit: 1 });
      const headers = harness.sent[0].headers;
      assert.equal(headers['Authorization'], `Bearer ${sim().apiKey}`);
      assert.equal(headers['User-Agent'], USER_AGENT);
      assert.equal(headers['Accept'], 'application/json');
      assert.equal(headers['Content-Type'], undefined);

      const anonymous = makeClient(sim(), { getApiKey: () => Promise.resolve(undefined) });
      try {
        const providers = await anonymous.client.listProviders();
        await anonymous.client.listGpuOffers({ page: 1, limit: 1 });
        assert.ok(providers.length > 0);
        assert.equal(anonymous.sent.length, 2);
        assert.ok(anonymous.sent.every((request) => !('Authorization' in request.headers)));
      } finally {
        await anonymous.client.dispose();
      }
    });
  });

  describe('deployments', () => {
    it('creates a deployment with the wire body the contract asks for', async () => {
      const { client, sent } = harness;
      const offer = await findOffer(client, 'dc-1h100-sxm5-spot');
      const teamId = await currentTeamId(client);
      const publicKey = newPublicKey();
      const deployment = await client.createDeployment(
        createRequestFor(offer, teamId, {
          name: 'unit-create',
          sshPublicKey: publicKey,
          cloudInit: { runcmd: ['echo hi'] },
        }),
      );
      assert.equal(deployment.status, 'deploying');
      assert.equal(deployment.name, 'unit-create');
      assert.equal(deployment.provider, offer.provider);
      assert.equal(deployment.gpuType, 'H100_SXM5');
      assert.equal(deployment.region, 'FIN-01');
      assert.ok(deployment.id.length > 0);

      const create = sent.find((request) => request.method === 'POST')!;
      assert.equal(create.headers['Content-Type'], 'application/json');
      assert.deepEqual(create.body, {
        // The offer's own spelling, echoed (the real-world profile spells it `datacrunch`).
        provider: offer.provider,
        offerId: 'dc-1h100-sxm5-spot',
        gpuType: 'H100_SXM5',
        gpuCount: 1,
        region: 'FIN-01',
        operatingSystem: 'Ubuntu 22.04 CUDA 12.4',
        instanceType: 'SPOT',
        teamId,
        name: 'unit-create',
        ssh_public_key: publicKey,
        cloudInit: { runcmd: ['echo hi'] },
      });
    });

    it('omits name, cloudInit and volumeIds when they are not set', async () => {
      const { client, sent } = harness;
      const offer = await findOffer(client, 'rtx-5090-spheron-ai-1');
      const teamId = await currentTeamId(client);
      const [key] = await client.listSshKeys();
      await client.createDeployment(createRequestFor(offer, teamId, { sshKeyId: key.id, volumeIds: [] }));
      const body = sent.find((request) => request.method === 'POST')!.body as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).sort(), [
        'gpuCount',
        'gpuType',
        'instanceType',
        'offerId',
        'operatingSystem',
        'provider',
        'region',
        'sshKeyId',
        'teamId',
      ]);
    });

    it('lists, reads and renames deployments, sending teamId when given', async () => {
      const { client, sent } = harness;
      const teamId = await currentTeamId(client);
      const deployments = await client.listDeployments({ teamId });
      assert.ok(deployments.length >= 2);
      assert.ok(deployments.every((deployment) => deployment.status !== 'unknown'));
      assert.ok(
        deployments.every((deployment) =>
          (KNOWN_DEPLOYMENT_STATUSES as readonly string[]).includes(deployment.rawStatus),
        ),
      );
      const listUrl = new URL(
        sent.find((request) => new URL(request.url).pathname === '/api/deployments')!.url,
      );
      assert.equal(listUrl.searchParams.get('teamId'), teamId);

      const running = deployments.find((deployment) => deployment.status === 'running')!;
      const fetched = await client.getDeployment(running.id);
      assert.equal(fetched.id, running.id);
      assert.ok(fetched.ipAddress);
      assert.ok(fetched.sshUser);
      assert.ok(fetched.sshPort);
      assert.ok(fetched.startedAtMs !== null);

      const renamed = await client.renameDeployment(running.id, 'renamed-by-test');
      assert.equal(renamed.name, 'renamed-by-test');
      const rename = sent.find((request) => request.method === 'PATCH')!;
      assert.deepEqual(rename.body, { name: 'renamed-by-test' });
      assert.equal((await client.getDeployment(running.id)).name, 'renamed-by-test');
    });

    it('filters the list by status', async () => {
      const terminated = await harness.client.listDeployments({ status: 'terminated' });
      assert.ok(terminated.length > 0);
      assert.ok(terminated.every((deployment) => deployment.status === 'terminated'));
    });

    it('reports can-terminate and terminates once the minimum runtime has passed', async () => {
      const { client } = harness;
      const offer = await findOffer(client, 'rtx-5090-spheron-ai-1');
      const teamId = await currentTeamId(client);
      const created = await client.createDeployment(
        createRequestFor(offer, teamId, { sshPublicKey: newPublicKey() }),
      );

      const early = await client.canTerminate(created.id);
      assert.equal(early.canTerminate, false);
      assert.ok(early.timeRemainingMinutes > 0);
      assert.ok(early.minimumRuntimeMinutes !== undefined && early.minimumRuntimeMinutes > 0);

      sim().advanceClock(2 * 60 * 60);
      const later = await client.canTerminate(created.id);
      assert.equal(later.canTerminate, true);
      assert.equal(later.timeRemainingMinutes, 0);

      const result = await client.terminateDeployment(created.id);
      assert.equal(result.id, created.id);
      assert.equal(result.alreadyTerminated, false);
      assert.equal(result.status, 'terminated');
      assert.ok(result.stoppedAtMs !== null);
      assert.equal((await client.getDeployment(created.id)).status, 'terminated');
    });
  });

  describe('ssh keys', () => {
    it('creates, lists, reads and deletes a key, sending teamId when given', async () => {
      const { client, sent } = harness;
      const teamId = await currentTeamId(client);
      const publicKey = newPublicKey('unit@test');
      const created = await client.createSshKey({ name: 'unit-key', publicKey, teamId });
      assert.equal(created.name, 'unit-key');
      assert.ok(created.fingerprint?.startsWith('SHA256:'));
      assert.deepEqual(sent.find((request) => request.method === 'POST')!.body, {
        name: 'unit-key',
        publicKey,
        teamId,
      });

      const keys = await client.listSshKeys();
      assert.ok(keys.some((key) => key.id === created.id));
      assert.equal((await client.getSshKey(created.id)).publicKey, publicKey);

      await client.deleteSshKey(created.id);
      assert.ok(!(await client.listSshKeys()).some((key) => key.id === created.id));
      await assert.rejects(client.getSshKey(created.id), NotFoundError);
    });
  });

  describe('volumes', () => {
    it('reads regions and pricing', async () => {
      const regions = await harness.client.getVolumeRegions('data-crunch');
      assert.ok(regions.regions.some((region) => region.id === 'FIN-01'));
      assert.ok(regions.regions.every((region) => region.maxSizeGb >= region.minSizeGb));
      const pricing = await harness.client.getVolumePricing({ provider: 'data-crunch', region: 'FIN-01' });
      assert.equal(pricing.provider, 'data-crunch');
      assert.ok(pricing.hourlyRatePerGb > 0);
      const url = new URL(harness.sent.at(-1)!.url);
      assert.equal(url.searchParams.get('provider'), 'data-crunch');
      assert.equal(url.searchParams.get('region'), 'FIN-01');
    });

    it('creates, lists, reads, updates, attaches, detaches and deletes a volume', async () => {
      const { client, sent } = harness;
      const teamId = await currentTeamId(client);
      const volume = await client.createVolume({
        name: 'unit-volume',
        sizeGb: 100,
        provider: 'data-crunch',
        region: 'FIN-01',
        teamId,
      });
      assert.equal(volume.name, 'unit-volume');
      assert.equal(volume.sizeGb, 100);
      assert.equal(volume.status, 'available');
      assert.deepEqual(sent.find((request) => request.method === 'POST')!.body, {
        name: 'unit-volume',
        sizeInGb: 100,
        provider: 'data-crunch',
        region: 'FIN-01',
        teamId,
      });

      const listed = await client.listVolumes();
      assert.ok(listed.some((candidate) => candidate.id === volume.id));
      assert.equal((await client.getVolume(volume.id)).name, 'unit-volume');

      const updated = await client.updateVolume(volume.id, { name: 'unit-volume-2' });
      assert.equal(updated.name, 'unit-volume-2');
      assert.deepEqual(sent.find((request) => request.method === 'PATCH')!.body, { name: 'unit-volume-2' });

      const offer = await findOffer(client, 'dc-1h100-sxm5-spot');
      const deployment = await client.createDeployment(
        createRequestFor(offer, teamId, { sshPublicKey: newPublicKey() }),
      );
      sim().advanceClock(10 * 60);
      assert.equal((await client.getDeployment(deployment.id)).status, 'running');

      const attached = await client.attachVolume(volume.id, deployment.id);
      assert.deepEqual(attached.attachedDeploymentIds, [deployment.id]);
      assert.equal(attached.status, 'attached');
      const detached = await client.detachVolume(volume.id, deployment.id);
      assert.deepEqual(detached.attachedDeploymentIds, []);

      await client.deleteVolume(volume.id);
      const afterDelete = await client.listVolumes();
      assert.ok(
        !afterDelete.some((candidate) => candidate.id === volume.id && candidate.status !== 'deleted'),
      );
    });

    it('lists volumes filtered by status', async () => {
      const volumes = await harness.client.listVolumes({ status: 'available' });
      assert.ok(volumes.length > 0);
      assert.ok(volumes.every((volume) => volume.status === 'available'));
      const url = new URL(harness.sent[0].url);
      assert.equal(url.searchParams.get('status'), 'available');
    });
  });

  describe('balance and teams', () => {
    it('reads the balance and the teams', async () => {
      const balance = await harness.client.getBalance();
      assert.equal(balance.currency, 'USD');
      assert.equal(balance.teams.filter((team) => team.isCurrentTeam).length, 1);
      assert.ok(balance.teams.every((team) => team.role !== 'unknown'));
      const teams = await harness.client.listTeams();
      assert.deepEqual(teams.map((team) => team.id).sort(), balance.teams.map((team) => team.teamId).sort());
    });
  });

  it('logs one line per request with method, path, status and time, and nothing else', async () => {
    await harness.client.getBalance();
    await harness.client.listGpuOffers({ page: 1, limit: 1, search: 'h100' });
    assert.equal(harness.logLines.length, 2);
    assert.match(harness.logLines[0], /^debug GET \/api\/balance -> 200 in \d+ ms$/);
    assert.match(harness.logLines[1], /^debug GET \/api\/gpu-offers -> 200 in \d+ ms$/);
  });
});
