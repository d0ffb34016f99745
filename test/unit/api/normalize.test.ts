import * as assert from 'node:assert/strict';
import { SchemaError } from '../../../src/core/api/errors';
import {
  checkAcknowledgement,
  normalizeBalance,
  normalizeCanTerminate,
  normalizeDeployment,
  normalizeDeploymentPage,
  normalizeOfferPage,
  normalizeProviders,
  normalizeSshKey,
  normalizeSshKeys,
  normalizeTeams,
  normalizeTerminate,
  normalizeVolume,
  normalizeVolumePage,
  normalizeVolumePricing,
  normalizeVolumeRegions,
} from '../../../src/core/api/normalize';
import * as fixtures from './fixtures';

const json = (value: unknown): string => JSON.stringify(value);
const requested = { page: 1, limit: 10 };

function schemaError(run: () => unknown): SchemaError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof SchemaError, `expected SchemaError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a SchemaError');
}

function offerPageWith(
  offerChanges: Record<string, unknown>,
  groupChanges: Record<string, unknown> = {},
): string {
  const group = fixtures.offerPage.data[0];
  const offer = { ...group.offers[0], ...offerChanges };
  return json({ ...fixtures.offerPage, data: [{ ...group, ...groupChanges, offers: [offer] }] });
}

describe('normalize (wire → domain, no server)', () => {
  describe('gpu offers', () => {
    it('maps the contract example, taking regions from clusters', () => {
      const page = normalizeOfferPage('GET /api/gpu-offers', json(fixtures.offerPage), requested);
      assert.equal(page.totalGroups, 1);
      assert.equal(page.totalPages, 1);
      const group = page.groups[0];
      assert.equal(group.gpuType, 'H100_SXM5');
      assert.equal(group.displayName, 'H100 SXM5');
      assert.deepEqual(group.providers, ['voltage-park', 'data-crunch']);
      const offer = group.offers[0];
      assert.deepEqual(
        { ...offer },
        {
          provider: 'data-crunch',
          offerId: 'dc-1h100-sxm5-spot',
          gpuType: 'H100_SXM5',
          gpuDisplayName: 'H100 SXM5',
          name: '1x H100 SXM5 80GB (spot)',
          description: 'H100 SXM5 80GB, 30 vCPU, 120 GB RAM',
          gpuCount: 1,
          vramGbPerGpu: 80,
          vcpus: 30,
          memoryGb: 120,
          storageGb: 500,
          pricePerHour: 2.91,
          spotPricePerHour: 2.91,
          originalPricePerHour: undefined,
          available: true,
          maintenance: false,
          regions: ['FIN-01'],
          osOptions: ['Ubuntu 22.04 CUDA 12.4'],
          instanceType: 'SPOT',
          interconnectType: 'SXM5',
          supportsCloudInit: true,
          minimumRuntimeMinutes: undefined,
          unitsAvailable: 3,
        },
      );
    });

    it('falls back to region when clusters is absent, and keeps an unknown instanceType verbatim', () => {
      const body = offerPageWith({ clusters: undefined, region: 'us-east-1', instanceType: 'BARE_METAL' });
      const offer = normalizeOfferPage('GET /api/gpu-offers', body, requested).groups[0].offers[0];
      assert.deepEqual(offer.regions, ['us-east-1']);
      assert.equal(offer.instanceType, 'BARE_METAL');
    });

    it('reports a team discount as price plus original price', () => {
      const body = offerPageWith({ price: 3, discountedPrice: 2.7 });
      const offer = normalizeOfferPage('GET /api/gpu-offers', body, requested).groups[0].offers[0];
      assert.equal(offer.pricePerHour, 2.7);
      assert.equal(offer.originalPricePerHour, 3);
    });

    it('derives group aggregates the server left out', () => {
      const body = offerPageWith(
        {},
        {
          lowestPrice: undefined,
          highestPrice: undefined,
          averagePrice: undefined,
          providers: undefined,
          displayName: undefined,
        },
      );
      const group = normalizeOfferPage('GET /api/gpu-offers', body, requested).groups[0];
      assert.equal(group.lowestPrice, 2.91);
      assert.equal(group.highestPrice, 2.91);
      assert.deepEqual(group.providers, ['data-crunch']);
      assert.equal(group.displayName, 'H100');
    });

    it('computes totalPages from total and limit when absent', () => {
      const body = json({ data: [], total: 250, limit: 100 });
      const page = normalizeOfferPage('GET /api/gpu-offers', body, { page: 1, limit: 100 });
      assert.equal(page.totalPages, 3);
    });

    it('reads numbers sent as strings, and leaves unreadable optional sizes unknown', () => {
      const page = normalizeOfferPage(
        'GET /api/gpu-offers',
        offerPageWith({ price: '2.39', vcpus: '16', gpu_memory: null, memory: 'lots', storage: undefined }),
        requested,
      );
      const offer = page.groups[0]?.offers[0];
      assert.equal(page.rejected, 0);
      assert.equal(offer?.pricePerHour, 2.39);
      assert.equal(offer?.vcpus, 16);
      assert.equal(offer?.vramGbPerGpu, undefined);
      assert.equal(offer?.memoryGb, undefined);
      assert.equal(offer?.storageGb, undefined);
    });

    it('drops only the offers that lack what the extension needs, reporting each with its path', () => {
      const group = fixtures.offerPage.data[0];
      const good = group.offers[0];
      const body = json({
        ...fixtures.offerPage,
        data: [
          {
            ...group,
            offers: [good, { ...good, offerId: 'no-price', price: 'n/a' }, { ...good, provider: undefined }],
          },
          { gpuType: 42, offers: [good, good] },
        ],
      });
      const warnings: string[] = [];
      const page = normalizeOfferPage('GET /api/gpu-offers', body, requested, (line) => warnings.push(line));
      assert.deepEqual(
        page.groups.flatMap((kept) => kept.offers.map((offer) => offer.offerId)),
        [good.offerId],
      );
      assert.equal(page.rejected, 4);
      assert.equal(warnings.length, 3);
      assert.match(
        warnings[0] ?? '',
        /GET \/api\/gpu-offers: left out item data\.0\.offers\.1 \(“no-price”\): price: expected a number/,
      );
      assert.match(warnings[1] ?? '', /data\.0\.offers\.2 .*provider: expected string/);
      assert.match(warnings[2] ?? '', /data\.1: gpuType: expected string/);
    });

    it('fails on a plausible but wrong envelope', () => {
      const error = schemaError(() =>
        normalizeOfferPage('GET /api/gpu-offers', json({ data: 'nope' }), requested),
      );
      assert.equal(error.issuePath, 'data');
    });
  });

  it('parses providers as a bare or wrapped array', () => {
    assert.deepEqual(normalizeProviders('GET /api/providers', json(['sesterce', 'verda'])), [
      'sesterce',
      'verda',
    ]);
    assert.deepEqual(normalizeProviders('GET /api/providers', json({ data: ['a'] })), ['a']);
    assert.deepEqual(normalizeProviders('GET /api/providers', json([1, 'sesterce'])), ['sesterce']);
    assert.equal(
      schemaError(() => normalizeProviders('GET /api/providers', json({ data: 1 }))).issuePath,
      'data',
    );
  });

  describe('bodies that are not JSON', () => {
    it('reports truncated JSON with an empty path', () => {
      const error = schemaError(() => normalizeBalance('GET /api/balance', '{"teams": ['));
      assert.equal(error.issuePath, '');
      assert.equal(error.issue, 'invalid JSON');
      assert.equal(error.endpoint, 'GET /api/balance');
    });

    it('reports an empty body', () => {
      assert.equal(schemaError(() => normalizeTeams('GET /api/teams', '')).issue, 'empty body');
    });
  });

  describe('deployments', () => {
    const endpoint = 'GET /api/deployments/{id}';

    it('maps the create answer, with nulls for the SSH fields', () => {
      const deployment = normalizeDeployment(endpoint, json(fixtures.createdDeployment));
      assert.equal(deployment.id, '6a0123456789abcdef012345');
      assert.equal(deployment.provider, 'spheron-ai');
      assert.equal(deployment.gpuType, 'A4000_PCIE');
      assert.equal(deployment.status, 'deploying');
      assert.equal(deployment.ipAddress, null);
      assert.equal(deployment.sshUser, null);
      assert.equal(deployment.sshPort, null);
      assert.equal(deployment.createdAtMs, Date.parse('2026-05-15T11:43:31Z'));
      assert.equal(deployment.startedAtMs, null);
    });

    it('maps a running deployment', () => {
      const deployment = normalizeDeployment(endpoint, json(fixtures.runningDeployment));
      assert.equal(deployment.status, 'running');
      assert.equal(deployment.sshUser, 'ubuntu');
      assert.equal(deployment.sshPort, 22);
      assert.equal(deployment.sshCommand, 'ssh ubuntu@198.51.100.42 -p 22');
      assert.equal(deployment.hourlyRate, 2.39);
    });

    it('accepts _id or deploymentId instead of id, and a {deployment} wrapper', () => {
      const { id, ...rest } = fixtures.createdDeployment;
      assert.equal(normalizeDeployment(endpoint, json({ ...rest, _id: id })).id, id);
      assert.equal(normalizeDeployment(endpoint, json({ ...rest, deploymentId: id })).id, id);
      assert.equal(normalizeDeployment(endpoint, json({ deployment: fixtures.createdDeployment })).id, id);
    });

    it('keeps an unknown status as unknown with the raw text', () => {
      const deployment = normalizeDeployment(
        endpoint,
        json({ ...fixtures.runningDeployment, status: 'hibernating' }),
      );
      assert.equal(deployment.status, 'unknown');
      assert.equal(deployment.rawStatus, 'hibernating');
    });

    it('does not coerce a status that differs only in case', () => {
      const deployment = normalizeDeployment(
        endpoint,
        json({ ...fixtures.runningDeployment, status: 'RUNNING' }),
      );
      assert.equal(deployment.status, 'unknown');
      assert.equal(deployment.rawStatus, 'RUNNING');
    });

    it('tolerates missing optional fields (region, sshCommand) and extra ones (portForwards)', () => {
      const { region: _region, sshCommand: _sshCommand, ...rest } = fixtures.runningDeployment;
      const deployment = normalizeDeployment(
        endpoint,
        json({ ...rest, portForwards: [{ external: 2222, internal: 22 }], somethingNew: { nested: true } }),
      );
      assert.equal(deployment.region, '');
      assert.equal(deployment.sshCommand, null);
    });

    it('fails without any id', () => {
      const { id: _id, ...rest } = fixtures.createdDeployment;
      const error = schemaError(() => normalizeDeployment(endpoint, json(rest)));
      assert.equal(error.issuePath, 'id');
      assert.equal(error.endpoint, endpoint);
    });

    it('fails on an unparseable date', () => {
      const error = schemaError(() =>
        normalizeDeployment(endpoint, json({ ...fixtures.createdDeployment, createdAt: 'yesterday' })),
      );
      assert.equal(error.issuePath, 'createdAt');
    });

    it('reads lists bare, wrapped as {data} or {deployments}, with their page count', () => {
      const list = 'GET /api/deployments';
      assert.equal(normalizeDeploymentPage(list, json([fixtures.createdDeployment])).items.length, 1);
      assert.equal(
        normalizeDeploymentPage(list, json({ data: [fixtures.createdDeployment] })).items.length,
        1,
      );
      const wrapped = normalizeDeploymentPage(
        list,
        json({ deployments: [fixtures.createdDeployment], totalPages: 2 }),
      );
      assert.equal(wrapped.items.length, 1);
      assert.equal(wrapped.totalPages, 2);
    });

    it('keeps the readable instances and names the element it left out', () => {
      const warnings: string[] = [];
      const page = normalizeDeploymentPage(
        'GET /api/deployments',
        json({ deployments: [fixtures.createdDeployment, { ...fixtures.createdDeployment, status: 7 }] }),
        (line) => warnings.push(line),
      );
      assert.deepEqual(
        page.items.map((item) => item.id),
        [fixtures.createdDeployment.id],
      );
      assert.equal(page.rejected, 1);
      assert.match(warnings[0] ?? '', /left out item deployments\.1 .*status: expected string/);
    });

    it('keeps an instance without instanceType, vcpus, memory and storage, showing them as unknown', () => {
      const {
        instanceType: _type,
        vcpus: _vcpus,
        memory: _memory,
        storage: _storage,
        providerId: _provider,
        ...partial
      } = fixtures.runningDeployment;
      const deployment = normalizeDeployment(
        'GET /api/deployments/{id}',
        json({ ...partial, deploymentId: partial.id, id: undefined, gpuCount: '1', hourlyRate: '2.39' }),
      );
      assert.equal(deployment.id, fixtures.runningDeployment.id);
      assert.equal(deployment.instanceType, '');
      assert.equal(deployment.provider, '');
      assert.equal(deployment.vcpus, null);
      assert.equal(deployment.memoryGb, null);
      assert.equal(deployment.storageGb, null);
      assert.equal(deployment.gpuCount, 1);
      assert.equal(deployment.hourlyRate, 2.39);
    });

    it('takes the SSH user and port from sshCommand when user and sshPort are absent', () => {
      const deployment = normalizeDeployment(
        'GET /api/deployments/{id}',
        json({
          ...fixtures.runningDeployment,
          user: undefined,
          sshPort: null,
          sshCommand: 'ssh -i ~/.ssh/id_ed25519 root@198.51.100.42 -p 2222',
        }),
      );
      assert.equal(deployment.sshUser, 'root');
      assert.equal(deployment.sshPort, 2222);
    });

    it("keeps the API's explicit user and port over sshCommand, and says they disagree", () => {
      const warnings: string[] = [];
      const deployment = normalizeDeployment(
        'GET /api/deployments/{id}',
        json({
          ...fixtures.runningDeployment,
          user: 'ubuntu',
          sshPort: 22,
          sshCommand: 'ssh -p 2200 root@198.51.100.42',
        }),
        (line) => warnings.push(line),
      );
      assert.equal(deployment.sshUser, 'ubuntu');
      assert.equal(deployment.sshPort, 22);
      assert.equal(warnings.length, 2);
      assert.match(warnings[0] ?? '', /user “ubuntu” differs from its sshCommand's “root”; using “ubuntu”/);
      assert.match(warnings[1] ?? '', /sshPort 22 differs from its sshCommand's 2200; using 22/);
    });

    it('reads a terminate answer', () => {
      const result = normalizeTerminate(
        'DELETE /api/deployments/{id}',
        json({
          message: 'Instance destruction initiated',
          deployment: { id: 'd1', status: 'terminated', stoppedAt: '2026-07-20T12:00:00Z' },
        }),
        'd1',
      );
      assert.deepEqual(result, {
        id: 'd1',
        alreadyTerminated: false,
        status: 'terminated',
        stoppedAtMs: Date.parse('2026-07-20T12:00:00Z'),
      });
      assert.equal(
        schemaError(() => normalizeTerminate('DELETE /api/deployments/{id}', json({ ok: true }), 'd1'))
          .issuePath,
        'deployment',
      );
    });

    it('reads can-terminate', () => {
      const result = normalizeCanTerminate(
        'GET /api/deployments/{id}/can-terminate',
        json({
          canTerminate: false,
          runtime: 5,
          minimumRuntime: 20,
          timeRemaining: 15,
          reason: 'Minimum runtime not met',
        }),
      );
      assert.deepEqual(result, {
        canTerminate: false,
        runtimeMinutes: 5,
        minimumRuntimeMinutes: 20,
        timeRemainingMinutes: 15,
        reason: 'Minimum runtime not met',
      });
    });
  });

  describe('ssh keys', () => {
    it('reads one key, a list bare or as {sshKeys}, and _id', () => {
      assert.equal(normalizeSshKey('GET /api/ssh-keys/{id}', json(fixtures.sshKey)).name, 'dev-laptop');
      assert.equal(normalizeSshKeys('GET /api/ssh-keys', json({ sshKeys: [fixtures.sshKey] })).length, 1);
      const { id, ...rest } = fixtures.sshKey;
      const [key] = normalizeSshKeys('GET /api/ssh-keys', json([{ ...rest, _id: id }]));
      assert.equal(key?.id, id);
      assert.equal(key?.createdAtMs, Date.parse('2026-09-01T10:00:00Z'));
    });

    it('accepts an empty or JSON acknowledgement of a delete, not garbage', () => {
      checkAcknowledgement('DELETE /api/ssh-keys/{id}', '');
      checkAcknowledgement('DELETE /api/ssh-keys/{id}', json({ success: true }));
      assert.equal(
        schemaError(() => checkAcknowledgement('DELETE /api/ssh-keys/{id}', 'ok')).issue,
        'invalid JSON',
      );
    });
  });

  describe('volumes', () => {
    it('reads a volume and a paged list, keeping an unknown status raw', () => {
      const one = normalizeVolume('GET /api/volumes/{id}', json(fixtures.volume));
      assert.equal(one.id, fixtures.volume.id);
      assert.equal(one.providerVolumeId, 'vp-vol-01');
      assert.equal(one.sizeGb, 1024);
      assert.equal(one.hourlyRatePerGb, 0.000109);
      const page = normalizeVolumePage(
        'GET /api/volumes',
        json({ volumes: [{ ...fixtures.volume, status: 'resizing' }], total: 41, page: 1, limit: 20 }),
      );
      assert.equal(page.totalPages, 3);
      assert.equal(page.items[0]?.status, 'unknown');
      assert.equal(page.items[0]?.rawStatus, 'resizing');
    });

    it('reads pricing and regions', () => {
      assert.deepEqual(
        normalizeVolumePricing('GET /api/volumes/pricing', json({ hourlyRatePerGb: 0.0002 }), 'data-crunch'),
        { provider: 'data-crunch', hourlyRatePerGb: 0.0002 },
      );
      const regions = normalizeVolumeRegions('GET /api/volumes/regions', json(fixtures.volumeRegions));
      assert.equal(regions.hasAnyOffers, true);
      assert.equal(regions.regions[0]?.maxSizeGb, 10240);
    });
  });

  describe('balance and teams', () => {
    it('reads the balance example', () => {
      assert.deepEqual(normalizeBalance('GET /api/balance', json(fixtures.balance)), {
        teams: [
          {
            teamId: '66f1c0ffee00000000000a01',
            teamName: 'research',
            balance: 250,
            isCurrentTeam: true,
            role: 'owner',
          },
        ],
        currency: 'USD',
      });
    });

    it('reads teams bare or as {teams}, with _id and roles in any case', () => {
      const teams = normalizeTeams(
        'GET /api/teams',
        json({
          teams: [
            { _id: 't1', name: 'research', role: 'Admin' },
            { id: 't2', role: 'billing' },
          ],
        }),
      );
      assert.deepEqual(
        teams.map((team) => [team.id, team.role]),
        [
          ['t1', 'admin'],
          ['t2', 'unknown'],
        ],
      );
    });
  });
});
