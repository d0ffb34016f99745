// The language-model tools in the real extension host, against the simulator and the sshd the seeded
// instance points at, every one through vscode.lm.invokeTool. Outside a chat session the workbench
// asks prepareInvocation's confirmation in a modal (dialogService.confirm); in an extension test run
// the workbench answers that modal Yes itself, so this tier cannot press Cancel. What the
// confirmation says is checked through prepare, the call prepareInvocation makes.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CHAT_TOOL_NAMES } from '../../src/core/chat/toolNames';
import type { ChatTools } from '../../src/vscode/chat/chatTools';
import { spheronApi, waitFor } from './helpers';
import { advanceClock, createPosts, OFFERS, simDeployment, uniqueName } from './lifecycleHelpers';
import { SEED_RUNNING_ID, syncedHost, useSshWorld } from './sshWorld';

async function invokeTool(name: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  return result.content
    .map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : ''))
    .join('');
}

describe('chat tools', function () {
  this.timeout(120_000);
  const world = useSshWorld();
  let chatTools: ChatTools;

  before(async () => {
    chatTools = (await spheronApi()).chatTools;
  });

  it('registers every contributed tool with the language-model API', () => {
    const names = vscode.lm.tools.map((tool) => tool.name);
    for (const name of CHAT_TOOL_NAMES) {
      assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    }
  });

  it('finds offers through vscode.lm.invokeTool', async () => {
    const text = await invokeTool('spheron_findOffers', { gpu: '4090', maxPricePerHour: 1 });
    assert.match(text, /provider=tensordock offerId=rtx-4090-tensordock-1 .*\$0\.38\/h/);
    assert.doesNotMatch(text, /H100/);
  });

  it('lists instances and shows the balance through vscode.lm.invokeTool', async () => {
    const instances = await invokeTool('spheron_listInstances', {});
    assert.match(
      instances,
      new RegExp(`id=${SEED_RUNNING_ID} name=pro6000-dev · running · .*/h · \\$[\\d.]+ so far`),
    );
    const balance = await invokeTool('spheron_balance', {});
    assert.match(balance, /^team=research · balance \$ ?[\d,.]+$/m);
    assert.match(balance, /^burn \$[\d.]+\/h/m);
    assert.match(balance, /^balance lasts .* at this rate$/m);
    assert.doesNotMatch(instances + balance, new RegExp(process.env.SPHERON_API_KEY ?? 'no key set'));
  });

  it('refuses input it does not know, saying which field', async () => {
    await assert.rejects(invokeTool('spheron_findOffers', { limit: 500 }), /limit/);
    await assert.rejects(invokeTool('spheron_listInstances', { teamId: 'x' }), /unknown field\(s\) teamId/);
  });

  it('deploys once after a confirmation with the price and the minimum charge, and terminates', async () => {
    const name = uniqueName('chat');
    const input = { provider: OFFERS.rtx4090.provider, offerId: OFFERS.rtx4090.offerId, name };
    const question = await chatTools.prepare('spheron_deploy', input);
    assert.equal(question?.title, `Deploy ${name} at $0.38/h?`);
    assert.match(question.message, /at least \$0\.13 \(20 minutes\)/);

    const creates = await createPosts();
    const created = await invokeTool('spheron_deploy', input);
    const id = /^Created id=(\S+) name=/.exec(created)?.[1];
    assert.ok(id, created);
    // The agent asks again: the same create, not a second instance.
    await invokeTool('spheron_deploy', input);
    assert.equal(await createPosts(), creates + 1);
    assert.equal((await simDeployment(id))?.name, name);

    await advanceClock(25 * 60);
    const ending = await chatTools.prepare('spheron_terminate', { deploymentId: id });
    assert.match(ending?.message ?? '', new RegExp(`Terminate “${name}” \\(running, \\$0\\.38/h`));
    assert.match(await invokeTool('spheron_terminate', { deploymentId: id }), /^Terminated /);
    assert.equal((await simDeployment(id))?.status, 'terminated');
  });

  it('deploys a cluster with the Kubernetes add-on at the price with the add-on; refuses it on a VM', async () => {
    const name = uniqueName('chat-k8s');
    const input = {
      provider: OFFERS.vpCluster.provider,
      offerId: OFFERS.vpCluster.offerId,
      name,
      kubernetesVersion: '1.35',
    };
    const offers = await invokeTool('spheron_findOffers', { type: 'cluster' });
    assert.match(
      offers,
      /offerId=vp-h100-sxm5-8x-ib .*Kubernetes add-on 1\.35 available \(kubernetesVersion\) \+\$0\.50\/h/,
    );
    const question = await chatTools.prepare('spheron_deploy', input);
    assert.equal(question?.title, `Deploy ${name} at $22.02/h?`);
    assert.match(question.message, /\$21\.52\/h \+ \$0\.50\/h for the add-on/);
    assert.match(question.message, /at least \$22\.02 \(60 minutes\)/);
    const created = await invokeTool('spheron_deploy', input);
    assert.match(created, / · \$22\.02\/h · Kubernetes 1\.35 add-on\./);
    const id = /^Created id=(\S+) name=/.exec(created)?.[1];
    assert.ok(id, created);
    assert.equal((await simDeployment(id))?.kubernetesAddon?.version, '1.35');

    const onVm = {
      provider: OFFERS.rtx4090.provider,
      offerId: OFFERS.rtx4090.offerId,
      name: uniqueName('chat-vm'),
      kubernetesVersion: '1.35',
    };
    const creates = await createPosts();
    await assert.rejects(chatTools.prepare('spheron_deploy', onVm), /needs a Cluster instance/);
    await assert.rejects(invokeTool('spheron_deploy', onVm), /needs a Cluster instance/);
    await assert.rejects(
      invokeTool('spheron_deploy', {
        ...input,
        name: uniqueName('chat-k8s'),
        kubernetesVersion: '1.20',
      }),
      /Kubernetes 1\.20 is not offered on voltage-?park now; available: 1\.35, 1\.34/,
    );
    assert.equal(await createPosts(), creates);
  });

  it('opens Jupyter on an instance and never hands the agent its token', async () => {
    await syncedHost(world(), SEED_RUNNING_ID);
    const question = await chatTools.prepare('spheron_startJupyter', { deploymentId: SEED_RUNNING_ID });
    assert.match(question?.title ?? '', /Open Jupyter on pro6000-dev/);
    const text = await invokeTool('spheron_startJupyter', { deploymentId: SEED_RUNNING_ID });
    assert.match(text, /^Jupyter is open in the editor, forwarded to http:\/\/127\.0\.0\.1:\d+\//);
    assert.doesNotMatch(text, /token/i);
    await waitFor(() => world().services.ssh.tunnels().list().length > 0, { message: 'the Jupyter tunnel' });
  });
});
