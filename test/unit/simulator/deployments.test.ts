import * as assert from 'node:assert/strict';
import type { WireBalance, WireCanTerminate, WireDeployment } from '../../simulator';
import { SEED_IDS, SEED_PUBLIC_KEY, startSimulator } from '../../simulator';
import { call, createBody, TEAM_ID, useSimulator } from './helpers';

interface TerminateBody {
  readonly message: string;
  readonly deployment: {
    readonly id?: string;
    readonly _id?: string;
    readonly status: string;
    readonly stoppedAt: string;
  };
}

/** A frozen wall clock: only advanceClock moves time, so costs and runtimes are exact. */
const T0 = Date.parse('2026-11-20T12:00:00.000Z');

describe('simulator: deployments', () => {
  const sim = useSimulator({ wallClock: () => T0 });

  async function create(overrides: Record<string, unknown> = {}): Promise<WireDeployment> {
    const res = await call<WireDeployment>(sim(), 'POST', '/api/deployments', {
      body: createBody(overrides),
    });
    assert.equal(res.status, 201, res.text);
    return res.body;
  }

  async function get(id: string): Promise<WireDeployment> {
    const res = await call<WireDeployment>(sim(), 'GET', `/api/deployments/${id}`);
    assert.equal(res.status, 200, res.text);
    return res.body;
  }

  async function balance(teamId: string = TEAM_ID): Promise<number> {
    const res = await call<WireBalance>(sim(), 'GET', '/api/balance');
    const team = res.body.teams.find((t) => t.teamId === teamId);
    assert.ok(team);
    return team.balance;
  }

  describe('seed', () => {
    it('lists one running (started 80 minutes ago) and one terminated deployment', async () => {
      const res = await call<WireDeployment[]>(sim(), 'GET', '/api/deployments');
      assert.equal(res.status, 200);
      assert.deepEqual(
        res.body.map((d) => [d.id, d.status]),
        [
          [SEED_IDS.runningDeployment, 'running'],
          [SEED_IDS.terminatedDeployment, 'terminated'],
        ],
      );
      const running = res.body[0];
      assert.equal(running.providerId, 'massed-compute');
      assert.equal(running.offerId, 'gpu_1x_pro_6000_blackwell_us-central-9');
      assert.equal(running.hourlyRate, 2.39);
      assert.equal(running.originalHourlyRate, 2.39);
      assert.equal(running.ipAddress, '198.51.100.42');
      assert.equal(running.user, 'ubuntu');
      assert.equal(running.sshPort, 22);
      assert.equal(running.sshCommand, 'ssh ubuntu@198.51.100.42 -p 22');
      assert.equal(Date.parse(running.startedAt ?? ''), T0 - 80 * 60_000);
      assert.equal(running.totalCost, 3.186667);
      assert.equal(await balance(), 250);
    });

    it('seeds no deployments when seedDeployments is false', async () => {
      const empty = await startSimulator({ seedDeployments: false });
      try {
        const res = await call<WireDeployment[]>(empty, 'GET', '/api/deployments');
        assert.deepEqual(res.body, []);
      } finally {
        await empty.close();
      }
    });
  });

  describe('create', () => {
    it('answers 201 with a deploying Deployment carrying every contract field', async () => {
      const d = await create();
      assert.match(d.id ?? '', /^[0-9a-f]{24}$/);
      assert.equal(d.status, 'deploying');
      assert.equal(d.providerId, 'spheron-ai');
      assert.equal(d.gpuModelId, 'RTX5090_PCIE');
      assert.equal(d.region, 'CANADA-1');
      assert.equal(d.instanceType, 'DEDICATED');
      assert.equal(d.name, 'test-vm');
      assert.equal(d.sshKeyId, SEED_IDS.sshKey);
      assert.equal(d.sshKeyName, 'dev-laptop');
      assert.equal(d.ipAddress, null);
      assert.equal(d.user, null);
      assert.equal(d.sshPort, null);
      assert.equal(d.sshCommand, null);
      assert.equal(d.startedAt, null);
      assert.equal(d.stoppedAt, null);
      assert.equal(d.totalCost, 0);
      assert.equal(d.hourlyRate, 0.76);
      assert.equal(d.vcpus, 16);
      for (const key of [
        'tempSshKeyId',
        'lastCreditDeduction',
        'discountPercentage',
        'hasDiscount',
        'createdAt',
      ]) {
        assert.ok(key in d, key);
      }
    });

    const cases: [string, Record<string, unknown>, number, RegExp][] = [
      ['missing teamId', { teamId: undefined }, 400, /^Team ID is required for authenticated deployments$/],
      ['empty teamId', { teamId: '' }, 400, /^Team ID is required for authenticated deployments$/],
      ['a team the key cannot use', { teamId: '66f1c0ffee0000000000ffff' }, 403, /access to this team/],
      [
        'missing offer fields',
        { offerId: undefined, region: undefined },
        400,
        /Missing required fields: offerId, region/,
      ],
      ['gpuCount as a string', { gpuCount: '1' }, 400, /gpuCount must be a number/],
      ['an unknown offer', { offerId: 'nope' }, 400, /Offer nope was not found/],
      [
        'the wrong provider for the offer',
        { provider: 'tensordock' },
        400,
        /not found for provider tensordock/,
      ],
      [
        'a gpuType of another group',
        { gpuType: 'RTX4090_PCIE' },
        400,
        /gpuType RTX4090_PCIE \(offer: RTX5090_PCIE\)/,
      ],
      ['the docs-style gpuType', { gpuType: 'rtx-5090' }, 400, /does not match offer/],
      ['a different gpuCount', { gpuCount: 2 }, 400, /gpuCount 2 \(offer: 1\)/],
      ['a different instanceType', { instanceType: 'SPOT' }, 400, /instanceType SPOT \(offer: DEDICATED\)/],
      ['a region not in clusters', { region: 'us-east-1' }, 400, /Region us-east-1 is not available/],
      [
        'an OS not in os_options',
        { operatingSystem: 'ubuntu-22.04' },
        400,
        /Operating system "ubuntu-22.04"/,
      ],
      ['no SSH key at all', { sshKeyId: undefined }, 400, /send sshKeyId or ssh_public_key/],
      ['both SSH key forms', { ssh_public_key: SEED_PUBLIC_KEY }, 400, /not both/],
      ['an unknown sshKeyId', { sshKeyId: '66f1c0ffee00000000000bff' }, 400, /SSH key .* was not found/],
      [
        'a garbage ssh_public_key',
        { sshKeyId: undefined, ssh_public_key: 'ssh-rsa nope' },
        400,
        /Invalid SSH public key/,
      ],
      ['malformed cloudInit', { cloudInit: { runcmd: 'echo hi' } }, 400, /cloudInit.runcmd must be an array/],
      [
        'bad writeFiles permissions',
        { cloudInit: { writeFiles: [{ path: '/a', content: 'b', permissions: 'rw' }] } },
        400,
        /octal/,
      ],
      ['an unknown volume', { volumeIds: ['66f1c0ffee00000000000cff'] }, 400, /Volume .* was not found/],
      ['a volume of another provider', { volumeIds: [SEED_IDS.voltageParkVolume] }, 400, /does not match/],
      [
        'a Kubernetes add-on on a plain VM',
        { kubernetesAddon: { version: '1.35', authentication_config_b64: 'e30=' } },
        400,
        /Kubernetes/,
      ],
    ];
    for (const [what, overrides, status, message] of cases) {
      it(`refuses ${what} (${status}) and creates nothing`, async () => {
        const before = sim().state.deployments.length;
        const res = await call(sim(), 'POST', '/api/deployments', { body: createBody(overrides) });
        assert.equal(res.status, status, res.text);
        assert.match(res.body.message, message);
        assert.equal(typeof res.body.error, 'string');
        assert.equal(sim().state.deployments.length, before);
      });
    }

    it('refuses a maintenance offer even though it says available', async () => {
      const res = await call(sim(), 'POST', '/api/deployments', {
        body: createBody({
          provider: 'data-crunch',
          offerId: 'dc-1a100-80g-sxm4-fin03',
          gpuType: 'A100_80G_SXM4',
          region: 'FIN-03',
          operatingSystem: 'Ubuntu 22.04 CUDA 12.4',
        }),
      });
      assert.equal(res.status, 400);
      assert.match(res.body.message, /maintenance/);
    });

    const sesterce = {
      provider: 'sesterce',
      offerId: 'ses-l40s-1x-kc',
      gpuType: 'L40S_PCIE',
      region: '166e655a:culpeper-usa-1',
      operatingSystem: 'AlmaLinux 9 Plain',
    };

    it('refuses cloudInit on an offer without cloud-init support, accepts the same offer without it', async () => {
      const refused = await call(sim(), 'POST', '/api/deployments', {
        body: createBody({ ...sesterce, cloudInit: { runcmd: ['echo hi'] } }),
      });
      assert.equal(refused.status, 400);
      assert.match(refused.body.message, /does not support startup scripts/);
      const d = await create(sesterce);
      assert.equal(d.region, '166e655a:culpeper-usa-1', 'prefixed region kept verbatim');
    });

    it('accepts cloudInit where supported and a raw ssh_public_key (minting a temporary key)', async () => {
      const d = await create({
        sshKeyId: undefined,
        ssh_public_key: SEED_PUBLIC_KEY,
        cloudInit: {
          packages: ['htop'],
          runcmd: ['nvidia-smi'],
          writeFiles: [{ path: '/etc/motd', content: 'aGk=', permissions: '0644', encoding: 'b64' }],
        },
      });
      assert.equal(d.sshKeyId, null);
      assert.match(d.tempSshKeyId ?? '', /^[0-9a-f]{24}$/);
      assert.equal(d.sshKeyFingerprint, 'SHA256:3Fj3io/UBCtL32oaSkY1mSligAmGZmKMVlILmq3RHHA');
    });

    it('accepts a CPU-only offer with gpuCount 0', async () => {
      const d = await create({
        provider: 'massed-compute',
        offerId: 'cpu_small_us-central-3',
        gpuType: 'CPU',
        gpuCount: 0,
        region: 'us-central-3',
        operatingSystem: 'Ubuntu Server 22.04',
      });
      assert.equal(d.gpuCount, 0);
      assert.equal(d.hourlyRate, 0.12);
    });

    it('refuses when the balance is under $3 or under the minimum runtime at the offer rate (402)', async () => {
      sim().setBalance(2.99);
      const small = await call(sim(), 'POST', '/api/deployments', { body: createBody() });
      assert.equal(small.status, 402);
      assert.equal(small.body.error, 'Insufficient balance');
      assert.equal(small.body.code, 'INSUFFICIENT_BALANCE');
      assert.match(small.body.message, /^Insufficient balance: this deployment needs at least \$3\.00 /);

      // B200 ×8: 57.6071 $/h × 20 min = $19.20; the second team has $12.50.
      const b200 = createBody({
        provider: 'spheron-ai',
        offerId: 'sai-b200-8x-ca1',
        gpuType: 'B200_SXM6',
        gpuCount: 8,
        teamId: SEED_IDS.secondTeam,
      });
      const big = await call(sim(), 'POST', '/api/deployments', { body: b200 });
      assert.equal(big.status, 402);
      assert.match(big.body.message, /needs at least \$19\.20/);
      sim().setBalance(19.21, SEED_IDS.secondTeam);
      const enough = await call(sim(), 'POST', '/api/deployments', { body: b200 });
      assert.equal(enough.status, 201);
    });

    it('uses 400 for insufficient balance when configured', async () => {
      sim().configure({ insufficientBalanceStatus: 400 });
      sim().setBalance(0);
      const res = await call(sim(), 'POST', '/api/deployments', { body: createBody() });
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 'INSUFFICIENT_BALANCE');
    });

    it('attaches volumes given at launch', async () => {
      const d = await create({
        provider: 'data-crunch',
        offerId: 'dc-1h100-sxm5-spot',
        gpuType: 'H100_SXM5',
        instanceType: 'SPOT',
        region: 'FIN-01',
        operatingSystem: 'Ubuntu 22.04 CUDA 12.4',
        volumeIds: [SEED_IDS.dataCrunchVolume],
      });
      const volume = sim().state.volumes.find((v) => v.id === SEED_IDS.dataCrunchVolume);
      assert.deepEqual(volume?.attachedToDeploymentIds, [d.id]);
    });
  });

  describe('lifecycle', () => {
    it('sets the IP after ipAssignDelaySeconds and goes running after deployDelaySeconds', async () => {
      const d = await create();
      const id = d.id ?? '';
      assert.equal((await get(id)).ipAddress, null);
      sim().advanceClock(1);
      const addressed = await get(id);
      assert.equal(addressed.status, 'deploying');
      assert.match(addressed.ipAddress ?? '', /^203\.0\.113\.\d+$/);
      assert.equal(addressed.user, 'ubuntu');
      assert.equal(addressed.sshPort, 22);
      assert.equal(addressed.sshCommand, null);
      sim().advanceClock(43);
      assert.equal((await get(id)).status, 'deploying');
      sim().advanceClock(1);
      const running = await get(id);
      assert.equal(running.status, 'running');
      assert.equal(Date.parse(running.startedAt ?? ''), Date.parse(d.createdAt) + 45_000);
      assert.equal(running.sshCommand, `ssh ubuntu@${running.ipAddress} -p 22`);
    });

    it('reports root for images without Ubuntu in the OS name', async () => {
      const d = await create({
        provider: 'sesterce',
        offerId: 'ses-l40s-1x-kc',
        gpuType: 'L40S_PCIE',
        region: 'kansascity-usa-1',
        operatingSystem: 'AlmaLinux 9 Plain',
      });
      sim().advanceClock(60);
      const running = await get(d.id ?? '');
      assert.equal(running.user, 'root');
    });

    it('honours deployDelaySeconds and ipAssignDelaySeconds options', async () => {
      sim().configure({ deployDelaySeconds: 5, ipAssignDelaySeconds: 3 });
      const d = await create();
      sim().advanceClock(2);
      assert.equal((await get(d.id ?? '')).ipAddress, null);
      sim().advanceClock(3);
      assert.equal((await get(d.id ?? '')).status, 'running');
    });

    it('reports the sshHost/sshPort/sshUser overrides for every deployment', async () => {
      sim().configure({ sshHost: '127.0.0.1', sshPort: 2222, sshUser: 'tester' });
      const d = await create();
      sim().advanceClock(60);
      const running = await get(d.id ?? '');
      assert.equal(running.ipAddress, '127.0.0.1');
      assert.equal(running.sshPort, 2222);
      assert.equal(running.user, 'tester');
      assert.equal(running.sshCommand, 'ssh tester@127.0.0.1 -p 2222');
      const seeded = await get(SEED_IDS.runningDeployment);
      assert.equal(seeded.ipAddress, '127.0.0.1');
    });

    it('lets the admin API set failed, terminated-provider, stopped or an unknown status, which then sticks', async () => {
      const d = await create();
      const id = d.id ?? '';
      sim().setDeploymentStatus(id, 'failed');
      sim().advanceClock(120);
      const failed = await get(id);
      assert.equal(failed.status, 'failed');
      assert.notEqual(failed.stoppedAt, null);
      sim().setDeploymentStatus(SEED_IDS.runningDeployment, 'warming-up');
      assert.equal((await get(SEED_IDS.runningDeployment)).status, 'warming-up');
      sim().setDeploymentStatus(SEED_IDS.runningDeployment, 'terminated-provider');
      assert.equal((await get(SEED_IDS.runningDeployment)).status, 'terminated-provider');
      assert.throws(() => sim().setDeploymentStatus('66f1c0ffee0000000000dfff', 'running'), /not found/);
    });
  });

  describe('billing', () => {
    it('debits the balance per second at the hourly rate of running deployments', async () => {
      const start = await balance();
      sim().advanceClock(3600);
      const afterHour = await balance();
      assert.ok(Math.abs(start - afterHour - 2.39) < 1e-6, `${start} → ${afterHour}`);
      const seeded = await get(SEED_IDS.runningDeployment);
      assert.ok(Math.abs(seeded.totalCost - (2.39 * 140) / 60) < 1e-5, String(seeded.totalCost));
      sim().advanceClock(10);
      assert.ok(Math.abs(afterHour - (await balance()) - (2.39 * 10) / 3600) < 1e-6);
    });

    it('bills a new deployment from startedAt, not while deploying', async () => {
      sim().setDeploymentStatus(SEED_IDS.runningDeployment, 'terminated');
      const d = await create();
      const start = await balance();
      sim().advanceClock(40);
      assert.equal(await balance(), start, 'deploying does not bill');
      assert.equal((await get(d.id ?? '')).totalCost, 0);
      sim().advanceClock(5 + 3600);
      const running = await get(d.id ?? '');
      assert.equal(running.status, 'running');
      assert.ok(Math.abs(running.totalCost - 0.76) < 1e-6, String(running.totalCost));
      assert.ok(Math.abs(start - (await balance()) - 0.76) < 1e-6);
      assert.notEqual(running.lastCreditDeduction, null);
    });

    it('keeps billing a stopped deployment and stops billing on termination', async () => {
      sim().setDeploymentStatus(SEED_IDS.runningDeployment, 'stopped');
      const start = await balance();
      sim().advanceClock(1800);
      const stopped = await balance();
      assert.ok(Math.abs(start - stopped - 2.39 / 2) < 1e-6);
      const del = await call(sim(), 'DELETE', `/api/deployments/${SEED_IDS.runningDeployment}`);
      assert.equal(del.status, 200);
      sim().advanceClock(3600);
      assert.equal(await balance(), stopped);
    });

    it('bills each team separately', async () => {
      const res = await call<WireDeployment>(sim(), 'POST', '/api/deployments', {
        body: createBody({ teamId: SEED_IDS.secondTeam }),
      });
      assert.equal(res.status, 201);
      sim().setDeploymentStatus(SEED_IDS.runningDeployment, 'terminated');
      const research = await balance();
      sim().advanceClock(45 + 3600);
      assert.equal(await balance(), research);
      assert.ok(Math.abs(12.5 - (await balance(SEED_IDS.secondTeam)) - 0.76) < 1e-6);
    });
  });

  describe('terminate and can-terminate', () => {
    it('refuses DELETE inside the minimum runtime with the live 400 body', async () => {
      const d = await create();
      sim().advanceClock(45 + 5 * 60 + 30);
      const res = await call(sim(), 'DELETE', `/api/deployments/${d.id}`);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, {
        error: 'Minimum runtime not met',
        message: 'Instance must run for at least 20 minutes. Time remaining: 15 minutes.',
        canTerminate: false,
        timeRemaining: 15,
        minimumRuntime: 20,
      });
      const check = await call<WireCanTerminate>(sim(), 'GET', `/api/deployments/${d.id}/can-terminate`);
      assert.equal(check.status, 200);
      assert.deepEqual(check.body, {
        canTerminate: false,
        runtime: 5,
        minimumRuntime: 20,
        timeRemaining: 15,
        reason: 'Minimum runtime not met',
      });
      assert.equal((await get(d.id ?? '')).status, 'running');
    });

    it('counts from createdAt while still deploying', async () => {
      sim().configure({ deployDelaySeconds: 100_000 });
      const d = await create();
      sim().advanceClock(60);
      const res = await call(sim(), 'DELETE', `/api/deployments/${d.id}`);
      assert.equal(res.status, 400);
      assert.equal(res.body.timeRemaining, 19);
      sim().advanceClock(19 * 60);
      const ok = await call(sim(), 'DELETE', `/api/deployments/${d.id}`);
      assert.equal(ok.status, 200);
    });

    it('terminates once the window has passed, reports stoppedAt and detaches volumes', async () => {
      const d = await create({
        provider: 'data-crunch',
        offerId: 'dc-1h100-sxm5-spot',
        gpuType: 'H100_SXM5',
        instanceType: 'SPOT',
        region: 'FIN-01',
        operatingSystem: 'Ubuntu 22.04 CUDA 12.4',
        volumeIds: [SEED_IDS.dataCrunchVolume],
      });
      sim().advanceClock(45 + 20 * 60);
      const check = await call<WireCanTerminate>(sim(), 'GET', `/api/deployments/${d.id}/can-terminate`);
      assert.deepEqual(check.body, { canTerminate: true, runtime: 20, minimumRuntime: 20, timeRemaining: 0 });
      const res = await call<TerminateBody>(sim(), 'DELETE', `/api/deployments/${d.id}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.message, 'Instance destruction initiated');
      assert.equal(res.body.deployment.id, d.id);
      assert.equal(res.body.deployment.status, 'terminated');
      assert.equal(Date.parse(res.body.deployment.stoppedAt), sim().nowMs());
      const after = await get(d.id ?? '');
      assert.equal(after.status, 'terminated');
      assert.equal(after.stoppedAt, res.body.deployment.stoppedAt);
      const volume = sim().state.volumes.find((v) => v.id === SEED_IDS.dataCrunchVolume);
      assert.deepEqual(volume?.attachedToDeploymentIds, []);
      assert.equal(volume?.status, 'available');
    });

    it('answers the already-terminated 400 for a terminated deployment', async () => {
      const res = await call(sim(), 'DELETE', `/api/deployments/${SEED_IDS.terminatedDeployment}`);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, {
        error: 'Cannot terminate instance',
        message: 'Instance has already been terminated.',
        currentStatus: 'terminated',
        canTerminate: false,
      });
      const check = await call<WireCanTerminate>(
        sim(),
        'GET',
        `/api/deployments/${SEED_IDS.terminatedDeployment}/can-terminate`,
      );
      assert.equal(check.body.canTerminate, false);
      assert.equal(check.body.runtime, 180);
    });

    it('reports currentStatus terminated-provider for a reclaimed deployment', async () => {
      sim().setDeploymentStatus(SEED_IDS.runningDeployment, 'terminated-provider');
      const res = await call(sim(), 'DELETE', `/api/deployments/${SEED_IDS.runningDeployment}`);
      assert.equal(res.status, 400);
      assert.equal(res.body.currentStatus, 'terminated-provider');
    });

    it('uses the offer minimumRuntimeMinutes over the configured one', async () => {
      sim().setBalance(1000);
      const d = await create({
        provider: 'voltage-park',
        offerId: 'vp-h100-sxm5-8x-ib',
        gpuType: 'H100_SXM5',
        gpuCount: 8,
        instanceType: 'CLUSTER',
        region: 'Dallas, TX',
        operatingSystem: 'ubuntu-22.04',
      });
      sim().advanceClock(45 + 30 * 60);
      const res = await call(sim(), 'DELETE', `/api/deployments/${d.id}`);
      assert.equal(res.status, 400);
      assert.equal(
        res.body.message,
        'Instance must run for at least 60 minutes. Time remaining: 30 minutes.',
      );
      assert.equal(res.body.minimumRuntime, 60);
    });

    it('uses the configured minimum runtime', async () => {
      sim().configure({ minimumRuntimeMinutes: 5 });
      const d = await create();
      sim().advanceClock(45 + 4 * 60 + 1);
      const early = await call(sim(), 'DELETE', `/api/deployments/${d.id}`);
      assert.equal(early.body.timeRemaining, 1);
      assert.equal(early.body.minimumRuntime, 5);
      sim().advanceClock(59);
      assert.equal((await call(sim(), 'DELETE', `/api/deployments/${d.id}`)).status, 200);
    });

    it('answers 404 for unknown ids', async () => {
      for (const [method, path] of [
        ['GET', '/api/deployments/66f1c0ffee0000000000dfff'],
        ['DELETE', '/api/deployments/66f1c0ffee0000000000dfff'],
        ['PATCH', '/api/deployments/not-an-object-id'],
        ['GET', '/api/deployments/66f1c0ffee0000000000dfff/can-terminate'],
      ]) {
        const res = await call(sim(), method, path, method === 'PATCH' ? { body: { name: 'x' } } : {});
        assert.equal(res.status, 404, `${method} ${path}`);
      }
    });
  });

  describe('rename', () => {
    it('renames and changes nothing else', async () => {
      const res = await call<WireDeployment>(
        sim(),
        'PATCH',
        `/api/deployments/${SEED_IDS.runningDeployment}`,
        {
          body: { name: 'renamed' },
        },
      );
      assert.equal(res.status, 200);
      assert.equal(res.body.name, 'renamed');
      assert.equal((await get(SEED_IDS.runningDeployment)).name, 'renamed');
    });

    it('refuses any other field and empty names', async () => {
      for (const body of [{ name: 'x', region: 'FIN-01' }, { gpuCount: 2 }, { name: '' }, { name: 42 }]) {
        const res = await call(sim(), 'PATCH', `/api/deployments/${SEED_IDS.runningDeployment}`, { body });
        assert.equal(res.status, 400, JSON.stringify(body));
      }
      assert.equal((await get(SEED_IDS.runningDeployment)).name, 'pro6000-dev');
    });
  });

  describe('list', () => {
    it('filters by status (active, inactive, concrete) and team, keeping terminated ones listed', async () => {
      const created = await create({ teamId: SEED_IDS.secondTeam });
      const ids = async (query: string): Promise<string[]> =>
        (await call<WireDeployment[]>(sim(), 'GET', `/api/deployments${query}`)).body.map((d) => d.id ?? '');
      assert.deepEqual(await ids('?status=active'), [created.id, SEED_IDS.runningDeployment]);
      assert.deepEqual(await ids('?status=inactive'), [SEED_IDS.terminatedDeployment]);
      assert.deepEqual(await ids('?status=deploying'), [created.id]);
      assert.deepEqual(await ids('?status=terminated'), [SEED_IDS.terminatedDeployment]);
      assert.deepEqual(await ids(`?teamId=${SEED_IDS.secondTeam}`), [created.id]);
      assert.deepEqual(await ids(`?teamId=${TEAM_ID}&status=active`), [SEED_IDS.runningDeployment]);
      sim().setDeploymentStatus(SEED_IDS.runningDeployment, 'stopped');
      assert.ok((await ids('?status=active')).includes(SEED_IDS.runningDeployment), 'stopped is active');
      sim().setDeploymentStatus(created.id ?? '', 'failed');
      assert.deepEqual(
        (await ids('?status=inactive')).sort(),
        [created.id, SEED_IDS.terminatedDeployment].sort(),
      );
      assert.equal((await ids('')).length, 3);
    });

    it("wraps the list as {data:[…]} when listShape is 'wrapped'", async () => {
      sim().configure({ listShape: 'wrapped' });
      const res = await call<{ data: WireDeployment[] }>(sim(), 'GET', '/api/deployments');
      assert.equal(res.body.data.length, 2);
    });

    it("uses _id instead of id when idField is '_id'", async () => {
      sim().configure({ idField: '_id' });
      const list = await call<WireDeployment[]>(sim(), 'GET', '/api/deployments');
      assert.equal(list.body[0]._id, SEED_IDS.runningDeployment);
      assert.equal('id' in list.body[0], false);
      const created = await create();
      assert.match(created._id ?? '', /^[0-9a-f]{24}$/);
      assert.equal((await get(created._id ?? ''))._id, created._id);
      sim().advanceClock(45 + 20 * 60);
      const del = await call<TerminateBody>(sim(), 'DELETE', `/api/deployments/${created._id}`);
      assert.equal(del.body.deployment._id, created._id);
    });
  });
});
