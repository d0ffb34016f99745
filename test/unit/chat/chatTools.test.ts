import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  balanceResult,
  CHAT_TOOL_NAMES,
  chatKubernetesAddon,
  ChatToolInputError,
  deployConfirmation,
  findOffers,
  INPUT_SCHEMAS,
  instancesResult,
  offersResult,
  parseToolInput,
  startJupyterConfirmation,
  terminateConfirmation,
} from '../../../src/core/chat/chatTools';
import { BALANCE, deployment, group, HOUR, MINUTE, NOW, offer, volume } from '../model/fixtures';

const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: {
    languageModelTools: {
      name: string;
      modelDescription: string;
      inputSchema: {
        properties: Record<string, unknown>;
        required?: string[];
        additionalProperties?: boolean;
      };
    }[];
  };
};

const h100 = offer({
  provider: 'voltage-park',
  offerId: 'vp-h100-sxm5-8x-ib',
  gpuCount: 8,
  pricePerHour: 21.52,
  regions: ['Dallas, TX'],
  instanceType: 'CLUSTER',
  minimumRuntimeMinutes: 60,
});
const h100Spot = offer({
  provider: 'data-crunch',
  offerId: 'dc-1h100-sxm5-spot',
  pricePerHour: 1.2,
  regions: ['FIN-01'],
  instanceType: 'SPOT',
});
const h100Down = offer({ provider: 'data-crunch', offerId: 'dc-down', pricePerHour: 0.5, maintenance: true });
const rtx4090 = offer({
  provider: 'tensordock',
  offerId: 'rtx-4090-tensordock-1',
  vramGbPerGpu: 24,
  pricePerHour: 0.38,
  regions: ['us-east-1'],
  minimumRuntimeMinutes: 20,
});
const GROUPS = [
  group('H100_SXM5', 'H100 SXM5', [h100, h100Spot, h100Down]),
  group('RTX4090_PCIE', 'RTX 4090', [rtx4090]),
];

function rejection(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ChatToolInputError, String(error));
    return error.message;
  }
  assert.fail('the input was accepted');
}

describe('chat tools', () => {
  describe('the contribution in package.json', () => {
    it('contributes exactly the registered tools, each described for the model', () => {
      assert.deepEqual(
        manifest.contributes.languageModelTools.map((tool) => tool.name),
        [...CHAT_TOOL_NAMES],
      );
      for (const tool of manifest.contributes.languageModelTools) {
        assert.ok(tool.modelDescription.length > 40, tool.name);
      }
    });

    it('declares the same input fields the tools accept, and no others', () => {
      for (const tool of manifest.contributes.languageModelTools) {
        const schema = INPUT_SCHEMAS[tool.name as (typeof CHAT_TOOL_NAMES)[number]];
        assert.deepEqual(
          Object.keys(tool.inputSchema.properties).sort(),
          Object.keys(schema.def.shape).sort(),
          tool.name,
        );
        assert.equal(tool.inputSchema.additionalProperties, false, tool.name);
        for (const field of tool.inputSchema.required ?? []) {
          assert.throws(
            () => parseToolInput(tool.name as never, {}),
            new RegExp(field),
            `${tool.name} ${field}`,
          );
        }
      }
    });
  });

  describe('inputs', () => {
    it('accepts what the schema describes, and no input for the read-only tools', () => {
      assert.deepEqual(
        parseToolInput('spheron_findOffers', { gpu: 'H100', maxPricePerHour: 3, type: 'spot' }),
        {
          gpu: 'H100',
          maxPricePerHour: 3,
          type: 'spot',
        },
      );
      assert.deepEqual(parseToolInput('spheron_balance', undefined), {});
      assert.deepEqual(
        parseToolInput('spheron_deploy', { provider: 'tensordock', offerId: 'x::spot', name: 'run-1' }),
        {
          provider: 'tensordock',
          offerId: 'x::spot',
          name: 'run-1',
        },
      );
    });

    it('refuses unknown fields, wrong types and malformed ids, naming the field', () => {
      assert.match(
        rejection(() => parseToolInput('spheron_balance', { apiKey: 'sk-1' })),
        /unknown field\(s\) apiKey/,
      );
      assert.match(
        rejection(() => parseToolInput('spheron_findOffers', { maxPricePerHour: '3' })),
        /maxPricePerHour/,
      );
      assert.match(
        rejection(() => parseToolInput('spheron_findOffers', { limit: 500 })),
        /limit/,
      );
      assert.match(
        rejection(() => parseToolInput('spheron_findOffers', { type: 'cheap' })),
        /type/,
      );
      assert.match(
        rejection(() => parseToolInput('spheron_terminate', { deploymentId: '../x' })),
        /deploymentId/,
      );
      assert.match(
        rejection(() =>
          parseToolInput('spheron_deploy', { provider: 'tensordock', offerId: 'x', name: 'My Box' }),
        ),
        /name/,
      );
    });
  });

  describe('find offers', () => {
    it('filters by GPU, VRAM, price, region and type, hides what cannot deploy, cheapest first', () => {
      const ids = (input: Parameters<typeof findOffers>[1]) =>
        findOffers(GROUPS, input).map((found) => found.offerId);
      assert.deepEqual(ids({}), ['rtx-4090-tensordock-1', 'dc-1h100-sxm5-spot', 'vp-h100-sxm5-8x-ib']);
      assert.deepEqual(ids({ gpu: 'h100 sxm5' }), ['dc-1h100-sxm5-spot', 'vp-h100-sxm5-8x-ib']);
      assert.deepEqual(ids({ gpu: '4090' }), ['rtx-4090-tensordock-1']);
      assert.deepEqual(ids({ minVramGb: 48 }), ['dc-1h100-sxm5-spot', 'vp-h100-sxm5-8x-ib']);
      assert.deepEqual(ids({ maxPricePerHour: 2 }), ['rtx-4090-tensordock-1', 'dc-1h100-sxm5-spot']);
      assert.deepEqual(ids({ region: 'dallas' }), ['vp-h100-sxm5-8x-ib']);
      assert.deepEqual(ids({ type: 'cluster' }), ['vp-h100-sxm5-8x-ib']);
      assert.deepEqual(ids({ limit: 1 }), ['rtx-4090-tensordock-1']);
    });

    it('answers one line per offer with what deploy needs', () => {
      const text = offersResult([rtx4090, h100]);
      assert.equal(text.split('\n').length, 3);
      assert.match(
        text,
        /^- provider=tensordock offerId=rtx-4090-tensordock-1 · RTX 4090|^- provider=tensordock/m,
      );
      assert.match(
        text,
        /provider=voltage-park offerId=vp-h100-sxm5-8x-ib .*\$21\.52\/h · cluster · min 60 min · regions: Dallas, TX/,
      );
      assert.match(offersResult([]), /No deployable offer matches/);
    });
  });

  describe('instances and balance', () => {
    const running = deployment({
      id: 'd1',
      name: 'h100-finetune',
      hourlyRate: 2.91,
      startedAtMs: NOW - HOUR,
    });
    const ended = deployment({ id: 'd2', status: 'terminated', totalCost: 4 });

    it('lists live instances with status, rate, cost so far and uptime; ended ones on request', () => {
      const text = instancesResult([running, ended], {}, NOW);
      assert.equal(
        text,
        '1 instance(s):\n- id=d1 name=h100-finetune · running · 1× RTXPRO6000_PCIE · $2.91/h · $2.91 so far · up 1h',
      );
      assert.match(instancesResult([running, ended], { includeEnded: true }, NOW), /id=d2 .*terminated/);
      assert.match(instancesResult([ended], {}, NOW), /No instance is running or deploying/);
    });

    it('gives the balance, the burn and how long it lasts', () => {
      const team = { ...BALANCE.teams[0], balance: 100 };
      const text = balanceResult(
        team,
        [running, ended],
        [volume({ id: 'v1', sizeGb: 1000, hourlyRatePerGb: 0.0001 })],
      );
      assert.match(text, /balance \$ ?100\.00/);
      assert.match(
        text,
        /burn \$3\.01\/h \(1 active instance\(s\) \$2\.91\/h, 0 stopped \$0\.00\/h, 1 volume\(s\) \$0\.10\/h\)/,
      );
      assert.match(text, /balance lasts .* at this rate/);
    });
  });

  describe('the Kubernetes add-on', () => {
    const k8s = offer({ ...h100, kubernetesAddon: { version: '1.35', totalCostPerHour: 0.5 } });

    it('says which offers can carry it, with its cost, in the offers answer', () => {
      const text = offersResult([k8s, h100Spot]);
      assert.match(
        text,
        /offerId=vp-h100-sxm5-8x-ib .* · Kubernetes add-on 1\.35 available \(kubernetesVersion\) \+\$0\.50\/h$/m,
      );
      assert.doesNotMatch(text.split('\n')[2] ?? '', /Kubernetes/);
    });

    it('takes kubernetesVersion on deploy, and refuses what is not a version', () => {
      const input = { provider: 'voltage-park', offerId: 'vp-h100-sxm5-8x-ib', name: 'k8s' };
      assert.equal(
        parseToolInput('spheron_deploy', { ...input, kubernetesVersion: '1.35' }).kubernetesVersion,
        '1.35',
      );
      assert.match(
        rejection(() => parseToolInput('spheron_deploy', { ...input, kubernetesVersion: 'latest' })),
        /kubernetesVersion has the wrong format/,
      );
    });

    it('refuses the add-on on an offer that cannot carry it, saying what to do', () => {
      assert.deepEqual(chatKubernetesAddon(k8s, { kubernetesVersion: '1.35' }), { version: '1.35' });
      assert.equal(chatKubernetesAddon(h100Spot, {}), undefined);
      assert.match(
        rejection(() => chatKubernetesAddon(h100Spot, { kubernetesVersion: '1.35' })),
        /needs a Cluster instance.*Deploy without kubernetesVersion, or pick such an offer\./,
      );
      assert.match(
        rejection(() => chatKubernetesAddon(h100, { kubernetesVersion: '1.35' })),
        /does not offer the Kubernetes add-on/,
      );
    });

    it('takes an OIDC AuthenticationConfiguration with the add-on, checked and sent as the form sends it', () => {
      const yaml =
        'apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\njwt: []\n';
      const choice = chatKubernetesAddon(k8s, {
        kubernetesVersion: '1.35',
        kubernetesAuthenticationConfig: yaml,
      });
      assert.equal(choice?.version, '1.35');
      assert.equal(Buffer.from(choice?.authenticationConfigB64 ?? '', 'base64').toString('utf8'), yaml);
      assert.match(
        rejection(() =>
          chatKubernetesAddon(k8s, {
            kubernetesVersion: '1.35',
            kubernetesAuthenticationConfig: 'kind: Config\n',
          }),
        ),
        /^kubernetesAuthenticationConfig: This is a Kubernetes Config, not an AuthenticationConfiguration/,
      );
      assert.match(
        rejection(() => chatKubernetesAddon(k8s, { kubernetesAuthenticationConfig: yaml })),
        /goes with kubernetesVersion/,
      );
      assert.match(
        rejection(() =>
          parseToolInput('spheron_deploy', {
            provider: 'voltage-park',
            offerId: 'x',
            name: 'k8s',
            kubernetesAuthenticationConfig: 'x'.repeat(65_537),
          }),
        ),
        /kubernetesAuthenticationConfig/,
      );
      assert.match(
        deployConfirmation(k8s, 'k8s-run', 250, choice).message,
        /with the Kubernetes 1\.35 add-on \(OIDC authentication as given\)/,
      );
    });

    it('confirms the price with the add-on, and the minimum charge at that price', () => {
      const question = deployConfirmation(k8s, 'k8s-run', 250, { version: '1.35' });
      assert.equal(question.title, 'Deploy k8s-run at $22.02/h?');
      assert.match(
        question.message,
        /with the Kubernetes 1\.35 add-on at \$22\.02\/h \(\$21\.52\/h \+ \$0\.50\/h for the add-on; \$528\.48 per day\)/,
      );
      assert.match(question.message, /at least \$22\.02 \(60 minutes\)/);
      assert.equal(deployConfirmation(k8s, 'plain', 250).title, 'Deploy plain at $21.52/h?');
    });
  });

  describe('confirmations', () => {
    it('a deploy names the instance, the price per hour and the minimum charge', () => {
      const question = deployConfirmation(h100, 'big-run', 250);
      assert.equal(question.title, 'Deploy big-run at $21.52/h?');
      assert.match(question.message, /“big-run”.*\$21\.52\/h/);
      assert.match(question.message, /at least \$21\.52 \(60 minutes\)/);
      assert.match(question.message, /Balance \$ ?250\.00/);
    });

    it('a terminate names the instance, its price and its cost so far', () => {
      const question = terminateConfirmation(
        deployment({ id: 'd1', name: 'h100-finetune', hourlyRate: 2.91, startedAtMs: NOW - 30 * MINUTE }),
        NOW,
      );
      assert.equal(question.title, 'Terminate h100-finetune?');
      assert.match(question.message, /running, \$2\.91\/h, \$1\.46 so far/);
      assert.match(question.message, /minimum runtime/);
      assert.match(
        startJupyterConfirmation(deployment({ id: 'd1', name: 'nb' })).title,
        /Open Jupyter on nb/,
      );
    });
  });
});
