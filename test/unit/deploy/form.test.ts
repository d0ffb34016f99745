import * as assert from 'node:assert/strict';
import { buildCreateDeploymentRequest, InvalidDeployFormError } from '../../../src/core/deploy/createRequest';
import {
  emptyDeployForm,
  initialDeployForm,
  parseCommands,
  parsePackages,
  validateDeployForm,
} from '../../../src/core/deploy/deployForm';
import type {
  DeployFormContext,
  DeployFormValues,
  ValidDeployForm,
} from '../../../src/core/deploy/deployForm';
import {
  deploymentNameProblem,
  isValidDeploymentName,
  suggestDeploymentName,
} from '../../../src/core/deploy/names';
import { offer, PUBLIC_KEY, volume } from '../webview/fixtures';

const context: DeployFormContext = { offer: offer(), registeredKeyIds: ['key-1'], volumes: [] };

function values(overrides: Partial<DeployFormValues> = {}): DeployFormValues {
  return {
    name: 'h100-sxm5-7f3a',
    region: 'FIN-01',
    operatingSystem: 'Ubuntu 22.04 CUDA 12.4',
    sshKey: { kind: 'registered', keyId: 'key-1' },
    volumeIds: [],
    packages: '',
    commands: '',
    ...overrides,
  };
}

function valid(overrides: Partial<DeployFormValues> = {}, ctx: DeployFormContext = context): ValidDeployForm {
  const result = validateDeployForm(values(overrides), ctx);
  assert.ok(result.ok, JSON.stringify(result));
  return result.value;
}

function errors(overrides: Partial<DeployFormValues> = {}, ctx: DeployFormContext = context) {
  const result = validateDeployForm(values(overrides), ctx);
  assert.equal(result.ok, false);
  return result.ok ? {} : result.fieldErrors;
}

describe('deploy form', () => {
  describe('names', () => {
    for (const name of ['a', 'h100-sxm5-7f3a', 'Train2', `a${'b'.repeat(62)}`, 'A-1-b']) {
      it(`accepts "${name.length > 20 ? `${name.slice(0, 10)}…(${name.length})` : name}"`, () => {
        assert.equal(deploymentNameProblem(name), undefined);
      });
    }
    const bad: [string, RegExp][] = [
      ['', /Enter a name/],
      [`a${'b'.repeat(63)}`, /at most 63 characters \(this has 64\)/],
      ['1gpu', /Start the name with a letter/],
      ['-gpu', /Start the name with a letter/],
      ['my gpu', /letters, digits and hyphens/],
      ['gpu_1', /letters, digits and hyphens/],
      ['gpü', /letters, digits and hyphens/],
      ['gpu-', /End the name with a letter or digit/],
    ];
    for (const [name, message] of bad) {
      it(`refuses "${name.slice(0, 12)}" with ${String(message)}`, () => {
        assert.match(deploymentNameProblem(name) ?? '', message);
      });
    }

    it('suggests <gpu-type>-<4 hex> names that pass the rules', () => {
      assert.equal(
        suggestDeploymentName('H100_SXM5', () => 0x7f3a / 0x10000),
        'h100-sxm5-7f3a',
      );
      assert.equal(
        suggestDeploymentName('A100_80G_SXM4', () => 0),
        'a100-80g-sxm4-0000',
      );
      assert.equal(
        suggestDeploymentName('CPU', () => 0.999999),
        'cpu-ffff',
      );
      assert.equal(
        suggestDeploymentName('80G', () => 0.5),
        'gpu-80g-8000',
      );
      assert.equal(
        suggestDeploymentName('___', () => 0.5),
        'gpu-8000',
      );
      const long = suggestDeploymentName('X'.repeat(100) + '_' + 'Y'.repeat(10), () => 0.1);
      assert.equal(long.length <= 63, true);
      for (let i = 0; i < 200; i += 1) {
        assert.equal(isValidDeploymentName(suggestDeploymentName(`T${i}_${'-'.repeat(i % 5)}GPU`)), true);
      }
    });
  });

  describe('validateDeployForm', () => {
    it('accepts a complete form and passes values through', () => {
      const result = valid();
      assert.deepEqual(result, {
        name: 'h100-sxm5-7f3a',
        region: 'FIN-01',
        operatingSystem: 'Ubuntu 22.04 CUDA 12.4',
        sshKey: { kind: 'registered', keyId: 'key-1' },
        volumeIds: [],
        startup: undefined,
      });
    });

    it('refuses a region or OS the offer does not list (verbatim comparison)', () => {
      assert.match(errors({ region: 'fin-01' }).region ?? '', /not available in that region/);
      assert.match(errors({ region: '' }).region ?? '', /Choose a region/);
      assert.match(
        errors({ operatingSystem: 'ubuntu 22.04 cuda 12.4' }).operatingSystem ?? '',
        /does not provide/,
      );
      assert.match(errors({ operatingSystem: '' }).operatingSystem ?? '', /Choose an operating system/);
    });

    it('requires exactly one usable SSH key', () => {
      assert.match(errors({ sshKey: { kind: 'none' } }).sshKey ?? '', /Choose an SSH key/);
      assert.match(
        errors({ sshKey: { kind: 'registered', keyId: 'gone' } }).sshKey ?? '',
        /no longer registered/,
      );
      assert.match(
        errors({ sshKey: { kind: 'public-key', publicKey: 'hello' } }).sshKey ?? '',
        /not an OpenSSH public key/,
      );
      assert.deepEqual(valid({ sshKey: { kind: 'public-key', publicKey: `  ${PUBLIC_KEY}\n` } }).sshKey, {
        kind: 'public-key',
        publicKey: PUBLIC_KEY,
      });
    });

    it('refuses an offer under maintenance', () => {
      assert.match(errors({}, { ...context, offer: offer({ maintenance: true }) }).form ?? '', /maintenance/);
    });

    it('parses the startup script, and refuses it when the offer has no cloud-init', () => {
      assert.deepEqual(parsePackages(' htop, git-lfs\npython3.11  nvtop=1.2 '), [
        'htop',
        'git-lfs',
        'python3.11',
        'nvtop=1.2',
      ]);
      assert.deepEqual(parseCommands('echo hi  \n\n  \r\nnvidia-smi\n'), ['echo hi', 'nvidia-smi']);
      assert.deepEqual(valid({ packages: 'htop git', commands: 'echo hi\nnvidia-smi' }).startup, {
        packages: ['htop', 'git'],
        runcmd: ['echo hi', 'nvidia-smi'],
      });
      assert.equal(valid({ packages: '  ', commands: '\n' }).startup, undefined);
      const noCloudInit = { ...context, offer: offer({ supportsCloudInit: false }) };
      assert.match(
        errors({ commands: 'echo hi' }, noCloudInit).startupScript ?? '',
        /does not run startup scripts/,
      );
      assert.equal(validateDeployForm(values(), noCloudInit).ok, true);
    });

    it('refuses bad package names, control characters, long commands and big scripts', () => {
      assert.match(errors({ packages: 'htop;rm' }).startupScript ?? '', /"htop;rm" is not a package name/);
      assert.match(
        errors({ commands: 'echo \u0007' }).startupScript ?? '',
        /Command 1 contains a control character/,
      );
      assert.equal(valid({ commands: 'echo\ttab' }).startup?.runcmd[0], 'echo\ttab');
      assert.match(
        errors({ commands: `ok\n${'x'.repeat(4097)}` }).startupScript ?? '',
        /Command 2 is longer than 4096/,
      );
      assert.match(
        errors({ commands: Array.from({ length: 20 }, () => 'y'.repeat(1000)).join('\n') }).startupScript ??
          '',
        /larger than 12 KB/,
      );
      assert.match(
        errors({ packages: Array.from({ length: 101 }, (_, i) => `p${i}`).join(' ') }).startupScript ?? '',
        /at most 100 packages/,
      );
    });

    it('accepts compatible volumes only, at most one for Voltage Park', () => {
      const dc = volume({ id: 'dc1', provider: 'data-crunch', region: 'FIN-01' });
      const dc2 = volume({
        id: 'dc2',
        provider: 'data-crunch',
        region: 'FIN-01',
        attachedDeploymentIds: ['other'],
      });
      const far = volume({ id: 'far', provider: 'data-crunch', region: 'FIN-02' });
      const ctx = { ...context, volumes: [dc, dc2, far] };
      assert.deepEqual(valid({ volumeIds: ['dc1', 'dc2', 'dc1'] }, ctx).volumeIds, ['dc1', 'dc2']);
      assert.match(errors({ volumeIds: ['far'] }, ctx).volumeIds ?? '', /cannot be attached/);

      const vpOffer = offer({ provider: 'voltage-park', regions: ['Dallas, TX'], instanceType: 'CLUSTER' });
      const vp1 = volume({ id: 'vp1', provider: 'voltage-park', region: 'Dallas, TX' });
      const vp2 = volume({ id: 'vp2', provider: 'voltage-park', region: null });
      const vpCtx = { ...context, offer: vpOffer, volumes: [vp1, vp2] };
      assert.deepEqual(valid({ region: 'Dallas, TX', volumeIds: ['vp2'] }, vpCtx).volumeIds, ['vp2']);
      assert.match(
        errors({ region: 'Dallas, TX', volumeIds: ['vp1', 'vp2'] }, vpCtx).volumeIds ?? '',
        /at most one volume/,
      );
    });

    it('collects every error at once', () => {
      const all = errors({ name: '', region: 'x', operatingSystem: 'y', sshKey: { kind: 'none' } });
      assert.deepEqual(Object.keys(all).sort(), ['name', 'operatingSystem', 'region', 'sshKey']);
    });

    it('starts a fresh form from the offer', () => {
      assert.deepEqual(
        initialDeployForm({ offer: offer(), suggestedName: 'n-1', defaultKey: { kind: 'none' } }),
        {
          ...emptyDeployForm(),
          name: 'n-1',
          region: 'FIN-01',
          operatingSystem: 'Ubuntu 22.04 CUDA 12.4',
        },
      );
    });
  });

  describe('buildCreateDeploymentRequest', () => {
    it('takes all six coupled fields from the one offer entry, verbatim, plus the group gpuType', () => {
      const entry = offer({
        provider: 'sesterce',
        offerId: 'ses-l40s-1x-kc',
        gpuType: 'L40S_PCIE',
        gpuCount: 1,
        regions: ['kansascity-usa-1', '166e655a:culpeper-usa-1'],
        osOptions: ['Ubuntu Server 22.04 LTS R570 CUDA 12.8', 'AlmaLinux 9 Plain'],
        instanceType: 'DEDICATED',
        supportsCloudInit: false,
      });
      const form = valid(
        { region: '166e655a:culpeper-usa-1', operatingSystem: 'AlmaLinux 9 Plain' },
        { ...context, offer: entry },
      );
      assert.deepEqual(buildCreateDeploymentRequest(entry, 'L40S_PCIE', form, 'team-1'), {
        provider: 'sesterce',
        offerId: 'ses-l40s-1x-kc',
        gpuType: 'L40S_PCIE',
        gpuCount: 1,
        region: '166e655a:culpeper-usa-1',
        operatingSystem: 'AlmaLinux 9 Plain',
        instanceType: 'DEDICATED',
        teamId: 'team-1',
        name: 'h100-sxm5-7f3a',
        sshKeyId: 'key-1',
      });
    });

    it('sends a CPU node gpuCount of 0 and an unknown instance type verbatim', () => {
      const cpu = offer({ gpuCount: 0, gpuType: 'CPU', instanceType: 'BARE_METAL' });
      const request = buildCreateDeploymentRequest(cpu, 'CPU', valid({}, { ...context, offer: cpu }), 't');
      assert.equal(request.gpuCount, 0);
      assert.equal(request.instanceType, 'BARE_METAL');
    });

    it('sends exactly one of sshKeyId and sshPublicKey', () => {
      const withId = buildCreateDeploymentRequest(offer(), 'H100_SXM5', valid(), 't');
      assert.equal(withId.sshKeyId, 'key-1');
      assert.equal('sshPublicKey' in withId, false);
      const withKey = buildCreateDeploymentRequest(
        offer(),
        'H100_SXM5',
        valid({ sshKey: { kind: 'public-key', publicKey: PUBLIC_KEY } }),
        't',
      );
      assert.equal(withKey.sshPublicKey, PUBLIC_KEY);
      assert.equal('sshKeyId' in withKey, false);
    });

    it('adds cloudInit {packages, runcmd} and volumeIds only when there are some', () => {
      const plain = buildCreateDeploymentRequest(offer(), 'H100_SXM5', valid(), 't');
      assert.equal('cloudInit' in plain, false);
      assert.equal('volumeIds' in plain, false);
      const ctx = { ...context, volumes: [volume({ id: 'v1' })] };
      const full = buildCreateDeploymentRequest(
        offer(),
        'H100_SXM5',
        valid({ packages: 'htop', commands: 'nvidia-smi', volumeIds: ['v1'] }, ctx),
        't',
      );
      assert.deepEqual(full.cloudInit, { packages: ['htop'], runcmd: ['nvidia-smi'] });
      assert.deepEqual(full.volumeIds, ['v1']);
      const onlyCommands = buildCreateDeploymentRequest(offer(), 'H100_SXM5', valid({ commands: 'ls' }), 't');
      assert.deepEqual(onlyCommands.cloudInit, { runcmd: ['ls'] });
    });

    it('refuses to mix fields of two offers, cloud-init on an offer without it, and a missing team', () => {
      const form = valid();
      const other = offer({ regions: ['FIN-03'], osOptions: ['Debian'] });
      assert.throws(
        () => buildCreateDeploymentRequest(other, 'H100_SXM5', form, 't'),
        (error: unknown) =>
          error instanceof InvalidDeployFormError &&
          error.fieldErrors.region !== undefined &&
          error.fieldErrors.operatingSystem !== undefined,
      );
      assert.throws(
        () => buildCreateDeploymentRequest(offer(), 'A100_PCIE', form, 't'),
        /does not belong to this GPU group/,
      );
      assert.throws(() => buildCreateDeploymentRequest(offer(), 'H100_SXM5', form, ''), /No team/);
      const withScript = valid({ commands: 'ls' });
      assert.throws(
        () => buildCreateDeploymentRequest(offer({ supportsCloudInit: false }), 'H100_SXM5', withScript, 't'),
        /startup scripts/,
      );
    });
  });
});
